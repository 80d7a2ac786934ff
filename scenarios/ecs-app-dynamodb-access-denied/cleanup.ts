/**
 * Before the stack goes: the task-definition revisions the learner
 * registered, and what the learner did to IAM (policies on the lab's roles,
 * roles and policies made for the lab, named after the stack, as the
 * solution names them). After: whatever named after the stack is still there,
 * found by listing.
 */
import type { ScenarioContext } from '../../lib/scenario/types';
import { learnerIamLeftovers, sweepLearnerIam } from '../../lib/cleanup/iam-sweeper';
import { familyOf, sweepLearnerTaskDefinitions } from '../../lib/cleanup/task-definition-sweeper';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { sweepLearnerVpcResources } from '../../lib/cleanup/vpc-sweeper';
import { waitsOf } from '../../lib/targets/target';

export async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const [stackTaskDef] = physicalIdsOfType(resources, 'AWS::ECS::TaskDefinition');
  const family = stackTaskDef ? familyOf(stackTaskDef) : `${ctx.stackName}-app`;
  // A gateway endpoint the learner added to the lab VPC would outlive the VPC (and block its deletion on AWS).
  const [vpcId] = physicalIdsOfType(resources, 'AWS::EC2::VPC');
  const stackOwned = new Set(resources.map((r) => r.PhysicalResourceId!).filter(Boolean));
  return [
    ...(await sweepLearnerTaskDefinitions(ctx.clients.ecs, family, new Set(stackTaskDef ? [stackTaskDef] : []))),
    ...(await sweepLearnerIam(ctx.clients, ctx.stackName, resources)),
    ...(vpcId
      ? await sweepLearnerVpcResources(ctx.clients.ec2, vpcId, { stackOwned, progress: ctx.progress, waits: waitsOf(ctx.target) })
      : []),
  ];
}

export const leftovers = (ctx: ScenarioContext): Promise<string[]> => learnerIamLeftovers(ctx.clients, ctx.stackName);
