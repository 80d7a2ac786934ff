/**
 * patch_cfn_delete_stack: a resource that cannot be deleted leaves the stack
 * DELETE_FAILED (listed, with the resource's reason) instead of leaking the
 * resource's own error and losing the stack; DeleteStack again, or with
 * RetainResources, finishes.
 *
 * The failure comes from emulator state: a DynamoDB table with deletion
 * protection turned on.
 *
 * AWS sources: "Delete a stack" and "Stack status codes" (CloudFormation
 * User Guide), "DeleteStack" (CloudFormation API Reference: RetainResources).
 */
import { DeleteStackCommand, DescribeStacksCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { eventLines, since } from '../fidelity-rollback/harness';
import { clientConfig, createStack, Flavour, FLAVOURS, rejection, stackOnBothFlavours, Template } from './cfn-harness';

const STACK = 'fidelity-delete';
const TEMPLATE: Template = {
  Resources: {
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/fidelity/delete', RetentionInDays: 7 } },
    Orders: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'fidelity-protected',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        DeletionProtectionEnabled: true,
      },
    },
  },
};

describe('DeleteStack with a resource that cannot be deleted', () => {
  const { clients } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({
    ddb: new DynamoDBClient(clientConfig(endpoint)),
    logs: new CloudWatchLogsClient(clientConfig(endpoint)),
  }));
  const first = {} as Record<Flavour, { error?: string; status?: string; table: boolean; logs: boolean }>;

  const tableExists = async (flavour: Flavour) =>
    !!(await clients[flavour].ddb.send(new DescribeTableCommand({ TableName: 'fidelity-protected' })).catch(() => undefined));
  const logsExist = async (flavour: Flavour) =>
    ((await clients[flavour].logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/fidelity/delete' }))).logGroups ?? []).length >
    0;

  beforeAll(async () => {
    for (const flavour of FLAVOURS) {
      const { cfn } = clients[flavour];
      let error: string | undefined;
      try {
        await cfn.send(new DeleteStackCommand({ StackName: STACK }));
      } catch (err) {
        error = (err as Error).name;
      }
      const stack = await cfn.send(new DescribeStacksCommand({ StackName: STACK })).catch(() => undefined);
      first[flavour] = {
        error,
        status: stack?.Stacks?.[0]?.StackStatus,
        table: await tableExists(flavour),
        logs: await logsExist(flavour),
      };
    }
  });

  test('stock moto leaks DynamoDB’s error and loses the stack while the table stays (patch still needed)', () => {
    expect(first.stock.error).toBeDefined();
    expect(first.stock.error).not.toBe('ValidationError');
    expect(first.stock.status).toBeUndefined();
    expect(first.stock.table).toBe(true);
  });

  test('patched moto answers DeleteStack, deletes what it can and leaves the stack DELETE_FAILED with the reason', async () => {
    expect(first.patched).toEqual({ error: undefined, status: 'DELETE_FAILED', table: true, logs: false });
    const { cfn } = clients.patched;
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0];
    expect(stack.StackStatusReason).toBe('The following resource(s) failed to delete: [Orders].');
    const lines = await eventLines(cfn, STACK);
    expect(since(lines, (l) => l.id === STACK && l.status === 'DELETE_IN_PROGRESS')).toEqual([
      `${STACK} DELETE_IN_PROGRESS`,
      'Orders DELETE_IN_PROGRESS',
      'Logs DELETE_IN_PROGRESS',
      'Logs DELETE_COMPLETE',
      'Orders DELETE_FAILED',
      `${STACK} DELETE_FAILED`,
    ]);
    expect(lines.find((l) => l.id === 'Orders' && l.status === 'DELETE_FAILED')!.reason).toMatch(
      /deletion protection|DeletionProtection|protected/i,
    );
  });

  test('patched moto: RetainResources is refused on a stack that is not DELETE_FAILED', async () => {
    const { cfn } = clients.patched;
    expect(
      (await createStack(cfn, 'steady', { Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/steady' } } } }))
        .status,
    ).toBe('CREATE_COMPLETE');
    const err = await rejection(cfn.send(new DeleteStackCommand({ StackName: 'steady', RetainResources: ['Logs'] })));
    expect([err.name, err.message]).toEqual([
      'ValidationError',
      'Stack [steady] is in CREATE_COMPLETE state: RetainResources can only be specified for a stack in DELETE_FAILED state.',
    ]);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'steady' }))).Stacks![0].StackStatus).toBe('CREATE_COMPLETE');
  });

  test('patched moto: DeleteStack with RetainResources completes, keeping the table', async () => {
    const { cfn } = clients.patched;
    const id = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0].StackId!;
    await cfn.send(new DeleteStackCommand({ StackName: STACK, RetainResources: ['Orders'] }));
    const lines = await eventLines(cfn, id);
    expect(since(lines, (l) => l.id === STACK && l.status === 'DELETE_IN_PROGRESS')).toEqual([
      `${STACK} DELETE_IN_PROGRESS`,
      'Orders DELETE_SKIPPED',
      `${STACK} DELETE_COMPLETE`,
    ]);
    expect((await rejection(cfn.send(new DescribeStacksCommand({ StackName: STACK })))).name).toBe('ValidationError');
    const deleted = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }));
    expect(deleted.StackSummaries!.some((s) => s.StackId === id)).toBe(true);
    expect(await tableExists('patched')).toBe(true);
  });
});
