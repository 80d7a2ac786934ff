/**
 * Lifecycle on moto: whatever a learner did to the rollback lab, `reset`
 * re-arms it and `destroy` leaves the region as it was. One moto, one lab,
 * reset in-process between cases. The cases are the stuck labs outside
 * graders and issue 11 found: deletion protection on the retained table,
 * a resource policy on it, the stack deleted (check then says what is gone),
 * and the stack deleted and created again by hand.
 */
import {
  CancelUpdateStackCommand,
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  GetTemplateCommand,
  RollbackStackCommand,
  SetStackPolicyCommand,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  PutResourcePolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { describeStack } from '../../../lib/engines/cfn/stack-state';
import { pollUntil } from '../../../lib/core/poll';
import { awsCli, useLab } from '../../../test/support/lab';
import { SharedModel, labAction, policyDoc, sharedInitial } from '../../../test/support/learner-actions';
import {
  expectEverySequenceResets,
  expectResetRearms,
  expectSequenceThenDestroyLeavesRegionAsBefore,
  learnerAction,
  lifecycleSeed,
} from '../../../test/support/lifecycle';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { cleanEnv, runMain } from '../../../test/cli/harness';
import scenario from '..';
import { releaseTemplate } from '../arm';
import { ARMED_STACK_TAG, LOG_GROUP_LOGICAL_ID, TABLE_LOGICAL_ID, logGroupName as logGroupNameOf, tableName } from '../lab';

const STACK = 'stack-update-rollback-failed';
const lab = useLab(scenario);

async function tableArn(): Promise<string> {
  return (await lab.ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName(STACK) }))).Table!.TableArn!;
}

async function stackGone(): Promise<void> {
  await pollUntil(
    () => describeStack(lab.ctx.clients.cloudformation, STACK),
    (s) => !s,
    { pollMs: 200, timeoutMs: 120_000, timedOut: () => new Error(`stack ${STACK} was never deleted`) },
  );
}

describe('reset re-arms after', () => {
  test('deletion protection turned on for the retained table, and termination protection for the stack (R2)', async () => {
    await lab.ctx.clients.dynamodb.send(new UpdateTableCommand({ TableName: tableName(STACK), DeletionProtectionEnabled: true }));
    await lab.ctx.clients.cloudformation.send(
      new UpdateTerminationProtectionCommand({ StackName: STACK, EnableTerminationProtection: true }),
    );
    await expectResetRearms(scenario, lab.ctx);
  });

  test('a resource policy on the retained table that denies DeleteTable (aws CLI)', async () => {
    const arn = await tableArn();
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteTable', Resource: arn }],
    };
    await awsCli(lab.endpoint, ['dynamodb', 'put-resource-policy', '--resource-arn', arn, '--policy', JSON.stringify(policy)]);
    await expectResetRearms(scenario, lab.ctx);
  });

  test('the stack deleted by the learner: check says not fixed and what is gone (exit 1), then reset rebuilds it', async () => {
    await awsCli(lab.endpoint, ['cloudformation', 'delete-stack', '--stack-name', STACK]);
    await stackGone();
    const r = await runMain(['check', STACK, '--endpoint', lab.endpoint, '--json'], { env: cleanEnv() });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('not-fixed');
    expect(report.criteria).toEqual([
      expect.objectContaining({
        id: 'lab-stack-exists',
        status: 'fail',
        message: expect.stringMatching(new RegExp(`^Stack ${STACK} no longer exists on moto.*DynamoDB table ${tableName(STACK)}`)),
      }),
    ]);
    await expectResetRearms(scenario, lab.ctx);
  });

  test('the stack deleted and created again from its own template, under the retained table (issue 11)', async () => {
    const cfn = lab.ctx.clients.cloudformation;
    const template = (await cfn.send(new GetTemplateCommand({ StackName: STACK }))).TemplateBody!;
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    await stackGone();
    await cfn.send(new CreateStackCommand({ StackName: STACK, TemplateBody: template }));
    await pollUntil(
      () => describeStack(cfn, STACK),
      (s) => Boolean(s && !s.status.endsWith('_IN_PROGRESS')),
      { pollMs: 200, timeoutMs: 120_000, timedOut: (s) => new Error(`stack ${STACK} stayed ${s?.status}`) },
    );
    await expectResetRearms(scenario, lab.ctx);
  });
});

