/**
 * What the learner may have created around the lab, removed before the
 * stack goes: task-definition revisions, IAM changes, and anything added
 * inside the lab VPC (endpoints, gateways, route tables, subnets, security
 * groups), which would otherwise block the VPC's deletion. On AWS the stack
 * also holds the seeding Lambda, whose leftover probe lives here.
 */
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ScenarioContext } from '../../lib/scenario/types';
import type { Probes } from '../../lib/cleanup/inventory';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { sweepLearnerIam } from '../../lib/cleanup/iam-sweeper';
import { familyOf, sweepLearnerTaskDefinitions } from '../../lib/cleanup/task-definition-sweeper';
import { sweepLearnerVpcResources } from '../../lib/cleanup/vpc-sweeper';
import { waitsOf } from '../../lib/targets/target';
import { NOT_FOUND, exists } from '../../lib/toolkit/aws-errors';

export async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const stackOwned = new Set(resources.map((r) => r.PhysicalResourceId!).filter(Boolean));
  const removed: string[] = [];
  const [taskDefinitionArn] = physicalIdsOfType(resources, 'AWS::ECS::TaskDefinition');
  if (taskDefinitionArn) removed.push(...(await sweepLearnerTaskDefinitions(ctx.clients.ecs, familyOf(taskDefinitionArn), stackOwned)));
  removed.push(...(await sweepLearnerIam(ctx.clients, ctx.stackName, resources)));
  const [vpcId] = physicalIdsOfType(resources, 'AWS::EC2::VPC');
  if (vpcId)
    removed.push(
      ...(await sweepLearnerVpcResources(ctx.clients.ec2, vpcId, { stackOwned, progress: ctx.progress, waits: waitsOf(ctx.target) })),
    );
  return removed;
}

/** The seeding Lambda exists on AWS only; breakfix's own probes do not know Lambda. */
export const probes: Probes = {
  'AWS::Lambda::Function': async (clients, name) =>
    (await exists(NOT_FOUND.resource, clients.client(LambdaClient).send(new GetFunctionCommand({ FunctionName: name }))))
      ? `Lambda function ${name}`
      : undefined,
};
