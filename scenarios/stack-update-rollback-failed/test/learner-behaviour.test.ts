/**
 * Learner-behaviour suite, written as an outside grader from the brief
 * (README.md), guide 004 ("A CloudFormation stack update is stuck in
 * UPDATE_ROLLBACK_FAILED") and AWS's documentation, without reading the
 * checker. Each case applies what a learner would do with the `aws` CLI or
 * the SDK, proves the action really landed in live state, then asserts the
 * verdict a senior engineer would give and, for shortcuts, the public
 * criterion that should name the problem.
 *
 * The goal, from the brief: the SAME production stack accepts updates again,
 * with every order intact.
 *
 * Docs cited below:
 *  [CUR]  CloudFormation User Guide, "Continue rolling back an update"
 *         (using-cfn-updating-stacks-continueupdaterollback)
 *  [API]  CloudFormation API Reference, ContinueUpdateRollback (StackName is
 *         "the name or the unique ID"; ResourcesToSkip takes logical IDs of
 *         resources whose rollback failed; skipped resources become
 *         inconsistent with the template until you reconcile them)
 *  [ST]   CloudFormation User Guide, "Stack status codes" (UPDATE_COMPLETE and
 *         UPDATE_ROLLBACK_COMPLETE are stable states that accept updates;
 *         a deleted stack's ID is never reused)
 *  [TP]   CloudFormation User Guide, "Protect a stack from being deleted"
 *  [SP]   CloudFormation User Guide, "Prevent updates to stack resources" (once a
 *         stack policy is set, every resource is protected unless a statement
 *         explicitly allows updates to it)
 *  [DDB]  DynamoDB API Reference: DeleteItem, BatchWriteItem, TransactWriteItems,
 *         ExecuteStatement (PartiQL DELETE), PutItem (replaces the whole item),
 *         UpdateItem (REMOVE), DeleteTable; Data types (N and S are distinct types)
 *  [DP]   DynamoDB Developer Guide, deletion protection; resource-based policies;
 *         on-demand backup
 */