// ------------------------------------------------------------ model-based: random learners, then reset or destroy
/** What the sequence did so far, to keep each action one AWS would accept. */
interface Model extends SharedModel {
  logGroupRestored: boolean;
  rolledBack: boolean;
  tableDeleted: boolean;
  deletionProtection: boolean;
  recreated: boolean;
  /** The deployed template, kept by delete-stack for create-stack. */
  template?: string;
}
const initial = (): Model => ({
  ...sharedInitial(),
  logGroupRestored: false,
  rolledBack: false,
  tableDeleted: false,
  deletionProtection: false,
  recreated: false,
});

const action = labAction<Model>;
/** Table actions need the (retained) table, whatever became of the stack. */
const tableAction = (name: string, run: (m: Model, ctx: ScenarioContext) => Promise<void>, valid: (m: Model) => boolean = () => true) =>
  learnerAction<Model>(name, run, (m) => !m.tableDeleted && valid(m));

/** Waits until the stack is no longer *_IN_PROGRESS, as `aws cloudformation wait` would. */
async function settled(ctx: ScenarioContext): Promise<string | undefined> {
  const s = await pollUntil(
    () => describeStack(ctx.clients.cloudformation, ctx.stackName),
    (st) => !st || !st.status.endsWith('_IN_PROGRESS'),
    { pollMs: 200, timeoutMs: 120_000, timedOut: (st) => new Error(`stack ${ctx.stackName} stayed ${st?.status}`) },
  );
  return s?.status;
}

/** A call AWS refuses in the stack's current state: the learner sees a ValidationError, and nothing changes. */
async function refused(call: Promise<unknown>): Promise<void> {
  await call.then(
    () => undefined,
    (err: Error) => expect(err.name).toBe('ValidationError'),
  );
}

