/**
 * Lifecycle on moto: whatever a learner did to the orders lab, `reset`
 * re-arms it and `destroy` leaves the region's listing as it was before the
 * lab. One moto, one lab (orders-refused); random learner sequences drawn
 * from a seeded catalogue of SDK calls (parameters, the function, its role,
 * the table, the stack), each followed by an in-process reset, then one
 * sequence followed by destroy.
 */
import {
  DescribeStackDriftDetectionStatusCommand,
  DetectStackDriftCommand,
  GetTemplateCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteItemCommand,
  PutItemCommand,
  PutResourcePolicyCommand,
  TagResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  TagResourceCommand as TagFunctionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { pollUntil } from '../../../lib/core/poll';
import { parseTemplate } from '../../../lib/engines/cfn/drift-resolve';
import { waitForStackToSettle } from '../../../lib/engines/cfn/stack-events';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { useLab } from '../../../test/support/lab';
import { SharedModel, deleteStackAction, labAction, policyDoc, roleActions, sharedInitial } from '../../../test/support/learner-actions';
import { expectEverySequenceResets, expectSequenceThenDestroyLeavesRegionAsBefore, lifecycleSeed } from '../../../test/support/lifecycle';
import scenario from '..';
import { functionName, logGroupName, paymentTimeoutParameter, tableName, writeModeParameter } from '../lab';

const lab = useLab(scenario, { variant: 'orders-refused' });

interface Model extends SharedModel {
  writeModeDeleted: boolean;
  deletionProtection: boolean;
}
const initial = (): Model => ({ ...sharedInitial(), writeModeDeleted: false, deletionProtection: false });

const ssm = (ctx: ScenarioContext) => ctx.clients.client(SSMClient);
const lambda = (ctx: ScenarioContext) => ctx.clients.client(LambdaClient);
const tableArnOf = (ctx: ScenarioContext) => `arn:aws:dynamodb:us-east-1:123456789012:table/${tableName(ctx.stackName)}`;

async function roleOf(ctx: ScenarioContext): Promise<string> {
  const fn = await lambda(ctx).send(new GetFunctionConfigurationCommand({ FunctionName: functionName(ctx.stackName) }));
  return fn.Role!.split('/').pop()!;
}

async function updateWith(ctx: ScenarioContext, edit: (t: any) => void): Promise<void> {
  const cfn = ctx.clients.cloudformation;
  const t = parseTemplate((await cfn.send(new GetTemplateCommand({ StackName: ctx.stackName }))).TemplateBody!) as any;
  edit(t);
  await cfn.send(new UpdateStackCommand({ StackName: ctx.stackName, TemplateBody: JSON.stringify(t), Capabilities: ['CAPABILITY_IAM'] }));
  const settled = await waitForStackToSettle(cfn, ctx.stackName, { pollMs: 200, timeoutMs: 120_000 });
  expect(settled?.status).toBe('UPDATE_COMPLETE');
}

const action = labAction<Model>;

const catalogue = () => [
  action(
    'ssm put-parameter --overwrite the write mode back to read-write',
    async (_m, ctx) => {
      await ssm(ctx).send(
        new PutParameterCommand({ Name: writeModeParameter(ctx.stackName), Value: 'read-write', Type: 'String', Overwrite: true }),
      );
    },
    (m) => !m.writeModeDeleted,
  ),
  action(
    'ssm delete-parameter the write mode',
    async (m, ctx) => {
      await ssm(ctx).send(new DeleteParameterCommand({ Name: writeModeParameter(ctx.stackName) }));
      m.writeModeDeleted = true;
    },
    (m) => !m.writeModeDeleted,
  ),
  action(
    'ssm put-parameter the write mode again (deleted before), with a description',
    async (m, ctx) => {
      await ssm(ctx).send(
        new PutParameterCommand({ Name: writeModeParameter(ctx.stackName), Value: 'read-write', Type: 'String', Description: 'recreated' }),
      );
      m.writeModeDeleted = false;
    },
    (m) => m.writeModeDeleted,
  ),
  action(
    'ssm label-parameter-version incident on the write mode',
    async (_m, ctx) => {
      await ssm(ctx).send(new LabelParameterVersionCommand({ Name: writeModeParameter(ctx.stackName), Labels: ['incident'] }));
    },
    (m) => !m.writeModeDeleted,
  ),
  action('ssm put-parameter a copy under the lab path, and add-tags-to-resource on the payment timeout', async (_m, ctx) => {
    await ssm(ctx).send(
      new PutParameterCommand({ Name: `/${ctx.stackName}/orders/write-mode-copy`, Value: 'read-write', Type: 'String', Overwrite: true }),
    );
    await ssm(ctx).send(
      new AddTagsToResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: paymentTimeoutParameter(ctx.stackName),
        Tags: [{ Key: 'owner', Value: 'learner' }],
      }),
    );
  }),
  action('lambda update-function-configuration --timeout 20 --memory-size 512', async (_m, ctx) => {
    await lambda(ctx).send(
      new UpdateFunctionConfigurationCommand({ FunctionName: functionName(ctx.stackName), Timeout: 20, MemorySize: 512 }),
    );
  }),
  action('lambda update-function-configuration with a DEBUG environment variable added', async (_m, ctx) => {
    const fn = await lambda(ctx).send(new GetFunctionConfigurationCommand({ FunctionName: functionName(ctx.stackName) }));
    await lambda(ctx).send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: functionName(ctx.stackName),
        Environment: { Variables: { ...(fn.Environment?.Variables ?? {}), DEBUG: '1' } },
      }),
    );
  }),
  action('lambda put-function-concurrency 0 (throttle everything)', async (_m, ctx) => {
    await lambda(ctx).send(
      new PutFunctionConcurrencyCommand({ FunctionName: functionName(ctx.stackName), ReservedConcurrentExecutions: 0 }),
    );
  }),
  action('lambda tag-resource on the function', async (_m, ctx) => {
    const fn = await lambda(ctx).send(new GetFunctionConfigurationCommand({ FunctionName: functionName(ctx.stackName) }));
    await lambda(ctx).send(new TagFunctionCommand({ Resource: fn.FunctionArn, Tags: { owner: 'learner' } }));
  }),
  ...roleActions<Model>("orders API function's role", roleOf),
  action(
    'dynamodb update-table --deletion-protection-enabled on the orders table',
    async (m, ctx) => {
      await ctx.clients.dynamodb.send(new UpdateTableCommand({ TableName: tableName(ctx.stackName), DeletionProtectionEnabled: true }));
      m.deletionProtection = true;
    },
    (m) => !m.deletionProtection,
  ),
  action('dynamodb put-resource-policy on the orders table denying DeleteTable and PutItem to everyone', async (_m, ctx) => {
    const arn = tableArnOf(ctx);
    await ctx.clients.dynamodb.send(
      new PutResourcePolicyCommand({
        ResourceArn: arn,
        Policy: policyDoc([{ Effect: 'Deny', Principal: '*', Action: ['dynamodb:DeleteTable', 'dynamodb:PutItem'], Resource: arn }]),
      }),
    );
  }),
  action('dynamodb delete-item an order, put-item a test one, tag-resource, update-time-to-live', async (_m, ctx) => {
    const TableName = tableName(ctx.stackName);
    await ctx.clients.dynamodb.send(new DeleteItemCommand({ TableName, Key: { orderId: { S: 'ord-2001' } } }));
    await ctx.clients.dynamodb.send(new PutItemCommand({ TableName, Item: { orderId: { S: 'learner-test' } } }));
    await ctx.clients.dynamodb.send(new TagResourceCommand({ ResourceArn: tableArnOf(ctx), Tags: [{ Key: 'owner', Value: 'learner' }] }));
    await ctx.clients.dynamodb.send(
      new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }),
    );
  }),
  action('logs put-retention-policy 30 on the function log group', async (_m, ctx) => {
    await ctx.clients.logs.send(new PutRetentionPolicyCommand({ logGroupName: logGroupName(ctx.stackName), retentionInDays: 30 }));
  }),
  action(
    'cloudformation update-stack with the function timeout 15 s and a new write mode description, and wait',
    async (_m, ctx) => {
      await updateWith(ctx, (t) => {
        t.Resources.OrdersApiFunction.Properties.Timeout = 15;
        t.Resources.OrdersWriteModeParameter.Properties.Description = 'learner edit';
      });
    },
    (m) => !m.writeModeDeleted,
  ),
  action('cloudformation detect-stack-drift, and wait for it', async (_m, ctx) => {
    const cfn = ctx.clients.cloudformation;
    const { StackDriftDetectionId } = await cfn.send(new DetectStackDriftCommand({ StackName: ctx.stackName }));
    await pollUntil(
      () => cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId })),
      (d) => d.DetectionStatus !== 'DETECTION_IN_PROGRESS',
      { pollMs: 200, timeoutMs: 60_000, timedOut: () => new Error('drift detection never finished') },
    );
  }),
  deleteStackAction<Model>(),
];

