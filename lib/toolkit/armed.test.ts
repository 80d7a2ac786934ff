import { fail, pass, type Criterion } from '../../checkers/criterion';
import { exactlyBlocking, onlyBlocking } from './armed';

type Snapshot = { readonly broken: readonly string[] };
const criterion = (id: string): Criterion<Snapshot> => ({
  id,
  title: id,
  rationale: 'A test criterion.',
  references: [],
  evaluate: async (s) => (s.broken.includes(id) ? fail(`${id} is broken.`) : pass(`${id} holds.`)),
});
const criteria = ['a', 'b', 'c'].map(criterion);
const lab = { scenarioId: 'test-lab', variant: 'v', target: { kind: 'moto' as const } };

test('armed when exactly the expected criteria block, in any order', async () => {
  const r = await exactlyBlocking(lab, criteria, { broken: ['c', 'a'] }, ['a', 'c']);
  expect(r.armed && r.blocking.map((c) => c.id)).toEqual(['a', 'c']);
});

test('not armed when one more or one fewer criterion blocks', async () => {
  expect((await exactlyBlocking(lab, criteria, { broken: ['a', 'b', 'c'] }, ['a', 'c'])).armed).toBe(false);
  const fewer = await exactlyBlocking(lab, criteria, { broken: ['a'] }, ['a', 'c']);
  expect(fewer).toEqual({ armed: false, facts: [expect.stringContaining('Expected exactly a, c to fail; got: a=fail')] });
});

test('onlyBlocking keeps its single-criterion answer', async () => {
  expect(await onlyBlocking(lab, criteria, { broken: ['b'] }, 'b')).toEqual({ armed: true, message: 'b is broken.' });
  expect((await onlyBlocking(lab, criteria, { broken: [] }, 'b')).armed).toBe(false);
});
