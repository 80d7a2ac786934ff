import { withTargetEnv } from './toolkit';
import type { Target } from '../targets/target';

const moto = (port: number): Target => ({ kind: 'moto', region: 'us-east-1', endpoint: `http://127.0.0.1:${port}` });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

test('runs for two targets never share the environment: each sees its own endpoint throughout', async () => {
  const seen: string[] = [];
  const run = (port: number, ticks = 3) =>
    withTargetEnv(moto(port), async () => {
      for (let i = 0; i < ticks; i++) {
        seen.push(`${port}:${process.env.AWS_ENDPOINT_URL}`);
        await tick();
      }
    });
  // The second run for 1111 outlives the first: the environment must stay set until the last one ends.
  await Promise.all([run(1111), run(2222), run(1111, 6)]);
  for (const entry of seen) {
    const [port, endpoint] = entry.split(/:(.*)/s);
    expect(endpoint).toBe(`http://127.0.0.1:${port}`);
  }
  // The two runs for 1111 held the environment together; 2222 ran after them.
  expect(seen.map((e) => e.split(':')[0])).toEqual([...Array(9).fill('1111'), '2222', '2222', '2222']);
});

test('the caller environment comes back afterwards, even when the run throws', async () => {
  const before = process.env.AWS_ENDPOINT_URL;
  await expect(
    withTargetEnv(moto(3333), async () => {
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect(process.env.AWS_ENDPOINT_URL).toBe(before);
  await withTargetEnv(moto(4444), async () => expect(process.env.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:4444'));
});
