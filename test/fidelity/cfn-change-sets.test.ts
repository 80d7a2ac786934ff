/**
 * patch_cfn_change_sets: CreateChangeSet is refused where UpdateStack is;
 * ExecuteChangeSet refuses a change set that is not AVAILABLE (or a stack
 * that cannot be updated) and otherwise runs CreateStack's / UpdateStack's
 * machinery, rollback included.
 *
 * Failures come from emulator state: a log group deleted outside the stack,
 * or one created outside it that holds the name the stack wants.
 *
 * AWS sources: "CreateChangeSet", "ExecuteChangeSet" (CloudFormation API
 * Reference: InvalidChangeSetStatus, ChangeSetNotFound), "Update stacks using
 * change sets" and "Stack status codes" (CloudFormation User Guide).
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListChangeSetsCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { clientsFor, clone, eventLines, FAILED_UPDATE_ROLLED_BACK, logGroup, since, Template } from '../fidelity-rollback/harness';
import { createStack, rejection, useMoto } from './cfn-harness';

async function retention(logs: CloudWatchLogsClient, name: string): Promise<number | undefined | 'missing'> {
  const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  const g = (out.logGroups ?? []).find((x) => x.logGroupName === name);
  return g ? g.retentionInDays : 'missing';
}

async function stackOf(cfn: CloudFormationClient, name: string) {
  return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0];
}

async function changeSet(cfn: CloudFormationClient, stack: string, name: string, template: Template, type: 'UPDATE' | 'CREATE' = 'UPDATE') {
  return cfn.send(
    new CreateChangeSetCommand({ StackName: stack, ChangeSetName: name, ChangeSetType: type, TemplateBody: JSON.stringify(template) }),
  );
}

async function execution(cfn: CloudFormationClient, stack: string, name: string): Promise<string | undefined> {
  return (await cfn.send(new DescribeChangeSetCommand({ StackName: stack, ChangeSetName: name }))).ExecutionStatus;
}

describe('stock moto', () => {
  const c = useMoto({ stock: true }, clientsFor);

  test('answers a change set for a stack still in REVIEW_IN_PROGRESS with HTTP 500, not a ValidationError (patch still needed)', async () => {
    await changeSet(c.cfn, 'review', 'first', { Resources: { Api: logGroup('/review/api', 30) } }, 'CREATE');
    expect((await stackOf(c.cfn, 'review')).StackStatus).toBe('REVIEW_IN_PROGRESS');
    const err = await rejection(changeSet(c.cfn, 'review', 'second', { Resources: { Api: logGroup('/review/api', 60) } }));
    expect(err.$metadata?.httpStatusCode).toBe(500);
  });

  test('executes a change set that is not AVAILABLE (patch still needed)', async () => {
    await createStack(c.cfn, 'same', { Resources: { Api: logGroup('/same/api', 30) } });
    await c.cfn.send(
      new CreateChangeSetCommand({ StackName: 'same', ChangeSetName: 'nothing', ChangeSetType: 'UPDATE', UsePreviousTemplate: true }),
    );
    expect(await execution(c.cfn, 'same', 'nothing')).toBe('UNAVAILABLE');
    await c.cfn.send(new ExecuteChangeSetCommand({ StackName: 'same', ChangeSetName: 'nothing' }));
    expect((await stackOf(c.cfn, 'same')).StackStatus).toBe('UPDATE_COMPLETE');
  });

  test('lets a failing change set leak a CloudWatch Logs error instead of rolling back (patch still needed)', async () => {
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/leak/taken' }));
    await createStack(c.cfn, 'leak', { Resources: { Api: logGroup('/leak/api', 30) } });
    await changeSet(c.cfn, 'leak', 'clash', { Resources: { Api: logGroup('/leak/api', 30), Clash: logGroup('/leak/taken', 5) } });
    const err = await rejection(c.cfn.send(new ExecuteChangeSetCommand({ StackName: 'leak', ChangeSetName: 'clash' })));
    expect(err.name).not.toBe('ValidationError');
    expect((await stackOf(c.cfn, 'leak')).StackStatus).not.toMatch(/ROLLBACK/);
  });
});

describe('patched moto', () => {
  const c = useMoto({}, clientsFor);

  test('refuses CreateChangeSet on an UPDATE_ROLLBACK_FAILED stack, and ExecuteChangeSet of one created before, like UpdateStack', async () => {
    const base: Template = { Resources: { Api: logGroup('/stuck/api', 30), Audit: logGroup('/stuck/audit', 7) } };
    await createStack(c.cfn, 'stuck', base);
    const release = clone(base);
    release.Resources.Api.Properties!.RetentionInDays = 90;
    await changeSet(c.cfn, 'stuck', 'early', release); // created while the stack is healthy
    await c.logs.send(new DeleteLogGroupCommand({ logGroupName: '/stuck/api' }));
    await c.cfn.send(new UpdateStackCommand({ StackName: 'stuck', TemplateBody: JSON.stringify(release) }));
    const stack = await stackOf(c.cfn, 'stuck');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_FAILED');

    const refused = await rejection(changeSet(c.cfn, 'stuck', 'late', release));
    expect([refused.name, refused.message]).toEqual([
      'ValidationError',
      `Stack:${stack.StackId} is in UPDATE_ROLLBACK_FAILED state and can not be updated.`,
    ]);
    const early = await rejection(c.cfn.send(new ExecuteChangeSetCommand({ StackName: 'stuck', ChangeSetName: 'early' })));
    expect(early.name).toBe('InvalidChangeSetStatusException');
    expect(early.$metadata?.httpStatusCode).toBe(400);
    expect((await stackOf(c.cfn, 'stuck')).StackStatus).toBe('UPDATE_ROLLBACK_FAILED');
  });

  test('refuses a change set for a stack still in REVIEW_IN_PROGRESS, and one for a name that already has a stack', async () => {
    await changeSet(c.cfn, 'review', 'first', { Resources: { Api: logGroup('/review/api', 30) } }, 'CREATE');
    const busy = await rejection(changeSet(c.cfn, 'review', 'second', { Resources: { Api: logGroup('/review/api', 60) } }));
    expect(busy.name).toBe('ValidationError');
    expect(busy.message).toMatch(/is in REVIEW_IN_PROGRESS state and can not be updated\.$/);
    await createStack(c.cfn, 'taken', { Resources: { Api: logGroup('/taken/api', 30) } });
    const again = await rejection(changeSet(c.cfn, 'taken', 'again', { Resources: { Api: logGroup('/taken/api', 30) } }, 'CREATE'));
    expect([again.name, again.message]).toEqual([
      'ValidationError',
      'Stack [taken] already exists and cannot be created again with the changeSet [again].',
    ]);
  });

  test('refuses to execute a change set that is not AVAILABLE, or that does not exist', async () => {
    await createStack(c.cfn, 'same', { Resources: { Api: logGroup('/same/api', 30) } });
    await c.cfn.send(
      new CreateChangeSetCommand({ StackName: 'same', ChangeSetName: 'nothing', ChangeSetType: 'UPDATE', UsePreviousTemplate: true }),
    );
    expect(await execution(c.cfn, 'same', 'nothing')).toBe('UNAVAILABLE');
    const unavailable = await rejection(c.cfn.send(new ExecuteChangeSetCommand({ StackName: 'same', ChangeSetName: 'nothing' })));
    expect(unavailable.name).toBe('InvalidChangeSetStatusException');
    expect((await stackOf(c.cfn, 'same')).StackStatus).toBe('CREATE_COMPLETE');
    const missing = await rejection(c.cfn.send(new ExecuteChangeSetCommand({ StackName: 'same', ChangeSetName: 'nope' })));
    expect(missing.name).toBe('ChangeSetNotFoundException');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
  });

  test('executes an update change set as UpdateStack does, and deletes the stack’s other change sets', async () => {
    const base: Template = { Resources: { Api: logGroup('/ok/api', 30) } };
    await createStack(c.cfn, 'ok', base);
    const next = clone(base);
    next.Resources.Api.Properties!.RetentionInDays = 60;
    await changeSet(c.cfn, 'ok', 'raise', next);
    await changeSet(c.cfn, 'ok', 'other', { Resources: { Api: logGroup('/ok/api', 14) } });
    await c.cfn.send(new ExecuteChangeSetCommand({ StackName: 'ok', ChangeSetName: 'raise' }));
    expect((await stackOf(c.cfn, 'ok')).StackStatus).toBe('UPDATE_COMPLETE');
    expect(await retention(c.logs, '/ok/api')).toBe(60);
    expect(since(await eventLines(c.cfn, 'ok'), (l) => l.id === 'ok' && l.status === 'UPDATE_IN_PROGRESS')).toEqual([
      'ok UPDATE_IN_PROGRESS',
      'Api UPDATE_IN_PROGRESS',
      'Api UPDATE_COMPLETE',
      'ok UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'ok UPDATE_COMPLETE',
    ]);
    expect(await execution(c.cfn, 'ok', 'raise')).toBe('EXECUTE_COMPLETE');
    const left = (await c.cfn.send(new ListChangeSetsCommand({ StackName: 'ok' }))).Summaries ?? [];
    expect(left.filter((s) => s.StackName === 'ok').map((s) => s.ChangeSetName)).toEqual(['raise']);
  });

  test('a failing update change set rolls back exactly as UpdateStack would, and is EXECUTE_FAILED', async () => {
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/rb/taken' }));
    const base: Template = { Resources: { Api: logGroup('/rb/api', 30) } };
    await createStack(c.cfn, 'rb', base);
    const next: Template = {
      Resources: { Api: logGroup('/rb/api', 60), Fresh: logGroup('/rb/fresh', 5), Clash: logGroup('/rb/taken', 5, { DependsOn: 'Fresh' }) },
    };
    await changeSet(c.cfn, 'rb', 'clash', next);
    await c.cfn.send(new ExecuteChangeSetCommand({ StackName: 'rb', ChangeSetName: 'clash' }));
    expect((await stackOf(c.cfn, 'rb')).StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(since(await eventLines(c.cfn, 'rb'), (l) => l.id === 'rb' && l.status === 'UPDATE_IN_PROGRESS')).toEqual(
      FAILED_UPDATE_ROLLED_BACK('rb'),
    );
    expect(await retention(c.logs, '/rb/api')).toBe(30);
    expect(await retention(c.logs, '/rb/fresh')).toBe('missing');
    expect(await execution(c.cfn, 'rb', 'clash')).toBe('EXECUTE_FAILED');
  });

  test('a CREATE change set runs CreateStack’s machinery: resources created with events, a failure rolls back', async () => {
    await changeSet(c.cfn, 'fresh', 'make', { Resources: { Api: logGroup('/fresh/api', 30) } }, 'CREATE');
    await c.cfn.send(new ExecuteChangeSetCommand({ StackName: 'fresh', ChangeSetName: 'make' }));
    expect((await stackOf(c.cfn, 'fresh')).StackStatus).toBe('CREATE_COMPLETE');
    expect(await retention(c.logs, '/fresh/api')).toBe(30);
    expect(since(await eventLines(c.cfn, 'fresh'), (l) => l.id === 'fresh' && l.status === 'CREATE_IN_PROGRESS')).toEqual([
      'fresh CREATE_IN_PROGRESS',
      'Api CREATE_IN_PROGRESS',
      'Api CREATE_COMPLETE',
      'fresh CREATE_COMPLETE',
    ]);

    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/doomed/taken' }));
    await changeSet(c.cfn, 'doomed', 'make', { Resources: { Clash: logGroup('/doomed/taken', 5) } }, 'CREATE');
    await c.cfn.send(new ExecuteChangeSetCommand({ StackName: 'doomed', ChangeSetName: 'make' }));
    expect((await stackOf(c.cfn, 'doomed')).StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(await execution(c.cfn, 'doomed', 'make')).toBe('EXECUTE_FAILED');
  });
});
