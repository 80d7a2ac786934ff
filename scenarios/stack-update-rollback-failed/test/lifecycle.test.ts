/**
 * Lifecycle on moto: whatever a learner did to the rollback lab, `reset`
 * re-arms it and `destroy` leaves the region as it was. One moto, one lab,
 * reset in-process between cases. The cases are the stuck labs outside
 * graders and issue 11 found: deletion protection on the retained table,
 * a resource policy on it, the stack deleted (check then says what is gone),
 * and the stack deleted and created again by hand.
 */
import {
  CreateStackCommand,
  DeleteStackCommand,
  GetTemplateCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, PutResourcePolicyCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { describeStack } from '../../../lib/engines/cfn/stack-state';
import { pollUntil } from '../../../lib/core/poll';
import { awsCli, useLab } from '../../../test/support/lab';
import { expectDestroyLeavesRegionAsBefore, expectResetRearms } from '../../../test/support/lifecycle';
import { cleanEnv, runMain } from '../../../test/cli/harness';
import scenario from '..';
import { tableName } from '../lab';

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

describe('destroy', () => {
  test('after a learner protected the table and gave it a policy, destroy leaves the region as it was', async () => {
    const arn = await tableArn();
    await lab.ctx.clients.dynamodb.send(
      new PutResourcePolicyCommand({
        ResourceArn: arn,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 'dynamodb:*', Resource: arn }],
        }),
      }),
    );
    await lab.ctx.clients.dynamodb.send(new UpdateTableCommand({ TableName: tableName(STACK), DeletionProtectionEnabled: true }));
    await expectDestroyLeavesRegionAsBefore(scenario, lab.ctx);
    const again = await runMain(['destroy', STACK, '--endpoint', lab.endpoint], { env: cleanEnv() });
    expect({ code: again.code, stdout: again.stdout }).toEqual({ code: 0, stdout: `No lab ${STACK} on moto; nothing to remove.` });
  });
});