const catalogue = () => [
  action(
    'logs create-log-group and put-retention-policy 30 (what the rollback rolls back to)',
    async (m, ctx) => {
      const logGroupName = logGroupNameOf(ctx.stackName);
      await ctx.clients.logs.send(new CreateLogGroupCommand({ logGroupName }));
      await ctx.clients.logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: 30 }));
      m.logGroupRestored = true;
    },
    (m) => !m.logGroupRestored && !m.rolledBack,
  ),
  action(
    'continue-update-rollback (after the log group is back), and wait',
    async (m, ctx) => {
      await ctx.clients.cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: ctx.stackName }));
      expect(await settled(ctx)).toBe('UPDATE_ROLLBACK_COMPLETE');
      m.rolledBack = true;
    },
    (m) => m.logGroupRestored && !m.rolledBack,
  ),
  action(
    'continue-update-rollback --resources-to-skip OrdersApiLogGroup, and wait',
    async (m, ctx) => {
      await ctx.clients.cloudformation.send(
        new ContinueUpdateRollbackCommand({ StackName: ctx.stackName, ResourcesToSkip: [LOG_GROUP_LOGICAL_ID] }),
      );
      expect(await settled(ctx)).toBe('UPDATE_ROLLBACK_COMPLETE');
      m.rolledBack = true;
    },
    (m) => !m.logGroupRestored && !m.rolledBack,
  ),
  action(
    'update-stack with the release (retention 90), and wait',
    async (_m, ctx) => {
      await ctx.clients.cloudformation.send(
        new UpdateStackCommand({ StackName: ctx.stackName, TemplateBody: releaseTemplate(scenario, ctx) }),
      );
      await settled(ctx);
    },
    (m) => m.rolledBack && m.logGroupRestored,
  ),
  action(
    'update-stack while the stack is stuck (refused)',
    (_m, ctx) => refused(ctx.clients.cloudformation.send(new UpdateStackCommand({ StackName: ctx.stackName, UsePreviousTemplate: true }))),
    (m) => !m.rolledBack,
  ),
  action('create-change-set of the release, describe-change-set, delete-change-set (refused while stuck)', async (m, ctx) => {
    const cfn = ctx.clients.cloudformation;
    const create = cfn.send(
      new CreateChangeSetCommand({
        StackName: ctx.stackName,
        ChangeSetName: 'learner-preview',
        TemplateBody: releaseTemplate(scenario, ctx),
      }),
    );
    if (!m.rolledBack) return refused(create);
    await create;
    await pollUntil(
      () => cfn.send(new DescribeChangeSetCommand({ StackName: ctx.stackName, ChangeSetName: 'learner-preview' })),
      (cs) => !String(cs.Status).endsWith('_IN_PROGRESS') && cs.Status !== 'CREATE_PENDING',
      { pollMs: 200, timeoutMs: 60_000, timedOut: () => new Error('change set never settled') },
    );
    await cfn.send(new DeleteChangeSetCommand({ StackName: ctx.stackName, ChangeSetName: 'learner-preview' }));
  }),
  action(
    'cancel-update-stack and rollback-stack on the stuck stack (refused)',
    async (_m, ctx) => {
      await refused(ctx.clients.cloudformation.send(new CancelUpdateStackCommand({ StackName: ctx.stackName })));
      await refused(ctx.clients.cloudformation.send(new RollbackStackCommand({ StackName: ctx.stackName })));
    },
    (m) => !m.rolledBack,
  ),
  action(
    'detect-stack-drift and describe-stack-resource-drifts',
    async (_m, ctx) => {
      const cfn = ctx.clients.cloudformation;
      const { StackDriftDetectionId } = await cfn.send(new DetectStackDriftCommand({ StackName: ctx.stackName }));
      await pollUntil(
        () => cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId })),
        (d) => d.DetectionStatus !== 'DETECTION_IN_PROGRESS',
        { pollMs: 200, timeoutMs: 60_000, timedOut: () => new Error('drift detection never finished') },
      );
      await cfn.send(new DescribeStackResourceDriftsCommand({ StackName: ctx.stackName }));
    },
    (m) => m.rolledBack,
  ),
  action('update-termination-protection --enable-termination-protection', async (_m, ctx) => {
    await ctx.clients.cloudformation.send(
      new UpdateTerminationProtectionCommand({ StackName: ctx.stackName, EnableTerminationProtection: true }),
    );
  }),
  action('set-stack-policy: allow Update:*, deny replacing or deleting OrdersTable', async (_m, ctx) => {
    await ctx.clients.cloudformation.send(
      new SetStackPolicyCommand({
        StackName: ctx.stackName,
        StackPolicyBody: policyDoc([
          { Effect: 'Allow', Principal: '*', Action: 'Update:*', Resource: '*' },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: ['Update:Replace', 'Update:Delete'],
            Resource: `LogicalResourceId/${TABLE_LOGICAL_ID}`,
          },
        ]),
      }),
    );
  }),
  action('set-stack-policy: deny-only for the table (blocks every release)', async (_m, ctx) => {
    await ctx.clients.cloudformation.send(
      new SetStackPolicyCommand({
        StackName: ctx.stackName,
        StackPolicyBody: policyDoc([
          { Effect: 'Deny', Principal: '*', Action: 'Update:*', Resource: `LogicalResourceId/${TABLE_LOGICAL_ID}` },
        ]),
      }),
    );
  }),
  tableAction(
    'update-table --deletion-protection-enabled on the orders table',
    async (m, ctx) => {
      await ctx.clients.dynamodb.send(new UpdateTableCommand({ TableName: tableName(ctx.stackName), DeletionProtectionEnabled: true }));
      m.deletionProtection = true;
    },
    (m) => !m.deletionProtection,
  ),
  tableAction('put-resource-policy on the orders table denying DeleteTable to everyone', async (_m, ctx) => {
    const arn = await tableArnOf(ctx);
    await ctx.clients.dynamodb.send(
      new PutResourcePolicyCommand({
        ResourceArn: arn,
        Policy: policyDoc([{ Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteTable', Resource: arn }]),
      }),
    );
  }),
  tableAction('delete-item an order and put-item a test one', async (_m, ctx) => {
    const TableName = tableName(ctx.stackName);
    await ctx.clients.dynamodb.send(new DeleteItemCommand({ TableName, Key: { orderId: { S: 'ord-1004' } } }));
    await ctx.clients.dynamodb.send(new PutItemCommand({ TableName, Item: { orderId: { S: 'learner-test' } } }));
  }),
  tableAction('untag-resource the armed-stack tag and tag-resource an owner on the orders table', async (_m, ctx) => {
    const arn = await tableArnOf(ctx);
    await ctx.clients.dynamodb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: [ARMED_STACK_TAG] }));
    await ctx.clients.dynamodb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'owner', Value: 'learner' }] }));
  }),
  tableAction(
    'delete-table the orders table',
    async (m, ctx) => {
      await ctx.clients.dynamodb.send(new DeleteTableCommand({ TableName: tableName(ctx.stackName) }));
      m.tableDeleted = true;
    },
    (m) => !m.deletionProtection,
  ),
  learnerAction<Model>(
    'delete-stack (the table is retained), and wait',
    async (m, ctx) => {
      const cfn = ctx.clients.cloudformation;
      m.template = (await cfn.send(new GetTemplateCommand({ StackName: ctx.stackName }))).TemplateBody;
      await cfn.send(new UpdateTerminationProtectionCommand({ StackName: ctx.stackName, EnableTerminationProtection: false }));
      await cfn.send(new DeleteStackCommand({ StackName: ctx.stackName }));
      await settled(ctx);
      m.stackDeleted = true;
    },
    (m) => !m.stackDeleted,
  ),
  learnerAction<Model>(
    'create-stack again from the deployed template (the nuclear option), and wait',
    async (m, ctx) => {
      await ctx.clients.cloudformation.send(new CreateStackCommand({ StackName: ctx.stackName, TemplateBody: m.template! }));
      await settled(ctx);
      m.recreated = true;
    },
    (m) => m.stackDeleted && !m.recreated && Boolean(m.template),
  ),
];

