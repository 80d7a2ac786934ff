/**
 * A DynamoDB table a lab will delete, freed of what a learner may have put on
 * it that would stop DeleteTable or outlive it: a resource policy (one denying
 * dynamodb:DeleteTable would refuse breakfix too; on an emulator it has
 * outlived the table) and deletion protection (DeleteTable, CloudFormation's
 * included, is refused while it is on, and while the table is still UPDATING).
 */
import { DeleteResourcePolicyCommand, DescribeTableCommand, GetResourcePolicyCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../targets/clients';
import type { Target } from '../targets/target';
import { EnvironmentError } from '../core/errors';
import { pollUntil } from '../core/poll';

/** Where the table is: the clients of its account and its target (a ScenarioContext is one). */
export interface TableOwner {
  readonly clients: AwsClients;
  readonly target: Target;
}
import { waitsOf } from '../targets/target';
import { NOT_FOUND, ignoring } from '../toolkit/aws-errors';

export async function tableStatus(ctx: TableOwner, name: string): Promise<string | undefined> {
  const out = await ignoring(NOT_FOUND.resource, ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: name })));
  return out && (out.Table?.TableStatus ?? 'ACTIVE');
}

/**
 * What a learner may have put on the retained table that would stop
 * DeleteTable or outlive it: deletion protection (DeleteTable is refused while
 * it is on) and a resource policy (one denying dynamodb:DeleteTable would
 * refuse breakfix too). Both come off first. Returns one line per change.
 */
export async function unguardTable(ctx: TableOwner, name: string): Promise<string[]> {
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
