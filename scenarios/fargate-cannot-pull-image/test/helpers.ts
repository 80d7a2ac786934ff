/** Shared by the variant tests: the live lab as a learner sees it, and a learner's new task-definition revision. */
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import type { CheckReport } from '../../../checkers/criterion';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { gatherFargatePull } from '../gather';

export const message = (r: CheckReport, id: string) => r.criteria.find((c) => c.id === id)!.message;

export async function live(ctx: ScenarioContext) {
  const s = await gatherFargatePull(ctx);
  return { s, roleName: s.executionRole!.roleName, cluster: s.service.clusterArn!, service: s.service.serviceName!, repo: s.repository! };
}

/** A new revision of the service's live task definition with one change, as a learner registers it. */
export async function registerRevision(
  ctx: ScenarioContext,
  change: (input: RegisterTaskDefinitionCommandInput) => void,
): Promise<{ arn: string; familyRevision: string }> {
  const { s } = await live(ctx);
  const td = (await ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: s.service.taskDefinition }))).taskDefinition!;
  const input: RegisterTaskDefinitionCommandInput = {
    family: td.family!,
    containerDefinitions: td.containerDefinitions!,
    executionRoleArn: td.executionRoleArn,
    taskRoleArn: td.taskRoleArn,
    networkMode: td.networkMode,
    requiresCompatibilities: td.requiresCompatibilities,
    cpu: td.cpu,
    memory: td.memory,
  };
  change(input);
  const out = await ctx.clients.ecs.send(new RegisterTaskDefinitionCommand(input));
  return { arn: out.taskDefinition!.taskDefinitionArn!, familyRevision: `${out.taskDefinition!.family}:${out.taskDefinition!.revision}` };
}
