/**
 * patch_cfn_rollback_stack (with patch_cfn_create_rollback and
 * patch_cfn_update_rollback): RollbackStack rolls back a CREATE_FAILED or
 * UPDATE_FAILED stack, and refuses any other state; CancelUpdateStack refuses
 * a stack that is not UPDATE_IN_PROGRESS. Both as ValidationError, never
 * HTTP 500.
 *
 * Failures come from emulator state: a log group created outside the stack
 * holds the name the stack wants.
 *
 * AWS sources: "RollbackStack", "CancelUpdateStack", "CreateStack" and
 * "UpdateStack" (CloudFormation API Reference: DisableRollback), "Stack
 * status codes" (CloudFormation User Guide).
 */
import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  RollbackStackCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { clientsFor, eventLines, logGroup, since, Template } from '../fidelity-rollback/harness';
import { createStack, rejection, useMoto } from './cfn-harness';

async function retention(logs: CloudWatchLogsClient, name: string): Promise<number | undefined | 'missing'> {
  const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  const g = (out.logGroups ?? []).find((x) => x.logGroupName === name);
  return g ? g.retentionInDays : 'missing';
}

async function status(cfn: CloudFormationClient, name: string): Promise<string> {
  return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0].StackStatus!;
}

const httpStatus = (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode;

describe('stock moto', () => {
  const c = useMoto({ stock: true }, clientsFor);

  test('answers RollbackStack and CancelUpdateStack with HTTP 500 (patch still needed)', async () => {
    expect((await createStack(c.cfn, 'plain', { Resources: { Api: logGroup('/plain/api', 30) } })).status).toBe('CREATE_COMPLETE');
    expect(httpStatus(await rejection(c.cfn.send(new RollbackStackCommand({ StackName: 'plain' }))))).toBe(500);
    expect(httpStatus(await rejection(c.cfn.send(new CancelUpdateStackCommand({ StackName: 'plain' }))))).toBe(500);
  });
});

describe('patched moto', () => {
  const c = useMoto({}, clientsFor);

  test('refuses both on a stack in a state they do not accept, with a ValidationError (HTTP 400)', async () => {
    expect((await createStack(c.cfn, 'steady', { Resources: { Api: logGroup('/steady/api', 30) } })).status).toBe('CREATE_COMPLETE');
    const rollback = await rejection(c.cfn.send(new RollbackStackCommand({ StackName: 'steady' })));
    expect([rollback.name, rollback.message, httpStatus(rollback)]).toEqual([
      'ValidationError',
      'RollbackStack cannot be called from current stack status',
      400,
    ]);
    const cancel = await rejection(c.cfn.send(new CancelUpdateStackCommand({ StackName: 'steady' })));
    expect([cancel.name, cancel.message, httpStatus(cancel)]).toEqual([
      'ValidationError',
      'CancelUpdateStack cannot be called from current stack status',
      400,
    ]);
    const missing = await rejection(c.cfn.send(new RollbackStackCommand({ StackName: 'no-such-stack' })));
    expect(missing.name).toBe('ValidationError');
    expect(missing.message).toMatch(/does not exist/);
    expect(await status(c.cfn, 'steady')).toBe('CREATE_COMPLETE');
  });

  test('rolls back a CREATE_FAILED stack (DisableRollback) to ROLLBACK_COMPLETE, deleting what it created', async () => {
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/cf/taken' }));
    const template: Template = { Resources: { Fresh: logGroup('/cf/fresh', 5), Clash: logGroup('/cf/taken', 5, { DependsOn: 'Fresh' }) } };
    await c.cfn.send(new CreateStackCommand({ StackName: 'cf', TemplateBody: JSON.stringify(template), DisableRollback: true }));
    expect(await status(c.cfn, 'cf')).toBe('CREATE_FAILED');
    expect(await retention(c.logs, '/cf/fresh')).toBe(5);

    const out = await c.cfn.send(new RollbackStackCommand({ StackName: 'cf' }));
    expect(out.StackId).toBe((await c.cfn.send(new DescribeStacksCommand({ StackName: 'cf' }))).Stacks![0].StackId);
    expect(await status(c.cfn, 'cf')).toBe('ROLLBACK_COMPLETE');
    expect(since(await eventLines(c.cfn, 'cf'), (l) => l.id === 'cf' && l.status === 'ROLLBACK_IN_PROGRESS')).toEqual([
      'cf ROLLBACK_IN_PROGRESS',
      'Fresh DELETE_IN_PROGRESS',
      'Fresh DELETE_COMPLETE',
      'cf ROLLBACK_COMPLETE',
    ]);
    expect(await retention(c.logs, '/cf/fresh')).toBe('missing');
    expect(await retention(c.logs, '/cf/taken')).toBeUndefined(); // not the stack's: untouched
    // Once rolled back, there is nothing left to roll back.
    expect((await rejection(c.cfn.send(new RollbackStackCommand({ StackName: 'cf' })))).name).toBe('ValidationError');
  });

  test('rolls back an UPDATE_FAILED stack (UpdateStack DisableRollback) to its previous template', async () => {
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/uf/taken' }));
    const base: Template = { Resources: { Api: logGroup('/uf/api', 30) } };
    await createStack(c.cfn, 'uf', base);
    const next: Template = {
      Resources: { Api: logGroup('/uf/api', 60), Fresh: logGroup('/uf/fresh', 5), Clash: logGroup('/uf/taken', 5, { DependsOn: 'Fresh' }) },
    };
    await c.cfn.send(new UpdateStackCommand({ StackName: 'uf', TemplateBody: JSON.stringify(next), DisableRollback: true }));
    const failed = (await c.cfn.send(new DescribeStacksCommand({ StackName: 'uf' }))).Stacks![0];
    expect(failed.StackStatus).toBe('UPDATE_FAILED');
    expect(failed.StackStatusReason).toBe('The following resource(s) failed to create: [Clash].');
    expect(await retention(c.logs, '/uf/api')).toBe(60); // what succeeded stays, as DisableRollback asks
    expect(await retention(c.logs, '/uf/fresh')).toBe(5);

    await c.cfn.send(new RollbackStackCommand({ StackName: 'uf' }));
    expect(await status(c.cfn, 'uf')).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(since(await eventLines(c.cfn, 'uf'), (l) => l.id === 'uf' && l.status === 'UPDATE_ROLLBACK_IN_PROGRESS')).toEqual([
      'uf UPDATE_ROLLBACK_IN_PROGRESS',
      'Api UPDATE_IN_PROGRESS',
      'Api UPDATE_COMPLETE',
      'uf UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'Fresh DELETE_IN_PROGRESS',
      'Fresh DELETE_COMPLETE',
      'uf UPDATE_ROLLBACK_COMPLETE',
    ]);
    expect(await retention(c.logs, '/uf/api')).toBe(30);
    expect(await retention(c.logs, '/uf/fresh')).toBe('missing');
  });
});
