/**
 * docs/grader-policy.json is exactly what grading needs. For every scenario
 * and every variant moto can arm, deploy it and run `class grade`'s path
 * (DescribeStacks, then the checker) with an SDK observer: once as on an
 * emulator, once down the real-AWS code path (target kind aws, pointed at
 * moto); again after changes a learner might make that send the checkers
 * down conditional reads (a managed policy attached to each lab role, a
 * stopped task for each ECS service); and for fargate-cannot-pull-image
 * once more after the fix. Every
 * IAM action seen must be in the policy, and the policy must hold nothing
 * else. `UPDATE_GRADER_POLICY=1` rewrites the file from what was seen.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { AttachRolePolicyCommand, CreatePolicyCommand, DeletePolicyCommand, DetachRolePolicyCommand } from '@aws-sdk/client-iam';
import { join } from 'node:path';
import { gradeClass } from '../../lib/class/grade';
import { graderPolicy, iamActionFor } from '../../lib/class/grader-policy';
import { parseRoster } from '../../lib/class/roster';
import { checkScenario } from '../../lib/ops/check';
import { makeContext } from '../../lib/ops/context';
import { deployScenario } from '../../lib/ops/deploy';
import { destroyScenario } from '../../lib/ops/destroy';
import { describeStack, listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { variantsFor, TAG_VARIANT } from '../../lib/scenario/naming';
import type { ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';
import { AwsClients } from '../../lib/targets/clients';
import { EMULATOR_CREDENTIALS, Target } from '../../lib/targets/target';
import { SCENARIOS } from '../support/catalog';
import { audit } from '../framework/read-only-audit';
import { startTestMoto, TestMoto } from '../support/moto';
import { isolateBreakfixHome, labContext } from '../support/lab';
import { cleanEnv } from '../cli/harness';
import { FARGATE, fixFargate } from './helpers';

const POLICY_FILE = join(__dirname, '..', '..', 'docs', 'grader-policy.json');
const LEARNER = 'grader';

let moto: TestMoto;
/** Every call seen, as `client:Operation`. */
const calls = new Set<string>();
const observer = (client: string, command: string) => void calls.add(`${client}:${command.replace(/Command$/, '')}`);

beforeAll(async () => {
  isolateBreakfixHome();
  moto = await startTestMoto();
});
afterAll(async () => {
  await moto?.stop();
});

/** `class grade` for one learner and one scenario, observed. */
async function gradeObserved(scenario: ScenarioDefinition): Promise<string> {
  const roster = parseRoster('inline', { learners: [{ name: LEARNER, target: 'moto', endpoint: moto.endpoint }] });
  const report = await gradeClass(roster, [scenario], { env: cleanEnv(), clientOptions: { observer } });
  return report.cells[0].status;
}

/** The same grading down the real-AWS code path (e.g. ECS stopped tasks), answered by moto. */
async function gradeObservedAsAws(scenario: ScenarioDefinition): Promise<void> {
  const target: Target = { kind: 'aws', region: 'us-east-1', endpoint: moto.endpoint };
  const clients = new AwsClients(target, { credentials: EMULATOR_CREDENTIALS, observer });
  try {
    const stack = await describeStack(clients.cloudformation, `${LEARNER}-${scenario.id}`);
    const ctx = makeContext({ scenario, target, learner: LEARNER, variant: stack!.tags[TAG_VARIANT], clients });
    await checkScenario(scenario, ctx);
  } finally {
    clients.destroy();
  }
}

/**
 * Changes a learner might make that take checkers down reads the broken lab
 * does not: a customer managed policy on every lab role (live-policy reads),
 * and a stopped task for every ECS service (AWS's stopped reasons). Returns
 * the undo.
 */
