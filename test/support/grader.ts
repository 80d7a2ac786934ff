/**
 * What grading a scenario reads, observed: `class grade`'s path (DescribeStacks,
 * then the checker) with an SDK observer, as on an emulator and down the
 * real-AWS code path (target kind aws, pointed at moto), on the broken lab and
 * after changes a learner might make that send checkers down conditional
 * reads. The grader-policy test runs it for every scenario; the template test
 * for a copied template.
 */
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { AttachRolePolicyCommand, CreatePolicyCommand, DeletePolicyCommand, DetachRolePolicyCommand } from '@aws-sdk/client-iam';
import { gradeClass } from '../../lib/class/grade';
import { GRADING_BASE_ACTIONS, iamActionFor } from '../../lib/class/grader-policy';
import { parseRoster } from '../../lib/class/roster';
import { checkScenario } from '../../lib/ops/check';
import { makeContext } from '../../lib/ops/context';
import { describeStack, listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { TAG_VARIANT } from '../../lib/scenario/naming';
import type { ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';
import { AwsClients, type CommandObserver } from '../../lib/targets/clients';
import { EMULATOR_CREDENTIALS, Target } from '../../lib/targets/target';
import { cleanEnv } from '../cli/harness';

/** The learner name grading-observation labs are deployed for. */
export const GRADER_LEARNER = 'grader';

/** Records each call as `service:Operation`. */
export function recorder(calls: Set<string>): CommandObserver {
  return (service, command) => void calls.add(`${service}:${command.replace(/Command$/, '')}`);
}

/** `class grade` for one learner and one scenario, observed; the cell's status. */
export async function gradeObserved(scenario: ScenarioDefinition, endpoint: string, observer: CommandObserver): Promise<string> {
  const roster = parseRoster('inline', { learners: [{ name: GRADER_LEARNER, target: 'moto', endpoint }] });
  const report = await gradeClass(roster, [scenario], { env: cleanEnv(), clientOptions: { observer } });
  return report.cells[0].status;
}

/** The same grading down the real-AWS code path (e.g. ECS stopped tasks), answered by moto. */
export async function gradeObservedAsAws(scenario: ScenarioDefinition, endpoint: string, observer: CommandObserver): Promise<void> {
  const target: Target = { kind: 'aws', region: 'us-east-1', endpoint };
  const clients = new AwsClients(target, { credentials: EMULATOR_CREDENTIALS, observer });
  try {
    const stack = await describeStack(clients.cloudformation, `${GRADER_LEARNER}-${scenario.id}`);
    const ctx = makeContext({ scenario, target, learner: GRADER_LEARNER, variant: stack!.tags[TAG_VARIANT], clients });
    await checkScenario(scenario, ctx);
  } finally {
    clients.destroy();
  }
}

/**
 * Changes a learner might make that take checkers down reads the broken lab
 * does not: a customer managed policy on every lab role (live-policy reads),
 * and a stopped task for every ECS service (AWS's stopped reasons). Pushes
 * the undo.
 */
export async function stimulate(ctx: ScenarioContext, undo: (() => Promise<unknown>)[]): Promise<void> {
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

/**
 * The IAM actions behind the calls observed for one scenario, minus what
 * grading reads itself: what its scenario.json must declare, no more, no less.
 */
export function scenarioActions(scenario: ScenarioDefinition, calls: Iterable<string>): string[] {
  const actions = new Set(
    [...calls]
      .map((c) => iamActionFor(c.slice(0, c.indexOf(':')), c.slice(c.indexOf(':') + 1), scenario.meta.grader))
      .filter((a): a is string => a !== undefined),
  );
  return [...actions].filter((a) => !GRADING_BASE_ACTIONS.includes(a)).sort();
}

/** What a scenario declares against what grading was seen to need. */
export function declarationGap(scenario: ScenarioDefinition, calls: Iterable<string>): { missing: string[]; extra: string[] } {
  const needed = scenarioActions(scenario, calls);
  const declared = scenario.meta.grader.actions;
  return { missing: needed.filter((a) => !declared.includes(a)), extra: declared.filter((a) => !needed.includes(a)).sort() };
}
