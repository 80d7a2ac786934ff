/**
 * `breakfix deploy` of a lab breakfix already armed is how the solutions
 * apply a learner's edited stack: it updates the stack and leaves the lab as
 * the learner made it. Before, it ran the post-deploy steps again, which put
 * the fault back over the fix (this scenario ships its broken release
 * again) and then failed with "no longer shows the fault".
 */
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, expectOneErrorLine, REPO_ROOT, runMain, useTempHome, useUnrecordedEmulator } from './harness';

const ID = 'ecs-deployment-fails-health-checks';
/** What deploy must never print for this lab's variant (the scenario's own list). */
const SPOILERS: { cause: string; forbidden: string[] } = JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', ID, 'spoilers.json'), 'utf8'))
  .variants['health-path'];
useTempHome();
const emulator = useUnrecordedEmulator();

const runningRevision = async () =>
  (await emulator.clients.ecs.send(new DescribeServicesCommand({ cluster: `${ID}-cluster`, services: [`${ID}-orders`] }))).services?.[0]
    ?.taskDefinition;

test('deploy of an armed lab updates its stack and keeps the learner fix; asking for another variant exits 2', async () => {
  const at = ['--endpoint', emulator.moto.endpoint];
  expect((await runMain(['deploy', ID, '--variant', 'health-path', ...at], { env: cleanEnv() })).code).toBe(0);
  expect((await runMain(['check', ID, ...at])).code).toBe(1); // armed: not fixed

  // The learner's fix: the target group checks the path the release serves.
  const elb = emulator.clients.client(ElasticLoadBalancingV2Client);
  const [group] = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups!.filter((g) => g.VpcId);
  await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: group.TargetGroupArn, HealthCheckPath: '/healthz' }));
  expect((await runMain(['check', ID, ...at])).code).toBe(0);
  const release = await runningRevision();

  // Deployed again, as solution.md's stack path says (no --variant: the lab's own is kept).
  const again = await runMain(['deploy', ID, ...at]);
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(again.stdout).toContain('the lab was not re-armed, so your changes stay');
  for (const word of [...SPOILERS.forbidden, SPOILERS.cause, 'health-path'])
    expect(again.stdout.toLowerCase()).not.toContain(word.toLowerCase());
  expect(await runningRevision()).toBe(release); // no release shipped again
  expect((await runMain(['check', ID, ...at])).code).toBe(0);

  const json = JSON.parse((await runMain(['deploy', ID, ...at, '--json'])).stdout);
  expect(json).toMatchObject({ created: false, rearmed: false });
  expect(json.variant).toBeUndefined();

  const other = await runMain(['deploy', ID, '--variant', 'container-port', ...at]);
  expect(other.code).toBe(2);
  expectOneErrorLine(other.stderr, {
    matches: /already deployed with another variant.*breakfix destroy ecs-deployment-fails-health-checks/,
  });
  expect(other.stderr).not.toContain('health-path');
  expect((await runMain(['check', ID, ...at])).code).toBe(0);
});

test("the refusal's next step names the learner's lab, not the default one", async () => {
  const at = ['--endpoint', emulator.moto.endpoint, '--learner', 'ana'];
  expect((await runMain(['deploy', ID, '--variant', 'security-group', ...at])).code).toBe(0);
  const other = await runMain(['deploy', ID, '--variant', 'subnet-acl', ...at]);
  expect(other.code).toBe(2);
  expectOneErrorLine(other.stderr, { matches: /run `breakfix destroy ecs-deployment-fails-health-checks --learner ana` first/ });
});
