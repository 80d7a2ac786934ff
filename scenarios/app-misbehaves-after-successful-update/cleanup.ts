/**
 * What a learner may have made outside the stack while reconciling: a copy
 * of a parameter, a second table, a test function, policies on the
 * function's role, deletion protection or a resource policy on the table.
 * Those carry the stack's name prefix by convention of the brief; the
 * region listing reports anything else. breakfix's own leftover probes know
 * neither Lambda nor Parameter Store, so this scenario declares them.
 */
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteParameterCommand, GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Probes } from '../../lib/cleanup/inventory';
import type { ScenarioContext } from '../../lib/scenario/types';
import { unguardTable } from '../../lib/cleanup/dynamodb-table';
import { learnerIamLeftovers, sweepLearnerIam } from '../../lib/cleanup/iam-sweeper';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { NOT_FOUND, exists, ignoring } from '../../lib/toolkit/aws-errors';

/** Parameters under the lab's path that are not in `managed` (a learner's copies), deleted; one line each. */
async function sweepLabPathParameters(ctx: ScenarioContext, managed: ReadonlySet<string | undefined>): Promise<string[]> {
  const ssm = ctx.clients.client(SSMClient);
  const removed: string[] = [];
  let token: string | undefined;
  do {
    const page = await ssm.send(new GetParametersByPathCommand({ Path: `/${ctx.stackName}/`, Recursive: true, NextToken: token }));
    for (const p of page.Parameters ?? []) {
      if (!p.Name || managed.has(p.Name)) continue;
      await ignoring(['ParameterNotFound'], ssm.send(new DeleteParameterCommand({ Name: p.Name })));
      removed.push(`SSM parameter ${p.Name}`);
    }
    token = page.NextToken;
  } while (token);
  return removed;
}

/**
 * Before the stack is deleted: the learner's parameters under the lab's path, what the learner put on the
 * stack's roles (and the roles and policies made for the lab), and the table's deletion protection and
 * resource policy, which would stop CloudFormation deleting it.
 */
export async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const resources = await ignoring(['ValidationError'], listStackResources(ctx.clients.cloudformation, ctx.stackName), []);
  const managed = new Set(resources.filter((r) => r.ResourceType === 'AWS::SSM::Parameter').map((r) => r.PhysicalResourceId));
  const removed = [...(await sweepLabPathParameters(ctx, managed)), ...(await sweepLearnerIam(ctx.clients, ctx.stackName, resources))];
  for (const table of physicalIdsOfType(resources, 'AWS::DynamoDB::Table')) removed.push(...(await unguardTable(ctx, table)));
  return removed;
}

/** After the stack is gone (by destroy, or by the learner's own delete-stack): anything still under the lab's path. */
export const afterStackDeleted = (ctx: ScenarioContext): Promise<string[]> => sweepLabPathParameters(ctx, new Set());

export const leftovers = (ctx: ScenarioContext): Promise<string[]> => learnerIamLeftovers(ctx.clients, ctx.stackName);

/** Leftover probes for the stack's types breakfix does not probe itself. */
export const probes: Probes = {
  'AWS::Lambda::Function': async (clients, name) =>
    (await exists(NOT_FOUND.resource, clients.client(LambdaClient).send(new GetFunctionCommand({ FunctionName: name }))))
      ? `Lambda function ${name}`
      : undefined,
  'AWS::SSM::Parameter': async (clients, name) =>
    (await exists(['ParameterNotFound'], clients.client(SSMClient).send(new GetParameterCommand({ Name: name }))))
      ? `SSM parameter ${name}`
      : undefined,
};
