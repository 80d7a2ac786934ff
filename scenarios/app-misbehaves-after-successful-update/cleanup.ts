/**
 * What a learner may have made outside the stack while reconciling: a copy
 * of a parameter, a second table, a test function. Those carry the stack's
 * name prefix by convention of the brief; the region listing reports
 * anything else. breakfix's own leftover probes know neither Lambda nor
 * Parameter Store, so this scenario declares them.
 */
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteParameterCommand, GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Probes } from '../../lib/cleanup/inventory';
import type { ScenarioContext } from '../../lib/scenario/types';
import { listStackResources } from '../../lib/engines/cfn/stack-state';
import { NOT_FOUND, exists, ignoring } from '../../lib/toolkit/aws-errors';

/** Parameters under the lab's path that the stack does not manage (a learner's copies). */
export async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const ssm = ctx.clients.client(SSMClient);
  const managed = new Set(
    (await ignoring(['ValidationError'], listStackResources(ctx.clients.cloudformation, ctx.stackName), []))
      .filter((r) => r.ResourceType === 'AWS::SSM::Parameter')
      .map((r) => r.PhysicalResourceId),
  );
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