const tableArnOf = async (ctx: ScenarioContext) =>
  (await ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName(ctx.stackName) }))).Table!.TableArn!;

/** The old destroy regression: a resource policy on the table and its deletion protection on. */
async function tableGuarded(m: Model, ctx: ScenarioContext): Promise<void> {
  const arn = await tableArnOf(ctx);
  await ctx.clients.dynamodb.send(
    new PutResourcePolicyCommand({
      ResourceArn: arn,
      Policy: policyDoc([{ Effect: 'Allow', Principal: '*', Action: 'dynamodb:*', Resource: arn }]),
    }),
  );
  await ctx.clients.dynamodb.send(new UpdateTableCommand({ TableName: tableName(ctx.stackName), DeletionProtectionEnabled: true }));
  m.deletionProtection = true;
}

describe('model-based: random learner sequences', () => {
  const options = { scenario, ctx: () => lab.ctx, catalogue, initial, seed: lifecycleSeed(893348707), runs: 2, maxActions: 4 };
  test('after every sequence of the catalogue, reset re-arms', () => expectEverySequenceResets(options), 20 * 60_000);
  test(
    'after a sequence that starts with a protected table with a resource policy, destroy leaves the region as it was (and again: nothing to remove)',
    async () => {
      await expectSequenceThenDestroyLeavesRegionAsBefore({ ...options, prefix: tableGuarded });
      const again = await runMain(['destroy', STACK, '--endpoint', lab.endpoint], { env: cleanEnv() });
      expect({ code: again.code, stdout: again.stdout }).toEqual({ code: 0, stdout: `No lab ${STACK} on moto; nothing to remove.` });
    },
    20 * 60_000,
  );
});
