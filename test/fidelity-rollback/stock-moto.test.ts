/**
 * Stock moto 5.2.1 still lacks what patch_cfn_update_rollback,
 * patch_logs_log_group_cfn and patch_cfn_termination_protection add. When an
 * assertion here fails on a newer moto, the matching module may be dropped
 * (see each module's "When to drop").
 */
import { ContinueUpdateRollbackCommand, UpdateStackCommand, UpdateTerminationProtectionCommand } from '@aws-sdk/client-cloudformation';
import { DeleteLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useMoto } from '../fidelity/cfn-harness';
import { clientsFor, createStack, describe as describeStack, logGroup } from './harness';

const c = useMoto({ stock: true }, clientsFor);

async function httpStatusOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  }
  return 200;
}

test('ContinueUpdateRollback is not implemented (HTTP 500)', async () => {
  await createStack(c.cfn, 'stock-cur', { Resources: { Api: logGroup('/stock-cur/api', 30) } });
  expect(await httpStatusOf(c.cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'stock-cur' })))).toBe(500);
});

test('UpdateTerminationProtection is not implemented (HTTP 500)', async () => {
  await createStack(c.cfn, 'stock-tp', { Resources: { Api: logGroup('/stock-tp/api', 30) } });
  expect(
    await httpStatusOf(c.cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'stock-tp', EnableTerminationProtection: true }))),
  ).toBe(500);
});

test('a log group retention change never reaches CloudWatch Logs, even when the group is gone', async () => {
  await createStack(c.cfn, 'stock-lg', { Resources: { Api: logGroup('/stock-lg/api', 30), Other: logGroup('/stock-lg/other', 7) } });
  await c.cfn.send(
    new UpdateStackCommand({
      StackName: 'stock-lg',
      TemplateBody: JSON.stringify({ Resources: { Api: logGroup('/stock-lg/api', 30), Other: logGroup('/stock-lg/other', 60) } }),
    }),
  );
  const groups = await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/stock-lg/other' }));
  expect(groups.logGroups![0].retentionInDays).toBe(7);
  expect((await describeStack(c.cfn, 'stock-lg')).StackStatus).toBe('UPDATE_COMPLETE');

  // With the log group deleted outside CloudFormation, the update still "succeeds": no rollback at all.
  await c.logs.send(new DeleteLogGroupCommand({ logGroupName: '/stock-lg/api' }));
  await c.cfn.send(
    new UpdateStackCommand({
      StackName: 'stock-lg',
      TemplateBody: JSON.stringify({ Resources: { Api: logGroup('/stock-lg/api', 90), Other: logGroup('/stock-lg/other', 60) } }),
    }),
  );
  expect((await describeStack(c.cfn, 'stock-lg')).StackStatus).toBe('UPDATE_COMPLETE');
});

test('a failing update is a synchronous error, not a rollback', async () => {
  await createStack(c.cfn, 'stock-fail', { Resources: { Api: logGroup('/stock-fail/api', 30) } });
  await createStack(c.cfn, 'stock-holder', { Resources: { Taken: logGroup('/stock-fail/taken', 1) } });
  const status = await httpStatusOf(
    c.cfn.send(
      new UpdateStackCommand({
        StackName: 'stock-fail',
        TemplateBody: JSON.stringify({ Resources: { Api: logGroup('/stock-fail/api', 30), Clash: logGroup('/stock-fail/taken', 5) } }),
      }),
    ),
  );
  expect(status).toBeGreaterThanOrEqual(400);
  expect((await describeStack(c.cfn, 'stock-fail')).StackStatus).not.toMatch(/ROLLBACK/);
});
