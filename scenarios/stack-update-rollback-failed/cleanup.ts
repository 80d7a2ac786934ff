/**
 * Destroy removes everything, the retained orders table included: a lab's
 * "production data" is seed data, and leaving a table behind would block the
 * next deploy (the table name is fixed).
 */
import { UpdateTerminationProtectionCommand } from '@aws-sdk/client-cloudformation';
import { DeleteLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteResourcePolicyCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetResourcePolicyCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { ScenarioContext } from '../../lib/scenario/types';
import { EnvironmentError } from '../../lib/core/errors';
import { pollUntil } from '../../lib/core/poll';
import { describeStack } from '../../lib/engines/cfn/stack-state';
import { waitsOf } from '../../lib/targets/target';
import { NOT_FOUND, ignoring } from '../../lib/toolkit/aws-errors';
import { logGroupName, tableName } from './lab';

async function tableStatus(ctx: ScenarioContext, name: string): Promise<string | undefined> {
  const out = await ignoring(NOT_FOUND.resource, ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: name })));
  return out && (out.Table?.TableStatus ?? 'ACTIVE');
}

/**
 * What a learner may have put on the retained table that would stop
 * DeleteTable or outlive it: deletion protection (DeleteTable is refused while
 * it is on) and a resource policy (one denying dynamodb:DeleteTable would
 * refuse breakfix too). Both come off first. Returns one line per change.
 */
async function unguardTable(ctx: ScenarioContext, name: string): Promise<string[]> {
  const ddb = ctx.clients.dynamodb;
  const changed: string[] = [];
  const table = await ignoring(NOT_FOUND.resource, ddb.send(new DescribeTableCommand({ TableName: name })));
  if (!table) return changed;
  const arn = table.Table?.TableArn;
  if (
    arn &&
    (await ignoring(['PolicyNotFoundException', ...NOT_FOUND.resource], ddb.send(new GetResourcePolicyCommand({ ResourceArn: arn }))))
  ) {
    await ignoring(['PolicyNotFoundException', ...NOT_FOUND.resource], ddb.send(new DeleteResourcePolicyCommand({ ResourceArn: arn })));
    changed.push(`resource policy of DynamoDB table ${name}`);
  }
  if (table.Table?.DeletionProtectionEnabled) {
    await ddb.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
    // DeleteTable refuses a table that is still UPDATING.
    const waits = waitsOf(ctx.target);
    await pollUntil(
      () => tableStatus(ctx, name),
      (status) => status !== 'UPDATING',
      {
        pollMs: waits.pollMs,
        timeoutMs: waits.resourceMs,
        timedOut: (status) =>
          new EnvironmentError('wait-timed-out', `DynamoDB table ${name} was still ${status} when breakfix stopped waiting.`),
      },
    );
    changed.push(`deletion protection of DynamoDB table ${name} (turned off so the table can be deleted)`);
  }
  return changed;
}

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
