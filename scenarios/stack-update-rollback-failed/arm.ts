/**
 * What `breakfix deploy` and `reset` do after the CDK deploy: seed the orders,
 * record which stack is production, and replay the incident. A clean-up
 * script deletes the API's log group outside CloudFormation; then a release
 * raises the log group's retention. The update fails because the log group
 * is gone, and the rollback fails for the same reason: UPDATE_ROLLBACK_FAILED.
 */
import { UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand, ListTagsOfResourceCommand, PutItemCommand, TagResourceCommand } from '@aws-sdk/client-dynamodb';
import type { ArmedResult, ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';
import { EnvironmentError } from '../../lib/core/errors';
import { describeStack } from '../../lib/engines/cfn/stack-state';
import { waitForStackToSettle } from '../../lib/engines/cfn/stack-events';
import { ARMED_STACK_TAG, LOG_GROUP_LOGICAL_ID, ORDERS, RELEASE_RETENTION_DAYS, logGroupName, orderItem, tableName } from './lab';
import { releaseTemplate } from './release';
import { RollbackLabSnapshot, gatherRollbackLab, rollbackFailures } from './gather';

const WAIT = {
  aws: { pollMs: 5000, timeoutMs: 20 * 60_000 },
  emulator: { pollMs: 200, timeoutMs: 2 * 60_000 },
};

function errorName(err: unknown): string | undefined {
  return (err as { name?: string })?.name;
}

/** DynamoDB applies tags asynchronously; the checker must not find the table unmarked. */
async function waitForArmedRecord(ctx: ScenarioContext, tableArn: string, stackId: string): Promise<void> {
  const wait = ctx.target.kind === 'aws' ? WAIT.aws : WAIT.emulator;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const out = await ctx.clients.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: tableArn }));
    if ((out.Tags ?? []).some((t) => t.Key === ARMED_STACK_TAG && t.Value === stackId)) return;
    if (Date.now() > deadline)
      throw new EnvironmentError('wait-timed-out', `DynamoDB did not show tag ${ARMED_STACK_TAG} on ${tableArn} within a minute.`);
    await new Promise((r) => setTimeout(r, wait.pollMs));
  }
}

export async function armRollbackFailure(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<void> {
  const { cloudformation: cfn, dynamodb, logs } = ctx.clients;
  const stack = await describeStack(cfn, ctx.stackName);
  if (!stack) throw new EnvironmentError('arming-failed', `Stack ${ctx.stackName} is missing right after deploy.`);
  const table = tableName(ctx.stackName);

  ctx.progress(`Seeding ${ORDERS.length} orders into ${table}`);
  for (const order of ORDERS) await dynamodb.send(new PutItemCommand({ TableName: table, Item: orderItem(order) }));
  const described = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
  const tableArn = described.Table!.TableArn!;
  await dynamodb.send(new TagResourceCommand({ ResourceArn: tableArn, Tags: [{ Key: ARMED_STACK_TAG, Value: stack.stackId }] }));
  await waitForArmedRecord(ctx, tableArn, stack.stackId);

  ctx.progress(`Deleting log group ${logGroupName(ctx.stackName)} outside CloudFormation`);
  await logs.send(new DeleteLogGroupCommand({ logGroupName: logGroupName(ctx.stackName) })).catch((err) => {
    if (errorName(err) !== 'ResourceNotFoundException') throw err;
  });

  ctx.progress(`Updating ${ctx.stackName}: ${LOG_GROUP_LOGICAL_ID} retention to ${RELEASE_RETENTION_DAYS} days`);
  await cfn.send(new UpdateStackCommand({ StackName: stack.stackId, TemplateBody: releaseTemplate(scenario, ctx) }));
  await waitForStackToSettle(cfn, stack.stackId, { ...(ctx.target.kind === 'aws' ? WAIT.aws : WAIT.emulator), progress: ctx.progress });
}

/** The lab is armed when the stack is stuck and the log group's rollback is what failed. */
export function armedFrom(s: RollbackLabSnapshot): ArmedResult {
  const facts: string[] = [];
  if (!s.stack) return { armed: false, facts: [`Stack ${s.stackName} does not exist.`] };
  if (s.stack.status !== 'UPDATE_ROLLBACK_FAILED') {
    return { armed: false, facts: [`Stack ${s.stackName} is ${s.stack.status}, not UPDATE_ROLLBACK_FAILED.`] };
  }
  facts.push(`Stack ${s.stackName} is UPDATE_ROLLBACK_FAILED${s.stack.statusReason ? `: ${s.stack.statusReason}` : '.'}`);
  const failed = rollbackFailures(s).find((e) => e.logicalId === LOG_GROUP_LOGICAL_ID);
  if (!failed) return { armed: false, facts: [...facts, `No UPDATE_FAILED event of ${LOG_GROUP_LOGICAL_ID} during the rollback.`] };
  facts.push(
    `${LOG_GROUP_LOGICAL_ID} (${failed.physicalId ?? logGroupName(s.stackName)}) UPDATE_FAILED while rolling back: ${failed.reason ?? 'no reason given'}`,
  );
  const intact = s.table.orders.filter((o) => o.intact).length;
  if (!s.table.exists || intact !== ORDERS.length || s.table.armedStackId !== s.stack.stackId) {
    return {
      armed: false,
      facts: [...facts, `Table ${s.table.name} does not hold the ${ORDERS.length} seeded orders recorded against this stack.`],
    };
  }
  facts.push(`Table ${s.table.name} holds ${intact} orders (DeletionPolicy Retain).`);
  return { armed: true, facts };
}

export async function verifyArmed(ctx: ScenarioContext): Promise<ArmedResult> {
  return armedFrom(await gatherRollbackLab(ctx));
}
