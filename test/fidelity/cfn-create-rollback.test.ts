/**
 * patch_cfn_create_rollback: a resource that fails while CloudFormation
 * creates a stack fails the stack (CREATE_FAILED resource, then ROLLBACK_*
 * or what OnFailure asks for), as a CloudFormation answer and events, never
 * as another service's error.
 *
 * The failure comes from emulator state only: a DynamoDB table kept by
 * DeletionPolicy Retain holds the name the new stack wants.
 *
 * AWS sources: "CreateStack" (CloudFormation API Reference: OnFailure,
 * DisableRollback), "Stack status codes" and "Resource status codes"
 * (CloudFormation User Guide), "Resource type handler error codes"
 * (CloudFormation CLI User Guide: AlreadyExists).
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { eventLines } from '../fidelity-rollback/harness';
import { clientConfig, createStack, deleteStack, Flavour, FLAVOURS, MotoPair, rejection, startMotoPair, Template } from './cfn-harness';

const TABLE = 'fidelity-orders';
const table = (extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  },
  ...extra,
});

/** A log group first, then the table whose name the retained table holds. */
const clash = (group: string): Template => ({
  Resources: {
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: group, RetentionInDays: 7 } },
    Orders: table({ DependsOn: 'Logs' }),
  },
});

const ALREADY_EXISTS = new RegExp(
  `^Resource handler returned message: "Resource of type 'AWS::DynamoDB::Table' with identifier '${TABLE}' already exists\\." \\(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: AlreadyExists\\)$`,
);

interface Clients {
  cfn: CloudFormationClient;
  logs: CloudWatchLogsClient;
  ddb: DynamoDBClient;
}

async function groupExists(logs: CloudWatchLogsClient, name: string): Promise<boolean> {
  const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return (out.logGroups ?? []).some((g) => g.logGroupName === name);
}

async function status(cfn: CloudFormationClient, name: string): Promise<string | undefined> {
  return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus;
}

