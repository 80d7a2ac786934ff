/**
 * patch_cfn_update_rollback (with patch_logs_log_group_cfn and
 * patch_cfn_termination_protection): CloudFormation update, rollback and
 * ContinueUpdateRollback on the kit's moto follow the state transitions and
 * validation AWS documents. Every failure here comes from emulator state
 * (a log group deleted or already taken), never from a switch.
 */
import {
  CloudFormationClient,
  ContinueUpdateRollbackCommand,
  DeleteStackCommand,
  DescribeStackResourceCommand,
  DescribeStackResourcesCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { useMoto } from '../fidelity/cfn-harness';
import {
  NOT_FOUND,
  Template,
  clientsFor,
  clone,
  createStack,
  describe as describeStack,
  eventLines,
  logGroup,
  since,
  FAILED_UPDATE_ROLLED_BACK,
} from './harness';

const c = useMoto({}, clientsFor);
let cfn: CloudFormationClient;
let logs: CloudWatchLogsClient;

beforeAll(() => {
  ({ cfn, logs } = c);
});

async function retention(name: string): Promise<number | undefined | 'missing'> {
  const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  const g = (out.logGroups ?? []).find((x) => x.logGroupName === name);
  return g ? g.retentionInDays : 'missing';
}

async function update(stack: string, template: Template): Promise<void> {
  await cfn.send(new UpdateStackCommand({ StackName: stack, TemplateBody: JSON.stringify(template) }));
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

/** A stack whose Api log group was deleted outside CloudFormation before an update raised its retention. */
async function stuckStack(name: string): Promise<{ base: Template; release: Template }> {
  const base: Template = { Resources: { Api: logGroup(`/${name}/api`, 30), Audit: logGroup(`/${name}/audit`, 7) } };
  expect((await createStack(cfn, name, base)).StackStatus).toBe('CREATE_COMPLETE');
  await logs.send(new DeleteLogGroupCommand({ logGroupName: `/${name}/api` }));
  const release = clone(base);
  release.Resources.Api.Properties!.RetentionInDays = 90;
  await update(name, release);
  return { base, release };
}

describe('a successful update', () => {
  test('goes UPDATE_IN_PROGRESS, cleans up removed resources (Retain is skipped), then UPDATE_COMPLETE', async () => {
    const base: Template = {
      Resources: { Api: logGroup('/ok/api', 30), Old: logGroup('/ok/old', 1), Kept: logGroup('/ok/kept', 1, { DeletionPolicy: 'Retain' }) },
    };
    await createStack(cfn, 'ok', base);
    const next: Template = { Resources: { Api: logGroup('/ok/api', 60), New: logGroup('/ok/new', 3) } };
    await update('ok', next);

    const stack = await describeStack(cfn, 'ok');
    expect(stack.StackStatus).toBe('UPDATE_COMPLETE');
    expect(stack.StackStatusReason).toBeUndefined();
    const lines = since(await eventLines(cfn, 'ok'), (l) => l.id === 'ok' && l.status === 'UPDATE_IN_PROGRESS');
    expect(lines).toEqual([
      'ok UPDATE_IN_PROGRESS',
      'Api UPDATE_IN_PROGRESS',
      'Api UPDATE_COMPLETE',
      'New CREATE_IN_PROGRESS',
      'New CREATE_COMPLETE',
      'ok UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'Kept DELETE_SKIPPED',
      'Old DELETE_IN_PROGRESS',
      'Old DELETE_COMPLETE',
      'ok UPDATE_COMPLETE',
    ]);
    expect(await retention('/ok/api')).toBe(60);
    expect(await retention('/ok/new')).toBe(3);
    expect(await retention('/ok/old')).toBe('missing');
    expect(await retention('/ok/kept')).toBe(1);
    const listed = await cfn.send(new ListStackResourcesCommand({ StackName: 'ok' }));
    expect(listed.StackResourceSummaries!.map((r) => `${r.LogicalResourceId} ${r.ResourceStatus}`).sort()).toEqual([
      'Api UPDATE_COMPLETE',
      'New CREATE_COMPLETE',
    ]);
  });
});

describe('a failed update whose rollback succeeds', () => {
  test('rolls back through UPDATE_ROLLBACK_IN_PROGRESS to UPDATE_ROLLBACK_COMPLETE and deletes what it created', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/rb/taken' }));
    const base: Template = { Resources: { Api: logGroup('/rb/api', 30) } };
    await createStack(cfn, 'rb', base);
    const next: Template = {
      Resources: { Api: logGroup('/rb/api', 60), Fresh: logGroup('/rb/fresh', 5), Clash: logGroup('/rb/taken', 5, { DependsOn: 'Fresh' }) },
    };
    await update('rb', next); // accepted, as on AWS: the failure shows in status and events

    const stack = await describeStack(cfn, 'rb');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const all = await eventLines(cfn, 'rb');
    expect(since(all, (l) => l.id === 'rb' && l.status === 'UPDATE_IN_PROGRESS')).toEqual(FAILED_UPDATE_ROLLED_BACK('rb'));
    expect(all.find((l) => l.id === 'Clash' && l.status === 'CREATE_FAILED')!.reason).toMatch(/already exists/);
    expect(all.find((l) => l.id === 'rb' && l.status === 'UPDATE_ROLLBACK_IN_PROGRESS')!.reason).toBe(
      'The following resource(s) failed to create: [Clash].',
    );
    expect(await retention('/rb/api')).toBe(30);
    expect(await retention('/rb/fresh')).toBe('missing');
    expect(await retention('/rb/taken')).toBeUndefined(); // not the stack's: untouched
    const tpl = await cfn.send(new GetTemplateCommand({ StackName: 'rb' }));
    expect(JSON.parse(tpl.TemplateBody!)).toEqual(base);

    // UPDATE_ROLLBACK_COMPLETE is a working state: the next update goes through.
    await update('rb', { Resources: { Api: logGroup('/rb/api', 14) } });
    expect((await describeStack(cfn, 'rb')).StackStatus).toBe('UPDATE_COMPLETE');
    expect(await retention('/rb/api')).toBe(14);
  });
});

describe('a rollback that fails', () => {
  let stackId: string;

  beforeAll(async () => {
    await stuckStack('stuck');
    stackId = (await describeStack(cfn, 'stuck')).StackId!;
  });

  test('ends UPDATE_ROLLBACK_FAILED, with the resource failing once forward and once while rolling back', async () => {
    const stack = await describeStack(cfn, 'stuck');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_FAILED');
    expect(stack.StackStatusReason).toBe('The following resource(s) failed to update: [Api].');
    const all = await eventLines(cfn, 'stuck');
    expect(since(all, (l) => l.id === 'stuck' && l.status === 'UPDATE_IN_PROGRESS')).toEqual([
      'stuck UPDATE_IN_PROGRESS',
      'Api UPDATE_IN_PROGRESS',
      'Api UPDATE_FAILED',
      'stuck UPDATE_ROLLBACK_IN_PROGRESS',
      'Api UPDATE_IN_PROGRESS',
      'Api UPDATE_FAILED',
      'stuck UPDATE_ROLLBACK_FAILED',
    ]);
    for (const l of all.filter((x) => x.id === 'Api' && x.status === 'UPDATE_FAILED')) expect(l.reason).toMatch(NOT_FOUND('/stuck/api'));
    expect(
      all
        .filter((l) => l.id === 'stuck')
        .map((l) => l.reason)
        .slice(-3),
    ).toEqual([
      'User Initiated',
      'The following resource(s) failed to update: [Api].',
      'The following resource(s) failed to update: [Api].',
    ]);
  });

  test('reports each resource with its own status and reason', async () => {
    const api = await cfn.send(new DescribeStackResourceCommand({ StackName: 'stuck', LogicalResourceId: 'Api' }));
    expect(api.StackResourceDetail!.ResourceStatus).toBe('UPDATE_FAILED');
    expect(api.StackResourceDetail!.ResourceStatusReason).toMatch(NOT_FOUND('/stuck/api'));
    const all = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'stuck' }));
    expect(Object.fromEntries(all.StackResources!.map((r) => [r.LogicalResourceId, r.ResourceStatus]))).toEqual({
      Api: 'UPDATE_FAILED',
      Audit: 'CREATE_COMPLETE',
    });
  });

  test("refuses UpdateStack with AWS's message", async () => {
    const err = await errorOf(update('stuck', { Resources: { Api: logGroup('/stuck/api', 60) } }));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe(`Stack:${stackId} is in UPDATE_ROLLBACK_FAILED state and can not be updated.`);
  });

  test('refuses to skip a resource that did not fail while rolling back, or that does not exist', async () => {
    const notFailed = await errorOf(cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'stuck', ResourcesToSkip: ['Audit'] })));
    expect(notFailed.name).toBe('ValidationError');
    expect(notFailed.message).toMatch(/\[Audit\].*CREATE_COMPLETE/);
    const unknown = await errorOf(cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'stuck', ResourcesToSkip: ['Nope'] })));
    expect(unknown.name).toBe('ValidationError');
    expect(unknown.message).toMatch(/\[Nope\]/);
    const both = await errorOf(
      cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'stuck', ResourcesToSkip: ['Api'], ForceRollback: true })),
    );
    expect(both.name).toBe('ValidationError');
    expect((await describeStack(cfn, 'stuck')).StackStatus).toBe('UPDATE_ROLLBACK_FAILED'); // none of them started anything
  });

  test('continuing without repairing fails the same way again', async () => {
    await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'stuck' }));
    expect((await describeStack(cfn, 'stuck')).StackStatus).toBe('UPDATE_ROLLBACK_FAILED');
    expect(since(await eventLines(cfn, 'stuck'), (l) => l.id === 'stuck' && l.status === 'UPDATE_ROLLBACK_IN_PROGRESS')).toEqual([
      'stuck UPDATE_ROLLBACK_IN_PROGRESS',
      'Api UPDATE_IN_PROGRESS',
      'Api UPDATE_FAILED',
      'stuck UPDATE_ROLLBACK_FAILED',
    ]);
  });

  test('continuing after recreating the resource by hand completes the rollback to the previous template', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/stuck/api' }));
    await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'stuck' }));
    const stack = await describeStack(cfn, 'stuck');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(stack.StackId).toBe(stackId);
    expect(stack.StackStatusReason).toBeUndefined();
    expect(since(await eventLines(cfn, 'stuck'), (l) => l.id === 'stuck' && l.status === 'UPDATE_ROLLBACK_IN_PROGRESS')).toEqual([
      'stuck UPDATE_ROLLBACK_IN_PROGRESS',
      'Api UPDATE_IN_PROGRESS',
      'Api UPDATE_COMPLETE',
      'stuck UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'stuck UPDATE_ROLLBACK_COMPLETE',
    ]);
    expect(await retention('/stuck/api')).toBe(30); // the rollback set the previous retention on the new group
  });

  test('ContinueUpdateRollback is refused once the stack is out of UPDATE_ROLLBACK_FAILED', async () => {
    const err = await errorOf(cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'stuck' })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('ContinueUpdateRollback cannot be called from current stack status');
    const missing = await errorOf(cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'no-such-stack' })));
    expect(missing.name).toBe('ValidationError');
    expect(missing.message).toMatch(/does not exist/);
  });
});