async function stimulate(ctx: ScenarioContext, undo: (() => Promise<unknown>)[]): Promise<void> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  for (const [i, roleName] of physicalIdsOfType(resources, 'AWS::IAM::Role').entries()) {
    const policy = await ctx.clients.iam.send(
      new CreatePolicyCommand({
        PolicyName: `${ctx.stackName}-learner-${i}`,
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
      }),
    );
    const PolicyArn = policy.Policy!.Arn!;
    await ctx.clients.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn }));
    undo.push(async () => {
      await ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn }));
      await ctx.clients.iam.send(new DeletePolicyCommand({ PolicyArn }));
    });
  }
  const [cluster] = physicalIdsOfType(resources, 'AWS::ECS::Cluster');
  for (const serviceArn of physicalIdsOfType(resources, 'AWS::ECS::Service')) {
    const svc = (await ctx.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [serviceArn] }))).services![0];
    // A task of the service's shape; moto's ListTasks ignores serviceName, so the checker finds it.
    const td = await ctx.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `${ctx.stackName}-probe`,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'app', image: 'public.ecr.aws/docker/library/busybox:latest', essential: true, cpu: 256, memory: 512 },
        ],
      }),
    );
    const taskDefinition = td.taskDefinition!.taskDefinitionArn!;
    undo.push(() => ctx.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition })));
    const run = await ctx.clients.ecs.send(
      new RunTaskCommand({
        cluster,
        taskDefinition,
        launchType: 'FARGATE',
        networkConfiguration: svc.networkConfiguration,
        startedBy: svc.serviceName,
      }),
    );
    for (const t of run.tasks ?? [])
      await ctx.clients.ecs.send(new StopTaskCommand({ cluster, task: t.taskArn, reason: 'Task failed to start' }));
  }
}

const cases = SCENARIOS.flatMap((s) => variantsFor(s.meta, 'moto').map((v) => [s.id, v] as const));

describe.each(cases)('%s, variant %s', (id, variant) => {
  const scenario = SCENARIOS.find((s) => s.id === id)!;
  test('grading is observed broken, after learner changes, down both code paths (and fixed, where the test knows the fix)', async () => {
    const ctx = labContext(scenario, moto.endpoint, { learner: LEARNER, variant });
    await deployScenario(scenario, ctx);
    const undo: (() => Promise<unknown>)[] = [];
    try {
      expect(await gradeObserved(scenario)).toBe('not-fixed');
      await gradeObservedAsAws(scenario);
      try {
        await stimulate(ctx, undo);
        await gradeObserved(scenario);
        await gradeObservedAsAws(scenario);
      } finally {
        for (const u of undo.splice(0)) await u();
      }
      if (scenario === FARGATE && variant === 'no-s3-path') {
        await fixFargate(ctx);
        expect(await gradeObserved(scenario)).toBe('fixed');
        await gradeObservedAsAws(scenario);
      }
    } finally {
      await destroyScenario(scenario, ctx);
      ctx.clients.destroy();
    }
  });
});

describe('the published policy', () => {
  test('grading sent only reads', () => {
    const a = audit([...calls]);
    expect({ mutating: a.mutating, unproven: a.unproven }).toEqual({ mutating: [], unproven: [] });
  });

  test('holds every action grading needs, and nothing else', () => {
    const needed = new Set(
      [...calls]
        .map((c) => iamActionFor(c.slice(0, c.indexOf(':')), c.slice(c.indexOf(':') + 1)))
        .filter((a): a is string => a !== undefined),
    );
    if (process.env.UPDATE_GRADER_POLICY === '1') writeFileSync(POLICY_FILE, `${JSON.stringify(graderPolicy(needed), null, 2)}\n`);
    const published = JSON.parse(readFileSync(POLICY_FILE, 'utf8'));
    expect(published.Statement).toHaveLength(1);
    expect(published.Statement[0]).toMatchObject({ Effect: 'Allow', Resource: '*' });
    const actions = new Set<string>(published.Statement[0].Action);
    const missing = [...needed].filter((a) => !actions.has(a)).sort();
    const extra = [...actions].filter((a) => !needed.has(a)).sort();
    // On failure: add `missing` to / remove `extra` from docs/grader-policy.json (or rerun with UPDATE_GRADER_POLICY=1) and update INSTRUCTORS.md.
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(published).toEqual(graderPolicy(actions));
  });

  test('maps SDK operations to IAM actions where the names differ', () => {
    expect(iamActionFor('s3', 'HeadObjectCommand')).toBe('s3:GetObject');
    expect(iamActionFor('s3', 'ListObjectsV2Command')).toBe('s3:ListBucket');
    expect(iamActionFor('s3', 'GetPublicAccessBlockCommand')).toBe('s3:GetBucketPublicAccessBlock');
    expect(iamActionFor('tagging', 'GetResourcesCommand')).toBe('tag:GetResources');
    expect(iamActionFor('sts', 'GetCallerIdentityCommand')).toBeUndefined();
    expect(iamActionFor('ec2', 'DescribeRouteTablesCommand')).toBe('ec2:DescribeRouteTables');
  });
});