describe('a stack whose create fails', () => {
  let motos: MotoPair;
  const c = {} as Record<Flavour, Clients>;
  const createError = {} as Record<Flavour, { name?: string; status?: number }>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const config = clientConfig(motos[flavour].endpoint);
      c[flavour] = { cfn: new CloudFormationClient(config), logs: new CloudWatchLogsClient(config), ddb: new DynamoDBClient(config) };
      const { cfn } = c[flavour];
      // The holder stack goes, its table stays (DeletionPolicy Retain).
      expect((await createStack(cfn, 'holder', { Resources: { Orders: table({ DeletionPolicy: 'Retain' }) } })).status).toBe(
        'CREATE_COMPLETE',
      );
      await deleteStack(cfn, 'holder');
      try {
        await cfn.send(new CreateStackCommand({ StackName: 'clash', TemplateBody: JSON.stringify(clash('/fidelity/clash')) }));
      } catch (err) {
        const e = err as Error & { $metadata?: { httpStatusCode?: number } };
        createError[flavour] = { name: e.name, status: e.$metadata?.httpStatusCode };
      }
    }
  });

  afterAll(async () => {
    for (const x of Object.values(c)) for (const client of Object.values(x)) client.destroy();
    await motos?.stop();
  });

  test('stock moto answers CreateStack with an error CloudFormation never returns, and the stack stays CREATE_IN_PROGRESS (patch still needed)', async () => {
    expect(createError.stock).toBeDefined();
    expect(createError.stock.name).not.toBe('ValidationError');
    expect(await status(c.stock.cfn, 'clash')).toBe('CREATE_IN_PROGRESS');
    expect(await groupExists(c.stock.logs, '/fidelity/clash')).toBe(true);
  });

  test('patched moto accepts CreateStack, then the stack ends ROLLBACK_COMPLETE', async () => {
    expect(createError.patched).toBeUndefined();
    expect(await status(c.patched.cfn, 'clash')).toBe('ROLLBACK_COMPLETE');
  });

  test('patched moto writes the events AWS writes: CREATE_FAILED with the handler reason, then the rollback', async () => {
    const lines = await eventLines(c.patched.cfn, 'clash');
    expect(lines.map((l) => `${l.id} ${l.status}`)).toEqual([
      'clash CREATE_IN_PROGRESS',
      'Logs CREATE_IN_PROGRESS',
      'Logs CREATE_COMPLETE',
      'Orders CREATE_IN_PROGRESS',
      'Orders CREATE_FAILED',
      'clash ROLLBACK_IN_PROGRESS',
      'Orders DELETE_IN_PROGRESS',
      'Orders DELETE_COMPLETE',
      'Logs DELETE_IN_PROGRESS',
      'Logs DELETE_COMPLETE',
      'clash ROLLBACK_COMPLETE',
    ]);
    expect(lines.find((l) => l.id === 'clash' && l.status === 'CREATE_IN_PROGRESS')!.reason).toBe('User Initiated');
    expect(lines.find((l) => l.id === 'Orders' && l.status === 'CREATE_FAILED')!.reason).toMatch(ALREADY_EXISTS);
    expect(lines.find((l) => l.id === 'clash' && l.status === 'ROLLBACK_IN_PROGRESS')!.reason).toBe(
      'The following resource(s) failed to create: [Orders]. Rollback requested by user.',
    );
  });

  test('patched moto deleted what the stack created and left the retained table alone', async () => {
    const { cfn, logs, ddb } = c.patched;
    expect(await groupExists(logs, '/fidelity/clash')).toBe(false);
    expect((await ddb.send(new DescribeTableCommand({ TableName: TABLE }))).Table!.TableStatus).toBe('ACTIVE');
    expect((await cfn.send(new ListStackResourcesCommand({ StackName: 'clash' }))).StackResourceSummaries).toEqual([]);
  });

  test('patched moto: a ROLLBACK_COMPLETE stack cannot be updated, only deleted', async () => {
    const { cfn } = c.patched;
    const id = (await cfn.send(new DescribeStacksCommand({ StackName: 'clash' }))).Stacks![0].StackId!;
    const err = await rejection(cfn.send(new UpdateStackCommand({ StackName: 'clash', TemplateBody: JSON.stringify(clash('/x')) })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe(`Stack:${id} is in ROLLBACK_COMPLETE state and can not be updated.`);
    await deleteStack(cfn, 'clash');
    const deleted = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }));
    expect(deleted.StackSummaries!.some((s) => s.StackId === id)).toBe(true);
  });

  test('patched moto: OnFailure DO_NOTHING (or DisableRollback) stops at CREATE_FAILED and keeps what was created', async () => {
    const { cfn, logs } = c.patched;
    for (const [name, extra] of [
      ['keep-a', { OnFailure: 'DO_NOTHING' as const }],
      ['keep-b', { DisableRollback: true }],
    ] as const) {
      await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(clash(`/fidelity/${name}`)), ...extra }));
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0];
      expect(stack.StackStatus).toBe('CREATE_FAILED');
      expect(stack.StackStatusReason).toBe('The following resource(s) failed to create: [Orders].');
      expect(stack.DisableRollback).toBe(true);
      expect(await groupExists(logs, `/fidelity/${name}`)).toBe(true);
    }
  });

  test('patched moto: OnFailure DELETE deletes the stack and what it created', async () => {
    const { cfn, logs } = c.patched;
    const out = await cfn.send(
      new CreateStackCommand({ StackName: 'gone', TemplateBody: JSON.stringify(clash('/fidelity/gone')), OnFailure: 'DELETE' }),
    );
    const lines = await eventLines(cfn, out.StackId!);
    expect(lines.filter((l) => l.id === 'gone').map((l) => l.status)).toEqual([
      'CREATE_IN_PROGRESS',
      'DELETE_IN_PROGRESS',
      'DELETE_COMPLETE',
    ]);
    expect(lines.find((l) => l.id === 'gone' && l.status === 'DELETE_IN_PROGRESS')!.reason).toBe(
      'The following resource(s) failed to create: [Orders]. Delete requested by user.',
    );
    expect(await groupExists(logs, '/fidelity/gone')).toBe(false);
    expect((await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'gone' })))).name).toBe('ValidationError');
  });

  test('patched moto refuses OnFailure together with DisableRollback', async () => {
    const err = await rejection(
      c.patched.cfn.send(
        new CreateStackCommand({
          StackName: 'both',
          TemplateBody: JSON.stringify(clash('/x')),
          OnFailure: 'DELETE',
          DisableRollback: false,
        }),
      ),
    );
    expect(err.name).toBe('ValidationError');
  });
});