describe('skipping the resource whose rollback failed', () => {
  test('ResourcesToSkip marks it UPDATE_COMPLETE untouched and completes; the real resource drifts', async () => {
    const { release } = await stuckStack('skip');
    await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'skip', ResourcesToSkip: ['Api'] }));
    expect((await describeStack(cfn, 'skip')).StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const lines = await eventLines(cfn, 'skip');
    expect(since(lines, (l) => l.id === 'skip' && l.status === 'UPDATE_ROLLBACK_IN_PROGRESS')).toEqual([
      'skip UPDATE_ROLLBACK_IN_PROGRESS',
      'Api UPDATE_COMPLETE',
      'skip UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'skip UPDATE_ROLLBACK_COMPLETE',
    ]);
    expect(lines.filter((l) => l.id === 'Api').at(-1)!.reason).toBe('Resource skipped during UpdateRollback');
    const api = await cfn.send(new DescribeStackResourceCommand({ StackName: 'skip', LogicalResourceId: 'Api' }));
    expect(api.StackResourceDetail!.ResourceStatus).toBe('UPDATE_COMPLETE');
    expect(await retention('/skip/api')).toBe('missing'); // skipping repairs nothing

    // The documented consequence: the next update that touches it fails again (and rolls back into the same trap).
    await update('skip', release);
    expect((await describeStack(cfn, 'skip')).StackStatus).toBe('UPDATE_ROLLBACK_FAILED');
  });

  test('ForceRollback skips every resource whose rollback failed', async () => {
    await stuckStack('force');
    await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'force', ForceRollback: true }));
    expect((await describeStack(cfn, 'force')).StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect((await eventLines(cfn, 'force')).filter((l) => l.reason === 'Resource skipped during UpdateRollback').map((l) => l.id)).toEqual([
      'Api',
    ]);
  });
});

