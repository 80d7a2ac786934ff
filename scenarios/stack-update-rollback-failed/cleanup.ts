/**
 * Destroy removes everything, the retained orders table included: a lab's
 * "production data" is seed data, and leaving a table behind would block the
 * next deploy (the table name is fixed).
 */
import { UpdateTerminationProtectionCommand } from '@aws-sdk/client-cloudformation';
import { DeleteLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { tableStatus, unguardTable } from '../../lib/cleanup/dynamodb-table';
import type { ScenarioContext } from '../../lib/scenario/types';
import { EnvironmentError } from '../../lib/core/errors';
import { pollUntil } from '../../lib/core/poll';
import { describeStack } from '../../lib/engines/cfn/stack-state';
import { waitsOf } from '../../lib/targets/target';
import { NOT_FOUND, ignoring } from '../../lib/toolkit/aws-errors';
import { logGroupName, tableName } from './lab';

async function logGroupExists(ctx: ScenarioContext, name: string): Promise<boolean> {
  const out = await ctx.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return (out.logGroups ?? []).some((g) => g.logGroupName === name);
}

/** A learner who followed the prevention advice turned termination protection on; DeleteStack would refuse. */
export async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const stack = await describeStack(ctx.clients.cloudformation, ctx.stackName);
  if (!stack?.raw.EnableTerminationProtection) return [];
  await ctx.clients.cloudformation.send(
    new UpdateTerminationProtectionCommand({ StackName: stack.stackId, EnableTerminationProtection: false }),
  );
  return [`termination protection of stack ${ctx.stackName} (turned off so the lab can be deleted)`];
}

/** Removes the retained orders table and any log group recreated outside the stack. */
export async function afterStackDeleted(ctx: ScenarioContext): Promise<string[]> {
  const removed: string[] = [];
  const table = tableName(ctx.stackName);
  if ((await tableStatus(ctx, table)) !== undefined) {
    removed.push(...(await unguardTable(ctx, table)));
    await ignoring(NOT_FOUND.resource, ctx.clients.dynamodb.send(new DeleteTableCommand({ TableName: table })));
    const waits = waitsOf(ctx.target);
    await pollUntil(
      () => tableStatus(ctx, table),
      (status) => status === undefined,
      {
        pollMs: waits.pollMs,
        timeoutMs: waits.resourceMs,
        timedOut: (status) =>
          new EnvironmentError('wait-timed-out', `DynamoDB table ${table} was still ${status} when breakfix stopped waiting.`),
      },
    );
    removed.push(`DynamoDB table ${table} (retained by the stack, deleted with its orders)`);
  }
  const logGroup = logGroupName(ctx.stackName);
  if (await logGroupExists(ctx, logGroup)) {
    await ignoring(NOT_FOUND.resource, ctx.clients.logs.send(new DeleteLogGroupCommand({ logGroupName: logGroup })));
    removed.push(`CloudWatch Logs log group ${logGroup} (created outside the stack)`);
  }
  return removed;
}

export async function leftovers(ctx: ScenarioContext): Promise<string[]> {
  const left: string[] = [];
  const table = tableName(ctx.stackName);
  const status = await tableStatus(ctx, table);
  if (status !== undefined) left.push(`DynamoDB table ${table} (${status})`);
  if (await logGroupExists(ctx, logGroupName(ctx.stackName))) left.push(`CloudWatch Logs log group ${logGroupName(ctx.stackName)}`);
  return left;
}
