/**
 * Before the stack goes: the task-definition revisions the learner
 * registered, what the learner did to IAM (policies on the lab's roles,
 * roles and policies made for the lab, named after the stack, as the
 * solution names them), anything added inside the lab VPC (a DynamoDB
 * gateway endpoint for an aws:SourceVpce condition, routes, security
 * groups), and a resource policy on the orders table (the table's own
 * deletion would take it on AWS; on an emulator it has outlived the table,
 * and one denying DeleteTable would stop the stack's deletion). After:
 * whatever named after the stack is still there, found by listing.
 */
import type { ScenarioContext } from '../../lib/scenario/types';
import { unguardTable } from '../../lib/cleanup/dynamodb-table';
import { learnerIamLeftovers, sweepLearnerIam } from '../../lib/cleanup/iam-sweeper';
import { familyOf, sweepLearnerTaskDefinitions } from '../../lib/cleanup/task-definition-sweeper';
import { sweepLearnerVpcResources } from '../../lib/cleanup/vpc-sweeper';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { waitsOf } from '../../lib/targets/target';

export async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const stackOwned = new Set(resources.map((r) => r.PhysicalResourceId!).filter(Boolean));
  const [stackTaskDef] = physicalIdsOfType(resources, 'AWS::ECS::TaskDefinition');
  const family = stackTaskDef ? familyOf(stackTaskDef) : `${ctx.stackName}-app`;
  const removed = [
    ...(await sweepLearnerTaskDefinitions(ctx.clients.ecs, family, new Set(stackTaskDef ? [stackTaskDef] : []))),
    ...(await sweepLearnerIam(ctx.clients, ctx.stackName, resources)),
  ];
  for (const table of physicalIdsOfType(resources, 'AWS::DynamoDB::Table')) removed.push(...(await unguardTable(ctx, table)));
  const [vpcId] = physicalIdsOfType(resources, 'AWS::EC2::VPC');
  if (vpcId)
    removed.push(
      ...(await sweepLearnerVpcResources(ctx.clients.ec2, vpcId, { stackOwned, progress: ctx.progress, waits: waitsOf(ctx.target) })),
    );
  return removed;
}

export const leftovers = (ctx: ScenarioContext): Promise<string[]> => learnerIamLeftovers(ctx.clients, ctx.stackName);
