/**
 * After the CDK deploy: record, outside the stack, which stack and database
 * breakfix deployed (so a stack deleted and created again is told apart from
 * one updated in place). Then prove the lab is armed: the exposed password
 * is visible where this variant shows it, the database takes it from the
 * template, and the stack is the one deployed.
 */
import { DescribeStacksCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Criterion } from '../../checkers/criterion';
import { exactlyBlocking } from '../../lib/toolkit/armed';
import type { ArmedResult, ScenarioContext } from '../../lib/scenario/types';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { gatherOrders, OrdersSnapshot } from './gather';
import { EXPOSED_PASSWORD, labRecordName, type LabRecord, PASSWORD_PARAMETER, VARIANTS } from './lab';

/**
 * The CDK toolkit redeploys with the previous values of existing parameters, so after a learner passed a
 * new password through the parameter, a reset would keep it. Arming puts the exposed value back, as the
 * lab's story starts with it (no-op when the stack already has it: CloudFormation answers "No updates").
 */
export async function putExposedPasswordBack(ctx: ScenarioContext): Promise<void> {
  const cfn = ctx.clients.cloudformation;
  try {
    await cfn.send(
      new UpdateStackCommand({
        StackName: ctx.stackName,
        UsePreviousTemplate: true,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [{ ParameterKey: PASSWORD_PARAMETER, ParameterValue: EXPOSED_PASSWORD }],
      }),
    );
  } catch (e) {
    if (/No updates are to be performed/i.test((e as Error).message)) return;
    throw e;
  }
  for (let i = 0; i < 600; i++) {
    const status = (await cfn.send(new DescribeStacksCommand({ StackName: ctx.stackName }))).Stacks?.[0]?.StackStatus ?? '';
    if (!status.endsWith('IN_PROGRESS')) {
      if (status !== 'UPDATE_COMPLETE') throw new Error(`Stack ${ctx.stackName} ended ${status} while its password parameter was armed.`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Stack ${ctx.stackName} did not finish arming its password parameter.`);
}

export async function afterDeploy(ctx: ScenarioContext): Promise<void> {
  await putExposedPasswordBack(ctx);
  const stack = (await ctx.clients.cloudformation.send(new DescribeStacksCommand({ StackName: ctx.stackName }))).Stacks?.[0];
  const [dbId] = physicalIdsOfType(await listStackResources(ctx.clients.cloudformation, ctx.stackName), 'AWS::RDS::DBInstance');
  const db = (await ctx.clients.client(RDSClient).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: dbId }))).DBInstances?.[0];
  if (!stack?.StackId || !db?.DbiResourceId) throw new Error(`Stack ${ctx.stackName} or its DB instance ${dbId} reports no ID.`);
  const record: LabRecord = { stackId: stack.StackId, dbiResourceId: db.DbiResourceId };
  await ctx.clients.client(SSMClient).send(
    new PutParameterCommand({
      Name: labRecordName(ctx.stackName),
      Type: 'String',
      Overwrite: true,
      Description: `breakfix: the stack and database deployed for lab ${ctx.stackName} (IDs only)`,
      Value: JSON.stringify(record),
    }),
  );
}

/** The criteria each variant's fault breaks, and no others. */
export const ARMED_FAILING: Readonly<Record<string, readonly string[]>> = {
  [VARIANTS.plain]: [
    'password-not-in-stack-parameters',
    'password-not-in-stack-template',
    'password-not-in-function-environment',
    'database-password-from-secret-store',
    'exposed-password-rotated',
    'app-can-read-database-password',
  ],
  [VARIANTS.noEcho]: [
    'password-not-in-stack-template',
    'password-not-in-stack-outputs',
    'password-not-in-function-environment',
    'database-password-from-secret-store',
    'exposed-password-rotated',
    'app-can-read-database-password',
  ],
};

export const verifyArmed =
  (criteria: readonly Criterion<OrdersSnapshot>[]) =>
  async (ctx: ScenarioContext): Promise<ArmedResult> => {
    const s = await gatherOrders(ctx);
    const result = await exactlyBlocking(ctx, criteria, s, ARMED_FAILING[ctx.variant] ?? []);
    return result.armed ? { armed: true, facts: result.blocking.map((c) => c.message) } : result;
  };