describe('deleting and protecting', () => {
  test('a stack in UPDATE_ROLLBACK_FAILED can be deleted even though its log group is already gone', async () => {
    await stuckStack('gone');
    const id = (await describeStack(cfn, 'gone')).StackId!;
    await cfn.send(new DeleteStackCommand({ StackName: 'gone' }));
    const listed = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }));
    expect(listed.StackSummaries!.some((s) => s.StackId === id)).toBe(true);
    expect(await retention('/gone/audit')).toBe('missing');
  });

  test('termination protection stops DeleteStack until it is turned off', async () => {
    await createStack(cfn, 'guarded', { Resources: { Api: logGroup('/guarded/api', 30) } });
    const out = await cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'guarded', EnableTerminationProtection: true }));
    expect(out.StackId).toBe((await describeStack(cfn, 'guarded')).StackId);
    expect((await describeStack(cfn, 'guarded')).EnableTerminationProtection).toBe(true);
    const err = await errorOf(cfn.send(new DeleteStackCommand({ StackName: 'guarded' })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('Stack [guarded] cannot be deleted while TerminationProtection is enabled');
    expect((await describeStack(cfn, 'guarded')).StackStatus).toBe('CREATE_COMPLETE');
    await cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'guarded', EnableTerminationProtection: false }));
    await cfn.send(new DeleteStackCommand({ StackName: 'guarded' }));
    expect(await retention('/guarded/api')).toBe('missing');
  });
});