import { parse as parseTemplate } from 'yaml';
import {
  ContinueUpdateRollbackCommand,
  DescribeStacksCommand,
  GetStackPolicyCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  SetStackPolicyCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateLogGroupCommand, DescribeLogGroupsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { CheckReport } from '../../../checkers/criterion';
import { ACCOUNT, REGION, Lab, TestMoto, awsOn, failingCriteria, lab, startMoto, variants } from './learner-harness';

const CASE_TIMEOUT_MS = 300_000;

// ---------------------------------------------------------------------------
// What a learner reads before acting. Reads go through the SDK (an `aws` CLI
// process costs seconds on a loaded CI machine); the learner's actions below
// keep the CLI in the cases that name it.

interface Facts {
  readonly stackId: string;
  readonly table: string;
  readonly tableArn: string;
  readonly logGroup: string;
  readonly logGroupLogicalId: string;
  /** Logical IDs in UPDATE_FAILED, i.e. what ResourcesToSkip may name [API]. */
  readonly failed: string[];
  /** The stack's current template, parsed. */
  readonly template: any;
}

async function look(l: Lab): Promise<Facts> {
  const cfn = l.sdk.cloudformation;
  const stack: any = (await cfn.send(new DescribeStacksCommand({ StackName: l.stackName }))).Stacks![0];
  const resources: any[] = (await cfn.send(new ListStackResourcesCommand({ StackName: l.stackName }))).StackResourceSummaries!;
  const table = resources.find((r) => r.ResourceType === 'AWS::DynamoDB::Table');
  const logGroup = resources.find((r) => r.ResourceType === 'AWS::Logs::LogGroup');
  // GetTemplate returns the body as submitted: YAML or JSON text (the yaml parser reads both).
  const body = (await cfn.send(new GetTemplateCommand({ StackName: l.stackName }))).TemplateBody!;
  const template = parseTemplate(body);
  return {
    stackId: stack.StackId,
    table: table.PhysicalResourceId,
    tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table.PhysicalResourceId}`,
    logGroup: logGroup.PhysicalResourceId,
    logGroupLogicalId: logGroup.LogicalResourceId,
    failed: resources.filter((r) => r.ResourceStatus === 'UPDATE_FAILED').map((r) => r.LogicalResourceId),
    template,
  };
}

async function stackStatus(l: Lab, nameOrId: string = l.stackName): Promise<string | undefined> {
  try {
    return (await l.sdk.cloudformation.send(new DescribeStacksCommand({ StackName: nameOrId }))).Stacks![0].StackStatus;
  } catch (err) {
    if (/does not exist/.test(String((err as Error).message))) return undefined;
    throw err;
  }
}

/** Waits until CloudFormation is done with the stack, as `aws cloudformation wait` would. */
async function settled(l: Lab, nameOrId: string = l.stackName): Promise<string | undefined> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const status = await stackStatus(l, nameOrId);
    if (!status || !status.endsWith('_IN_PROGRESS') || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function orders(l: Lab, f: Facts): Promise<any[]> {
  const items: any[] = (await l.sdk.dynamodb.send(new ScanCommand({ TableName: f.table, ConsistentRead: true }))).Items ?? [];
  return items.sort((a, b) => a.orderId.S.localeCompare(b.orderId.S));
}

// ---------------------------------------------------------------------------
// Building blocks learners combine.

/** Guide 004 option 1 and [CUR]: continue the rollback, skipping what cannot be rolled back (SDK; the first valid case does it with the CLI). */
async function skipFailed(l: Lab, f: Facts): Promise<void> {
  expect(f.failed).toEqual([f.logGroupLogicalId]);
  await l.sdk.cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: l.stackName, ResourcesToSkip: f.failed }));
  expect(await settled(l)).toBe('UPDATE_ROLLBACK_COMPLETE');
}

/** The same, with the `aws` CLI. */
async function skipFailedWithCli(l: Lab, f: Facts): Promise<void> {
  expect(f.failed).toEqual([f.logGroupLogicalId]);
  await l.aws(['cloudformation', 'continue-update-rollback', '--stack-name', l.stackName, '--resources-to-skip', ...f.failed]);
  expect(await settled(l)).toBe('UPDATE_ROLLBACK_COMPLETE');
}

/** Puts the deleted log group back by hand, as the template describes it. */
async function recreateLogGroup(l: Lab, f: Facts): Promise<void> {
  const props = f.template.Resources[f.logGroupLogicalId].Properties;
  await l.sdk.logs.send(new CreateLogGroupCommand({ logGroupName: f.logGroup }));
  if (props.RetentionInDays) {
    await l.sdk.logs.send(new PutRetentionPolicyCommand({ logGroupName: f.logGroup, retentionInDays: Number(props.RetentionInDays) }));
  }
  const found = (await l.sdk.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: f.logGroup }))).logGroups ?? [];
  expect(found.map((g) => g.logGroupName)).toEqual([f.logGroup]);
}

/** The next release: the current template with a longer log retention, applied with update-stack. */
async function shipNextRelease(l: Lab): Promise<string | undefined> {
  const now = await look(l);
  const next = structuredClone(now.template);
  next.Resources[now.logGroupLogicalId].Properties.RetentionInDays = 90;
  await l.aws(['cloudformation', 'update-stack', '--stack-name', l.stackName, '--template-body', JSON.stringify(next)]);
  return settled(l);
}

async function accountListing(moto: TestMoto): Promise<Record<string, string[]>> {
  const stacks: any[] = (await awsOn(moto, ['cloudformation', 'describe-stacks'])).Stacks ?? [];
  const tables: string[] = (await awsOn(moto, ['dynamodb', 'list-tables'])).TableNames ?? [];
  const groups: any[] = (await awsOn(moto, ['logs', 'describe-log-groups'])).logGroups ?? [];
  return {
    stacks: stacks
      .filter((s) => s.StackStatus !== 'DELETE_COMPLETE')
      .map((s) => s.StackName)
      .sort(),
    tables: [...tables].sort(),
    logGroups: groups.map((g) => g.logGroupName).sort(),
  };
}

// ---------------------------------------------------------------------------
// The cases.

type Verdict = 'fixed' | 'not-fixed';
interface LearnerCase {
  readonly name: string;
  readonly expected: Verdict;
  /** For shortcuts: the public criterion IDs that should name the problem. */
  readonly criteria?: string[];
  act(l: Lab, f: Facts): Promise<void>;
}

const STACK_STATE = 'stack-rollback-completed';
const SAME_STACK = 'stack-id-matches-armed';
const ORDERS = 'orders-table-items-intact';
const STACK_POLICY = 'stack-policy-allows-release';

const valid: LearnerCase[] = [
  {
    // Guide 004 option 1; [CUR] "skip the resources that CloudFormation can't successfully roll back" when the resource was deleted outside CloudFormation.
    name: 'continue-update-rollback skipping the failed log group (CLI)',
    expected: 'fixed',
    act: skipFailedWithCli,
  },
  {
    // [API] StackName accepts "the name or the unique ID of the stack": the stack ARN is as valid as its name (a reference form a hand parser may mishandle).
    name: 'ContinueUpdateRollback through the SDK, stack named by its StackId ARN',
    expected: 'fixed',
    act: async (l, f) => {
      await l.sdk.cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: f.stackId, ResourcesToSkip: f.failed }));
      expect(await settled(l)).toBe('UPDATE_ROLLBACK_COMPLETE');
    },
  },
  {
    // Guide 004 option 3 and [CUR] "In most cases, you must fix the error that causes the update rollback to fail before you can continue": restore the resource, then continue without skipping anything.
    name: 'recreate the deleted log group by hand, then continue-update-rollback without skipping',
    expected: 'fixed',
    act: async (l, f) => {
      await recreateLogGroup(l, f);
      await l.aws(['cloudformation', 'continue-update-rollback', '--stack-name', l.stackName]);
      expect(await settled(l)).toBe('UPDATE_ROLLBACK_COMPLETE');
    },
  },
  {
    // Same repair as above done through the SDK, the log group rebuilt with the template's retention and tags; [API] stack addressed by ARN.
    name: 'SDK: recreate the log group with its template retention and tags, then continue the rollback by StackId',
    expected: 'fixed',
    act: async (l, f) => {
      const props = f.template.Resources[f.logGroupLogicalId].Properties;
      const tags = Object.fromEntries((props.Tags ?? []).map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
      await l.sdk.logs.send(new CreateLogGroupCommand({ logGroupName: f.logGroup, tags }));
      await l.sdk.logs.send(new PutRetentionPolicyCommand({ logGroupName: f.logGroup, retentionInDays: props.RetentionInDays }));
      await l.sdk.cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: f.stackId }));
      expect(await settled(l)).toBe('UPDATE_ROLLBACK_COMPLETE');
    },
  },
  {
    // [API] after skipping, "the state of the skipped resources will be inconsistent ... you must update the stack or resources to be consistent": reconcile by recreating the log group.
    name: 'skip the failed log group, then recreate it so stack and resources agree',
    expected: 'fixed',
    act: async (l, f) => {
      await skipFailed(l, f);
      await recreateLogGroup(l, f);
    },
  },
  {
    // The brief: "the next release is waiting". [ST] UPDATE_COMPLETE is a stable state that accepts updates; shipping it proves the stack is unstuck.
    name: 'skip, reconcile the log group, then ship the next release (UPDATE_COMPLETE)',
    expected: 'fixed',
    act: async (l, f) => {
      await skipFailed(l, f);
      await recreateLogGroup(l, f);
      expect(await shipNextRelease(l)).toBe('UPDATE_COMPLETE');
    },
  },
  {
    // Guide 004 option 3 followed by the waiting release; [ST] UPDATE_COMPLETE.
    name: 'recreate the log group, continue the rollback, then ship the next release (UPDATE_COMPLETE)',
    expected: 'fixed',
    act: async (l, f) => {
      await recreateLogGroup(l, f);
      await l.aws(['cloudformation', 'continue-update-rollback', '--stack-name', f.stackId]);
      expect(await settled(l)).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(await shipNextRelease(l)).toBe('UPDATE_COMPLETE');
    },
  },
  {
    // Guide 004 prevention ("Enable termination protection on production stacks", [TP]) and [DP] deletion protection: protecting the data changes no order.
    name: 'skip, then turn on stack termination protection and table deletion protection',
    expected: 'fixed',
    act: async (l, f) => {
      await skipFailed(l, f);
      await l.aws(['cloudformation', 'update-termination-protection', '--enable-termination-protection', '--stack-name', l.stackName]);
      await l.aws(['dynamodb', 'update-table', '--table-name', f.table, '--deletion-protection-enabled']);
      expect((await l.aws(['dynamodb', 'describe-table', '--table-name', f.table])).Table.DeletionProtectionEnabled).toBe(true);
    },
  },
  {
    // [DP] an on-demand backup and point-in-time recovery before touching production, and a table resource policy that only denies: none changes an order (issue 17 class 2, the protective direction).
    name: 'back up the table and turn on PITR, skip, then attach a resource policy denying DeleteTable',
    expected: 'fixed',
    act: async (l, f) => {
      await l.aws(['dynamodb', 'create-backup', '--table-name', f.table, '--backup-name', 'before-rollback']);
      await l.aws([
        'dynamodb',
        'update-continuous-backups',
        '--table-name',
        f.table,
        '--point-in-time-recovery-specification',
        'PointInTimeRecoveryEnabled=true',
      ]);
      await skipFailed(l, f);
      const policy = {
        Version: '2012-10-17',
        Statement: [{ Sid: 'KeepOrders', Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteTable', Resource: f.tableArn }],
      };
      await l.aws(['dynamodb', 'put-resource-policy', '--resource-arn', f.tableArn, '--policy', JSON.stringify(policy)]);
      expect(JSON.parse((await l.aws(['dynamodb', 'get-resource-policy', '--resource-arn', f.tableArn])).Policy)).toEqual(policy);
    },
  },
  {
    // The brief protects the orders already in the table; a production orders table keeps taking new orders while you work, and a new order harms none of the old ones.
    name: 'a new order arrives while the stack is repaired (put-item of a sixth order), then skip',
    expected: 'fixed',
    act: async (l, f) => {
      const before = await orders(l, f);
      const order = { orderId: { S: 'ord-9001' }, customer: { S: 'Hedy Lamarr' }, totalCents: { N: '2500' }, status: { S: 'PENDING' } };
      await l.aws([
        'dynamodb',
        'put-item',
        '--table-name',
        f.table,
        '--item',
        JSON.stringify(order),
        '--condition-expression',
        'attribute_not_exists(orderId)',
      ]);
      expect((await orders(l, f)).length).toBe(before.length + 1);
      await skipFailed(l, f);
    },
  },
  {
    // Guide 004 prevention: "Tag stacks with Environment=production". UpdateStack Tags replace the stack's whole tag set (API Reference, UpdateStack: "If you don't specify this parameter, CloudFormation doesn't modify the stack's tags"), which is the learner's right; [ST] UPDATE_COMPLETE.
    name: 'recreate the log group, continue the rollback, then tag the stack Environment=production (tag set replaced)',
    expected: 'fixed',
    act: async (l, f) => {
      await recreateLogGroup(l, f);
      await l.aws(['cloudformation', 'continue-update-rollback', '--stack-name', l.stackName]);
      expect(await settled(l)).toBe('UPDATE_ROLLBACK_COMPLETE');
      await l.aws([
        'cloudformation',
        'update-stack',
        '--stack-name',
        l.stackName,
        '--use-previous-template',
        '--tags',
        'Key=Environment,Value=production',
      ]);
      expect(await settled(l)).toBe('UPDATE_COMPLETE');
      const tags = (await l.aws(['cloudformation', 'describe-stacks', '--stack-name', l.stackName])).Stacks[0].Tags;
      expect(tags).toEqual([{ Key: 'Environment', Value: 'production' }]);
    },
  },
  {
    // [SP] the documented pattern: Allow Update:* on every resource, Deny replacement and deletion of the orders table. Releases still ship; the orders are guarded.
    name: 'skip, then set a stack policy that allows updates but denies replacing or deleting the orders table',
    expected: 'fixed',
    act: async (l, f) => {
      await skipFailed(l, f);
      const tableLogicalId = Object.keys(f.template.Resources).find((id) => f.template.Resources[id].Type === 'AWS::DynamoDB::Table');
      const policy = {
        Statement: [
          { Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' },
          { Effect: 'Deny', Action: ['Update:Replace', 'Update:Delete'], Principal: '*', Resource: `LogicalResourceId/${tableLogicalId}` },
        ],
      };
      await l.aws(['cloudformation', 'set-stack-policy', '--stack-name', l.stackName, '--stack-policy-body', JSON.stringify(policy)]);
      expect(JSON.parse((await l.aws(['cloudformation', 'get-stack-policy', '--stack-name', l.stackName])).StackPolicyBody)).toEqual(
        policy,
      );
    },
  },
];

const shortcuts: LearnerCase[] = [
  {
    // The brief: the stack "can move neither forward nor back"; [CUR] an UPDATE_ROLLBACK_FAILED stack can't be updated.
    name: 'do nothing',
    expected: 'not-fixed',
    criteria: [STACK_STATE],
    act: async (l) => {
      expect(await stackStatus(l)).toBe('UPDATE_ROLLBACK_FAILED');
    },
  },
  {
    // [CUR] "In most cases, you must fix the error ... before you can continue": retrying with the log group still gone fails again.
    name: 'retry continue-update-rollback without fixing or skipping anything',
    expected: 'not-fixed',
    criteria: [STACK_STATE],
    act: async (l) => {
      await l.aws(['cloudformation', 'continue-update-rollback', '--stack-name', l.stackName]);
      expect(await settled(l)).toBe('UPDATE_ROLLBACK_FAILED');
    },
  },
  {
    // [CUR] restoring the resource is only half of option 3: the stack stays UPDATE_ROLLBACK_FAILED until the rollback is continued.
    name: 'recreate the log group but never continue the rollback',
    expected: 'not-fixed',
    criteria: [STACK_STATE],
    act: async (l, f) => {
      await recreateLogGroup(l, f);
      expect(await stackStatus(l)).toBe('UPDATE_ROLLBACK_FAILED');
    },
  },
  {
    // [API] "you can specify only resources that are in the UPDATE_FAILED state" by logical ID; a physical ID is refused and the stack stays stuck (reference form, issue 17 class 5).
    name: 'skip the log group by its physical name instead of its logical ID (refused)',
    expected: 'not-fixed',
    criteria: [STACK_STATE],
    act: async (l, f) => {
      await expect(
        l.aws(['cloudformation', 'continue-update-rollback', '--stack-name', l.stackName, '--resources-to-skip', f.logGroup]),
      ).rejects.toThrow(/ValidationError/);
      expect(await stackStatus(l)).toBe('UPDATE_ROLLBACK_FAILED');
    },
  },
  {
    // [API] after a skip, "subsequent stack updates might fail, and the stack will become unrecoverable" if not reconciled: re-shipping over the missing log group sticks it again.
    name: 'skip, then re-ship the release without restoring the log group (stuck again)',
    expected: 'not-fixed',
    criteria: [STACK_STATE],
    act: async (l, f) => {
      await skipFailed(l, f);
      expect(await shipNextRelease(l)).toBe('UPDATE_ROLLBACK_FAILED');
    },
  },
  {
    // Guide 004 option 2 is for "non-production stacks"; the brief wants the same production stack back, and a deleted stack accepts no update [ST].
    name: 'delete the stuck stack (the table is retained) and stop there',
    expected: 'not-fixed',
    criteria: [STACK_STATE, SAME_STACK],
    act: async (l, f) => {
      await l.aws(['cloudformation', 'delete-stack', '--stack-name', l.stackName]);
      await settled(l, f.stackId);
      expect(await stackStatus(l)).toBeUndefined();
    },
  },
  {
    // The brief: "the SAME production stack"; [ST] a recreated stack of the same name has a new unique stack ID (name vs ID, issue 17 class 5).
    name: 'delete the stuck stack and create a new one of the same name (log group only, table left orphaned)',
    expected: 'not-fixed',
    criteria: [SAME_STACK],
    act: async (l, f) => {
      await l.aws(['cloudformation', 'delete-stack', '--stack-name', l.stackName]);
      await settled(l, f.stackId);
      expect(await stackStatus(l)).toBeUndefined();
      const template = {
        Description: f.template.Description,
        Resources: { [f.logGroupLogicalId]: f.template.Resources[f.logGroupLogicalId] },
      };
      await l.aws(['cloudformation', 'create-stack', '--stack-name', l.stackName, '--template-body', JSON.stringify(template)]);
      expect(await settled(l)).toBe('CREATE_COMPLETE');
      const recreated = (await l.aws(['cloudformation', 'describe-stacks', '--stack-name', l.stackName])).Stacks[0];
      expect(recreated.StackId).not.toBe(f.stackId);
    },
  },
  {
    // [SP] "After you set a stack policy, all of the resources in the stack are protected by default": a deny-only policy for the table also blocks every update to the log group, so the waiting release cannot ship.
    name: 'skip, then set a deny-only stack policy for the orders table (every resource becomes protected)',
    expected: 'not-fixed',
    criteria: [STACK_POLICY],
    act: async (l, f) => {
      await skipFailed(l, f);
      const tableLogicalId = Object.keys(f.template.Resources).find((id) => f.template.Resources[id].Type === 'AWS::DynamoDB::Table');
      const policy = {
        Statement: [{ Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: `LogicalResourceId/${tableLogicalId}` }],
      };
      await l.aws(['cloudformation', 'set-stack-policy', '--stack-name', l.stackName, '--stack-policy-body', JSON.stringify(policy)]);
      expect(JSON.parse((await l.aws(['cloudformation', 'get-stack-policy', '--stack-name', l.stackName])).StackPolicyBody)).toEqual(
        policy,
      );
    },
  },
  {
    // [DDB] DeleteItem removes an order; the brief: "every order intact". The last order, not the first, so a sampler that reads one item misses it (class 4).
    name: 'skip, and delete the last order with delete-item',
    expected: 'not-fixed',
    criteria: [ORDERS],
    act: async (l, f) => {
      await skipFailed(l, f);
      const before = await orders(l, f);
      const last = before[before.length - 1];
      await l.aws(['dynamodb', 'delete-item', '--table-name', f.table, '--key', JSON.stringify({ orderId: last.orderId })]);
      expect((await orders(l, f)).length).toBe(before.length - 1);
    },
  },
  {
    // [DDB] BatchWriteItem DeleteRequest is a second API that destroys items (class 4: every destructive action, not only DeleteItem).
    name: 'skip, and empty the table with batch-write-item DeleteRequests',
    expected: 'not-fixed',
    criteria: [ORDERS],
    act: async (l, f) => {
      await skipFailed(l, f);
      const before = await orders(l, f);
      const requests = before.map((o) => ({ DeleteRequest: { Key: { orderId: o.orderId } } }));
      await l.aws(['dynamodb', 'batch-write-item', '--request-items', JSON.stringify({ [f.table]: requests })]);
      expect(await orders(l, f)).toEqual([]);
    },
  },
  {
    // [DDB] ExecuteStatement runs PartiQL DELETE: a third path to the same loss (class 4).
    name: 'skip, and delete an order with a PartiQL DELETE statement',
    expected: 'not-fixed',
    criteria: [ORDERS],
    act: async (l, f) => {
      await skipFailed(l, f);
      const before = await orders(l, f);
      const victim = before[2].orderId.S;
      await l.aws(['dynamodb', 'execute-statement', '--statement', `DELETE FROM "${f.table}" WHERE orderId = '${victim}'`]);
      expect((await orders(l, f)).map((o) => o.orderId.S)).not.toContain(victim);
    },
  },
  {
    // [DDB] TransactWriteItems Delete: a fourth path (class 4).
    name: 'skip, and delete an order inside transact-write-items',
    expected: 'not-fixed',
    criteria: [ORDERS],
    act: async (l, f) => {
      await skipFailed(l, f);
      const before = await orders(l, f);
      const victim = before[1].orderId;
      await l.aws([
        'dynamodb',
        'transact-write-items',
        '--transact-items',
        JSON.stringify([{ Delete: { TableName: f.table, Key: { orderId: victim } } }]),
      ]);
      expect((await orders(l, f)).length).toBe(before.length - 1);
    },
  },
  {
    // [DDB] PutItem "replaces the entire item": same key, same count, different total; the brief's orders are no longer intact.
    name: 'skip, and overwrite an order with put-item (total set to 0)',
    expected: 'not-fixed',
    criteria: [ORDERS],
    act: async (l, f) => {
      await skipFailed(l, f);
      const [first] = await orders(l, f);
      await l.aws(['dynamodb', 'put-item', '--table-name', f.table, '--item', JSON.stringify({ ...first, totalCents: { N: '0' } })]);
      expect((await orders(l, f))[0].totalCents).toEqual({ N: '0' });
    },
  },
  {
    // [DDB] UpdateItem REMOVE drops an attribute: the order keeps its key but loses its customer.
    name: 'skip, and remove an attribute from an order with update-item REMOVE',
    expected: 'not-fixed',
    criteria: [ORDERS],
    act: async (l, f) => {
      await skipFailed(l, f);
      const before = await orders(l, f);
      const victim = before[3];
      await l.aws([
        'dynamodb',
        'update-item',
        '--table-name',
        f.table,
        '--key',
        JSON.stringify({ orderId: victim.orderId }),
        '--update-expression',
        'REMOVE customer',
      ]);
      const after = (await orders(l, f)).find((o) => o.orderId.S === victim.orderId.S);
      expect(after).toBeDefined();
      expect(after.customer).toBeUndefined();
    },
  },
  {
    // [DDB] Data types: N and S are different types, so {"S":"1999"} is not the stored number 1999. A comparison of unmarshalled text would miss it (class 5).
    name: 'skip, and rewrite an order total as a string with the same digits',
    expected: 'not-fixed',
    criteria: [ORDERS],
    act: async (l, f) => {
      await skipFailed(l, f);
      const before = await orders(l, f);
      const victim = before[1];
      expect(victim.totalCents.N).toBeDefined();
      await l.aws([
        'dynamodb',
        'put-item',
        '--table-name',
        f.table,
        '--item',
        JSON.stringify({ ...victim, totalCents: { S: victim.totalCents.N } }),
      ]);
      const after = (await orders(l, f)).find((o) => o.orderId.S === victim.orderId.S);
      expect(after.totalCents).toEqual({ S: victim.totalCents.N });
    },
  },
  {
    // [DDB] DeleteTable destroys every order; the brief forbids it whatever the stack status.
    name: 'skip, and delete the orders table',
    expected: 'not-fixed',
    criteria: [ORDERS],
    act: async (l, f) => {
      await skipFailed(l, f);
      await l.aws(['dynamodb', 'delete-table', '--table-name', f.table]);
      expect((await l.aws(['dynamodb', 'list-tables'])).TableNames).not.toContain(f.table);
    },
  },
  {
    // [DDB] DeleteTable then CreateTable with the same name and key: the table exists again but every order is gone.
    name: 'skip, delete the orders table and recreate it empty under the same name',
    expected: 'not-fixed',
    criteria: [ORDERS],
    act: async (l, f) => {
      await skipFailed(l, f);
      await l.aws(['dynamodb', 'delete-table', '--table-name', f.table]);
      await l.aws([
        'dynamodb',
        'create-table',
        '--table-name',
        f.table,
        '--attribute-definitions',
        'AttributeName=orderId,AttributeType=S',
        '--key-schema',
        'AttributeName=orderId,KeyType=HASH',
        '--billing-mode',
        'PAY_PER_REQUEST',
      ]);
      expect(await orders(l, f)).toEqual([]);
    },
  },
];

// ---------------------------------------------------------------------------
// Stack policies set after the rollback, all on one skipped lab per variant:
// SetStackPolicy replaces the whole policy, so each case stands alone. [SP]:
// "When you set a stack policy on your stack, any update not explicitly
// allowed is denied by default"; "a Deny statement always overrides an Allow
// statement". The waiting release raises the log group's retention, an
// Update:Modify of that log group (AWS::Logs::LogGroup RetentionInDays:
// "Update requires: No interruption"). moto stores a stack policy but never
// enforces it, so these cases hold the checker to the documentation.

interface PolicyCase {
  readonly name: string;
  readonly expected: Verdict;
  /** The policies set, in order; the last one stays. */
  policies(ids: { table: string; logGroup: string }): object[];
}

const statement = (effect: 'Allow' | 'Deny', extra: object) => ({ Effect: effect, Principal: '*', ...extra });
const ALLOW_ALL = statement('Allow', { Action: 'Update:*', Resource: '*' });

const policyValid: PolicyCase[] = [
  {
    // [SP] NotResource example: allow updates to every resource except the production database.
    name: 'Allow Update:* with NotResource naming the orders table',
    expected: 'fixed',
    policies: ({ table }) => [{ Statement: [statement('Allow', { Action: 'Update:*', NotResource: `LogicalResourceId/${table}` })] }],
  },
  {
    // [SP] NotAction example: allow all update actions except Update:Delete.
    name: 'Allow every update action but Update:Delete (NotAction) on every resource',
    expected: 'fixed',
    policies: () => [{ Statement: [statement('Allow', { NotAction: 'Update:Delete', Resource: '*' })] }],
  },
  {
    // [SP] Condition example: Deny Update:* where StringEquals ResourceType lists protected types, then Allow all.
    name: 'Allow all, Deny every update to AWS::DynamoDB::Table resources (StringEquals ResourceType)',
    expected: 'fixed',
    policies: () => [
      {
        Statement: [
          statement('Deny', { Action: 'Update:*', Resource: '*', Condition: { StringEquals: { ResourceType: ['AWS::DynamoDB::Table'] } } }),
          ALLOW_ALL,
        ],
      },
    ],
  },
  {
    // [SP] "You can use a wild card with logical IDs": allowing only the API's resources leaves the table protected by default.
    name: 'Allow updates only to LogicalResourceId/<log group prefix>* (the table stays protected by default)',
    expected: 'fixed',
    policies: ({ logGroup }) => [
      { Statement: [statement('Allow', { Action: 'Update:*', Resource: `LogicalResourceId/${logGroup.slice(0, 9)}*` })] },
    ],
  },
  {
    // [SP] "You must use the StringLike condition when you use wild cards": Update:Modify allowed for every log group type.
    name: 'Allow only Update:Modify, on AWS::Logs::* resource types (StringLike)',
    expected: 'fixed',
    policies: () => [
      {
        Statement: [
          statement('Allow', { Action: 'Update:Modify', Resource: '*', Condition: { StringLike: { ResourceType: 'AWS::Logs::*' } } }),
        ],
      },
    ],
  },
  {
    // [SP] "After you apply a stack policy, you can't remove it from the stack, but you can use the AWS CLI to modify it": a lock-everything policy replaced by the documented allow-all.
    name: 'Deny Update:* on every resource, then replace the policy with Allow Update:* on every resource',
    expected: 'fixed',
    policies: () => [{ Statement: [statement('Deny', { Action: 'Update:*', Resource: '*' })] }, { Statement: [ALLOW_ALL] }],
  },
  {
    // [SP] first example with a Sid and the Deny first: the order of statements does not matter, the log group is allowed.
    name: 'Deny Update:* on the orders table (with a Sid), then Allow the three update actions on every resource',
    expected: 'fixed',
    policies: ({ table }) => [
      {
        Statement: [
          { Sid: 'KeepOrders', ...statement('Deny', { Action: 'Update:*', Resource: `LogicalResourceId/${table}` }) },
          statement('Allow', { Action: ['Update:Modify', 'Update:Replace', 'Update:Delete'], Resource: '*' }),
        ],
      },
    ],
  },
];

const policyShortcuts: PolicyCase[] = [
  {
    // [SP] "a Deny statement always overrides an Allow statement".
    name: 'Allow all, then Deny Update:* on every resource',
    expected: 'not-fixed',
    policies: () => [{ Statement: [ALLOW_ALL, statement('Deny', { Action: 'Update:*', Resource: '*' })] }],
  },
  {
    // The release is an Update:Modify; NotAction excludes exactly that.
    name: 'Allow every update action but Update:Modify (NotAction)',
    expected: 'not-fixed',
    policies: () => [{ Statement: [statement('Allow', { NotAction: 'Update:Modify', Resource: '*' })] }],
  },
  {
    // [SP] default deny: allowing the table alone leaves the log group denied.
    name: 'Allow updates to the orders table only',
    expected: 'not-fixed',
    policies: ({ table }) => [{ Statement: [statement('Allow', { Action: 'Update:*', Resource: `LogicalResourceId/${table}` })] }],
  },
  {
    // [SP] StringLike with a wildcard resource type.
    name: 'Allow all, Deny every update to AWS::Logs::* resource types (StringLike)',
    expected: 'not-fixed',
    policies: () => [
      {
        Statement: [
          ALLOW_ALL,
          statement('Deny', { Action: 'Update:*', Resource: '*', Condition: { StringLike: { ResourceType: ['AWS::Logs::*'] } } }),
        ],
      },
    ],
  },
  {
    // [SP] NotResource: every resource but the log group is allowed, so the log group is denied by default.
    name: 'Allow Update:* with NotResource naming the log group',
    expected: 'not-fixed',
    policies: ({ logGroup }) => [{ Statement: [statement('Allow', { Action: 'Update:*', NotResource: `LogicalResourceId/${logGroup}` })] }],
  },
  {
    // [SP] logical-ID wildcards: "Orders*" meant for the table also names the log group (OrdersApiLogGroup).
    name: 'Allow all, Deny Update:Modify on LogicalResourceId/<common prefix>* (the wildcard also names the log group)',
    expected: 'not-fixed',
    policies: ({ table, logGroup }) => {
      let n = 0;
      while (n < table.length && table[n] === logGroup[n]) n++;
      expect(n).toBeGreaterThan(0);
      return [
        { Statement: [ALLOW_ALL, statement('Deny', { Action: 'Update:Modify', Resource: `LogicalResourceId/${table.slice(0, n)}*` })] },
      ];
    },
  },
  {
    // [SP] "You must use the StringLike condition when you use wild cards": with StringEquals the * is literal, so nothing is allowed.
    name: 'Allow Update:* where ResourceType StringEquals "AWS::Logs::*" (the * is literal)',
    expected: 'not-fixed',
    policies: () => [
      {
        Statement: [
          statement('Allow', { Action: 'Update:*', Resource: '*', Condition: { StringEquals: { ResourceType: 'AWS::Logs::*' } } }),
        ],
      },
    ],
  },
  {
    // [SP] Update:Replace and Update:Delete are not Update:Modify.
    name: 'Allow only Update:Replace and Update:Delete on every resource',
    expected: 'not-fixed',
    policies: () => [{ Statement: [statement('Allow', { Action: ['Update:Replace', 'Update:Delete'], Resource: '*' })] }],
  },
  {
    // [SP] the documented allow-all replaced by a deny-only policy: the last policy set is the one in force.
    name: 'Allow Update:* on every resource, then replace it with a deny-only policy for the log group',
    expected: 'not-fixed',
    policies: ({ logGroup }) => [
      { Statement: [ALLOW_ALL] },
      { Statement: [statement('Deny', { Action: ['Update:Replace', 'Update:Delete'], Resource: `LogicalResourceId/${logGroup}` })] },
    ],
  },
];

// ---------------------------------------------------------------------------

function summary(report: CheckReport) {
  return {
    verdict: report.verdict,
    failing: failingCriteria(report),
    detail: report.criteria.map((c) => `${c.id} ${c.status}: ${c.message}`),
  };
}

let moto: TestMoto;
beforeAll(async () => {
  moto = await startMoto();
}, CASE_TIMEOUT_MS);
afterAll(async () => {
  await moto?.stop();
});

let labCounter = 0;
function nextLearner(variantIndex: number): string {
  labCounter += 1;
  return `v${variantIndex + 1}g${String(labCounter).padStart(2, '0')}`;
}

/** Deploys a fresh lab and proves it starts broken, as any learner's lab does. */
async function freshLab(variant: string, variantIndex: number): Promise<{ l: Lab; f: Facts; armed: CheckReport }> {
  const l = lab(moto, nextLearner(variantIndex), variant);
  await l.deploy();
  expect(await stackStatus(l)).toBe('UPDATE_ROLLBACK_FAILED');
  const armed = await l.check();
  expect(armed.verdict).toBe('not-fixed');
  return { l, f: await look(l), armed };
}

describe.each(variants.map((v, i) => [v, i] as const))('variant %s', (variant, variantIndex) => {
  describe('valid remedies', () => {
    test.each(valid.map((c) => [c.name, c] as const))(
      '%s',
      async (_name, c) => {
        const { l, f } = await freshLab(variant, variantIndex);
        await c.act(l, f);
        expect(summary(await l.check())).toEqual({ verdict: 'fixed', failing: [], detail: expect.anything() });
      },
      CASE_TIMEOUT_MS,
    );
  });

  describe('shortcuts', () => {
    test.each(shortcuts.map((c) => [c.name, c] as const))(
      '%s',
      async (_name, c) => {
        const { l, f } = await freshLab(variant, variantIndex);
        await c.act(l, f);
        expect(summary(await l.check())).toEqual({
          verdict: 'not-fixed',
          failing: expect.arrayContaining(c.criteria ?? []),
          detail: expect.anything(),
        });
      },
      CASE_TIMEOUT_MS,
    );
  });

  describe('stack policies, one skipped lab with its policy replaced per case', () => {
    let l: Lab;
    let ids: { table: string; logGroup: string };
    beforeAll(async () => {
      const fresh = await freshLab(variant, variantIndex);
      l = fresh.l;
      ids = {
        table: Object.keys(fresh.f.template.Resources).find((id) => fresh.f.template.Resources[id].Type === 'AWS::DynamoDB::Table')!,
        logGroup: fresh.f.logGroupLogicalId,
      };
      await skipFailed(l, fresh.f);
      expect(summary(await l.check())).toEqual({ verdict: 'fixed', failing: [], detail: expect.anything() });
    }, CASE_TIMEOUT_MS);

    test.each([...policyValid, ...policyShortcuts].map((c) => [c.expected, c.name, c] as const))(
      '%s: %s',
      async (_expected, _name, c) => {
        for (const policy of c.policies(ids)) {
          await l.sdk.cloudformation.send(new SetStackPolicyCommand({ StackName: l.stackName, StackPolicyBody: JSON.stringify(policy) }));
        }
        const stored = await l.sdk.cloudformation.send(new GetStackPolicyCommand({ StackName: l.stackName }));
        expect(JSON.parse(stored.StackPolicyBody ?? '{}')).toEqual(c.policies(ids).at(-1));
        const report = await l.check();
        expect(summary(report)).toEqual(
          c.expected === 'fixed'
            ? { verdict: 'fixed', failing: [], detail: expect.anything() }
            : { verdict: 'not-fixed', failing: [STACK_POLICY], detail: expect.anything() },
        );
        // status and check agree on whether the waiting release gets through.
        const status = await l.status();
        expect(status.summary.includes('its stack policy would refuse the waiting release')).toBe(c.expected === 'not-fixed');
      },
      CASE_TIMEOUT_MS,
    );
  });

  describe('reset and destroy', () => {
    test(
      'after the guide remedy (skip) with termination protection on, reset re-arms and destroy leaves nothing',
      async () => {
        const before = await accountListing(moto);
        const { l, f, armed } = await freshLab(variant, variantIndex);
        await skipFailed(l, f);
        await l.aws(['cloudformation', 'update-termination-protection', '--enable-termination-protection', '--stack-name', l.stackName]);
        expect((await l.check()).verdict).toBe('fixed');

        await l.reset();
        expect(await stackStatus(l)).toBe('UPDATE_ROLLBACK_FAILED');
        expect(summary(await l.check())).toEqual({ verdict: 'not-fixed', failing: failingCriteria(armed), detail: expect.anything() });

        await l.destroy();
        expect(await accountListing(moto)).toEqual(before);
      },
      CASE_TIMEOUT_MS,
    );

    test(
      // Deletion protection is a valid learner action ([DP]); the README says destroy removes "the table and its orders included".
      'after a valid remedy with table deletion protection on, reset re-arms and destroy leaves nothing',
      async () => {
        const before = await accountListing(moto);
        const { l, f, armed } = await freshLab(variant, variantIndex);
        await recreateLogGroup(l, f);
        await l.aws(['cloudformation', 'continue-update-rollback', '--stack-name', l.stackName]);
        expect(await settled(l)).toBe('UPDATE_ROLLBACK_COMPLETE');
        await l.aws(['cloudformation', 'update-termination-protection', '--enable-termination-protection', '--stack-name', l.stackName]);
        await l.aws(['dynamodb', 'update-table', '--table-name', f.table, '--deletion-protection-enabled']);
        expect((await l.check()).verdict).toBe('fixed');

        await l.reset();
        expect(await stackStatus(l)).toBe('UPDATE_ROLLBACK_FAILED');
        expect(summary(await l.check())).toEqual({ verdict: 'not-fixed', failing: failingCriteria(armed), detail: expect.anything() });

        // The README: destroy "removes the lab, the table and its orders included".
        await l.destroy();
        expect(await accountListing(moto)).toEqual(before);
      },
      CASE_TIMEOUT_MS,
    );

    test(
      'after a messy shortcut (stack recreated with termination protection, table orphaned, an order deleted), reset re-arms and destroy leaves nothing',
      async () => {
        const before = await accountListing(moto);
        const { l, f, armed } = await freshLab(variant, variantIndex);
        const [first] = await orders(l, f);
        await l.aws(['dynamodb', 'delete-item', '--table-name', f.table, '--key', JSON.stringify({ orderId: first.orderId })]);
        await l.aws(['cloudformation', 'delete-stack', '--stack-name', l.stackName]);
        await settled(l, f.stackId);
        expect(await stackStatus(l)).toBeUndefined();
        const template = {
          Description: f.template.Description,
          Resources: { [f.logGroupLogicalId]: f.template.Resources[f.logGroupLogicalId] },
        };
        await l.aws([
          'cloudformation',
          'create-stack',
          '--stack-name',
          l.stackName,
          '--enable-termination-protection',
          '--template-body',
          JSON.stringify(template),
        ]);
        expect(await settled(l)).toBe('CREATE_COMPLETE');
        expect((await l.check()).verdict).toBe('not-fixed');

        await l.reset();
        expect(await stackStatus(l)).toBe('UPDATE_ROLLBACK_FAILED');
        expect(summary(await l.check())).toEqual({ verdict: 'not-fixed', failing: failingCriteria(armed), detail: expect.anything() });

        await l.destroy();
        expect(await accountListing(moto)).toEqual(before);
      },
      CASE_TIMEOUT_MS,
    );
  });
});