/** A fixed start for the destroy case, so it always meets a guarded table and learner parameters: deletion protection, a policy denying DeleteTable, a copy under the lab path, the function throttled to 0. */
async function guarded(m: Model, ctx: ScenarioContext): Promise<void> {
  const arn = tableArnOf(ctx);
  await ctx.clients.dynamodb.send(new UpdateTableCommand({ TableName: tableName(ctx.stackName), DeletionProtectionEnabled: true }));
  m.deletionProtection = true;
  await ctx.clients.dynamodb.send(
    new PutResourcePolicyCommand({
      ResourceArn: arn,
      Policy: policyDoc([{ Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteTable', Resource: arn }]),
    }),
  );
  await ssm(ctx).send(new PutParameterCommand({ Name: `/${ctx.stackName}/orders/write-mode-copy`, Value: 'read-write', Type: 'String' }));
  await lambda(ctx).send(new PutFunctionConcurrencyCommand({ FunctionName: functionName(ctx.stackName), ReservedConcurrentExecutions: 0 }));
}

describe('model-based: random learner sequences', () => {
  const options = { scenario, ctx: () => lab.ctx, catalogue, initial, seed: lifecycleSeed(140714), runs: 2, maxActions: 5 };
  test('after every sequence of the catalogue, reset re-arms', () => expectEverySequenceResets(options), 20 * 60_000);
  test(
    'after a guarded table, a learner parameter, concurrency 0 and one more sequence, destroy leaves the region as it was before the lab',
    () => expectSequenceThenDestroyLeavesRegionAsBefore({ ...options, prefix: guarded }),
    20 * 60_000,
  );
});
