/**
 * End to end on the kit's moto: deploy leaves the stack in
 * UPDATE_ROLLBACK_FAILED for a real reason, both documented remedies are
 * accepted, the shortcuts are rejected with the right criterion named, reset
 * re-arms, destroy leaves nothing behind.
 */
import {
  ContinueUpdateRollbackCommand,
  DeleteStackCommand,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AttributeValue,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { checkScenario } from '../../../lib/ops/check';
import { deployScenario } from '../../../lib/ops/deploy';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import { describeStack } from '../../../lib/engines/cfn/stack-state';
import { eventsOfLastUpdate } from '../../../lib/engines/cfn/stack-events';
import { awsCli, cdkDeploy, useLab } from '../../../test/support/lab';
import { criterion, failing } from '../../../test/support/report';
import scenario from '..';
import { gatherRollbackLab, rollbackFailures } from '../gather';
import { LOG_GROUP_LOGICAL_ID, ORDERS, RELEASE_RETENTION_DAYS, RETENTION_DAYS, logGroupName, tableName } from '../lab';
import { releaseTemplate } from '../arm';

const STACK = 'stack-update-rollback-failed';
const NOT_FOUND =
  /^Resource handler returned message: "Resource of type 'AWS::Logs::LogGroup' with identifier '\{"\/properties\/LogGroupName":"\/breakfix\/stack-update-rollback-failed\/orders-api"\}' was not found\." \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: NotFound\)$/;

const commands: string[] = [];
const lab = useLab(scenario, { clientOptions: { observer: (service, command) => commands.push(`${service}:${command}`) } });

async function retention(): Promise<number | undefined | 'missing'> {
  const out = await lab.ctx.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName(STACK) }));
  const g = (out.logGroups ?? []).find((x) => x.logGroupName === logGroupName(STACK));
  return g ? g.retentionInDays : 'missing';
}

async function stackId(): Promise<string> {
  return (await describeStack(lab.ctx.clients.cloudformation, STACK))!.stackId;
}

describe('armed', () => {
  test('the stack is UPDATE_ROLLBACK_FAILED because the log group it rolls back is gone', async () => {
    const s = await gatherRollbackLab(lab.ctx);
    expect(s.stack!.status).toBe('UPDATE_ROLLBACK_FAILED');
    expect(s.stack!.statusReason).toBe(`The following resource(s) failed to update: [${LOG_GROUP_LOGICAL_ID}].`);
    const failed = rollbackFailures(s);
    expect(failed.map((e) => `${e.logicalId} ${e.status}`)).toEqual([`${LOG_GROUP_LOGICAL_ID} UPDATE_FAILED`]);
    expect(failed[0].reason).toMatch(NOT_FOUND);
    expect(await retention()).toBe('missing');
    // The release changes the log group and nothing else: the orders table is never touched.
    const touched = new Set(
      eventsOfLastUpdate(s.events)
        .filter((e) => !e.isStack)
        .map((e) => e.logicalId),
    );
    expect([...touched]).toEqual([LOG_GROUP_LOGICAL_ID]);
    expect(s.table.orders.every((o) => o.intact)).toBe(true);
    expect(s.table.armedStackId).toBe(s.stack!.stackId);
  });

  test("status shows the stack status and the failed events in AWS's wording", async () => {
    const symptom = await scenario.symptom(lab.ctx);
    expect(symptom.source).toBe('derived');
    expect(symptom.derivation).toMatch(/patch_cfn_update_rollback/);
    expect(symptom.summary).toBe(
      `Stack ${STACK} is UPDATE_ROLLBACK_FAILED: The following resource(s) failed to update: [${LOG_GROUP_LOGICAL_ID}].`,
    );
    expect(
      symptom.details.filter((d) =>
        d.includes(`${LOG_GROUP_LOGICAL_ID}  AWS::Logs::LogGroup  UPDATE_FAILED  Resource handler returned message`),
      ),
    ).toHaveLength(2);
    expect(symptom.details[0]).toMatch(/ UPDATE_ROLLBACK_FAILED {2}The following resource\(s\) failed to update: \[OrdersApiLogGroup\]\.$/);
  });

  test('the checker says not fixed, naming the stack status, and reads only', async () => {
    commands.length = 0;
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['stack-rollback-completed']);
    expect(criterion(report, 'stack-rollback-completed').message).toMatch(/UPDATE_ROLLBACK_FAILED/);
    expect(criterion(report, 'skipped-resources-match-template').status).toBe('not-applicable');
    expect(criterion(report, 'termination-protection-enabled').advice).toMatch(
      /update-termination-protection --enable-termination-protection/,
    );
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(c).toMatch(/:(Describe|List|Get|BatchGet)\w*Command$/);
  });

  test('a plain `cdk deploy` is refused while the stack is stuck', async () => {
    await expect(cdkDeploy(scenario, lab.ctx)).rejects.toThrow(/UPDATE_ROLLBACK_FAILED state and can not be updated/);
  });
});

describe('remedy: restore the log group by hand, then continue the rollback (SDK)', () => {
  test('the rollback completes on the same stack and the checker says fixed', async () => {
    const before = await stackId();
    await lab.ctx.clients.logs.send(new CreateLogGroupCommand({ logGroupName: logGroupName(STACK) }));
    await lab.ctx.clients.cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: STACK }));
    expect(await retention()).toBe(RETENTION_DAYS);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
    expect(criterion(report, 'stack-rollback-completed').message).toMatch(/UPDATE_ROLLBACK_COMPLETE/);
    expect(criterion(report, 'stack-id-matches-armed').message).toContain(before);
    expect(criterion(report, 'skipped-resources-match-template').status).toBe('not-applicable');
  });

  test('a later successful update (the release, retried) still counts as fixed', async () => {
    await lab.ctx.clients.cloudformation.send(
      new UpdateStackCommand({ StackName: STACK, TemplateBody: releaseTemplate(scenario, lab.ctx) }),
    );
    expect(await retention()).toBe(RELEASE_RETENTION_DAYS);
    const report = await checkScenario(scenario, lab.ctx);
    expect(criterion(report, 'stack-rollback-completed').message).toMatch(/UPDATE_COMPLETE/);
    expect(report.verdict).toBe('fixed');
  });
});

describe('reset', () => {
  test('re-arms a fixed lab: a new stack, stuck again, orders reseeded', async () => {
    const before = await stackId();
    const result = await resetScenario(scenario, lab.ctx);
    expect(result.created).toBe(true);
    expect(result.stackId).not.toBe(before);
    expect(result.removed).toEqual(
      expect.arrayContaining([
        `CloudFormation stack ${STACK}`,
        expect.stringMatching(/^DynamoDB table stack-update-rollback-failed-orders/),
      ]),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['stack-rollback-completed']);
    expect(criterion(report, 'stack-id-matches-armed').message).toContain(result.stackId);
  });
});

describe('remedy: continue-update-rollback --resources-to-skip (AWS CLI)', () => {
  test('the rollback completes, and the checker says fixed with drift reported as advice', async () => {
    await awsCli(lab.endpoint, [
      'cloudformation',
      'continue-update-rollback',
      '--stack-name',
      STACK,
      '--resources-to-skip',
      LOG_GROUP_LOGICAL_ID,
    ]);
    const described = await awsCli(lab.endpoint, ['cloudformation', 'describe-stacks', '--stack-name', STACK]);
    expect(described.Stacks[0].StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('fixed');
    const drift = criterion(report, 'skipped-resources-match-template');
    expect(drift.status).toBe('pass');
    expect(drift.message).toContain(
      `${LOG_GROUP_LOGICAL_ID}: log group ${logGroupName(STACK)} does not exist, but the template declares it with ${RETENTION_DAYS}-day retention (drift: DELETED)`,
    );
    expect(drift.advice).toMatch(/NOT_CHECKED/);
  });

  test('recreating the skipped log group as the template says clears the drift', async () => {
    await awsCli(lab.endpoint, ['logs', 'create-log-group', '--log-group-name', logGroupName(STACK)]);
    await awsCli(lab.endpoint, [
      'logs',
      'put-retention-policy',
      '--log-group-name',
      logGroupName(STACK),
      '--retention-in-days',
      String(RETENTION_DAYS),
    ]);
    const drift = criterion(await checkScenario(scenario, lab.ctx), 'skipped-resources-match-template');
    expect(drift.status).toBe('pass');
    expect(drift.message).toMatch(/matches the template/);
    expect(drift.advice).toBeUndefined();
  });
});

describe('shortcut: delete the stack and create it again', () => {
  test('even with every order carried over, the StackId criterion fails', async () => {
    await resetScenario(scenario, lab.ctx);
    const armed = await stackId();
    const { dynamodb, cloudformation } = lab.ctx.clients;
    const backup = (await dynamodb.send(new ScanCommand({ TableName: tableName(STACK) }))).Items as Record<string, AttributeValue>[];
    expect(backup).toHaveLength(ORDERS.length);
    await cloudformation.send(new DeleteStackCommand({ StackName: STACK })); // the table is retained
    await dynamodb.send(new DeleteTableCommand({ TableName: tableName(STACK) })); // else the new stack cannot create it
    await cdkDeploy(scenario, lab.ctx);
    for (const item of backup) await dynamodb.send(new PutItemCommand({ TableName: tableName(STACK), Item: item }));

    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['stack-rollback-completed', 'stack-id-matches-armed']);
    expect(criterion(report, 'stack-rollback-completed').message).toMatch(/CREATE_COMPLETE/);
    expect(criterion(report, 'stack-id-matches-armed').message).toMatch(/deleted or recreated/);
    expect(criterion(report, 'orders-table-items-intact').status).toBe('pass');
    expect(await stackId()).not.toBe(armed);
  });
});

describe('shortcut: sacrifice the data', () => {
  beforeAll(async () => {
    await resetScenario(scenario, lab.ctx);
  });

  test('deleting orders fails the data criterion even when the rollback completes', async () => {
    await lab.ctx.clients.dynamodb.send(new DeleteItemCommand({ TableName: tableName(STACK), Key: { orderId: { S: ORDERS[0].orderId } } }));
    await lab.ctx.clients.cloudformation.send(
      new ContinueUpdateRollbackCommand({ StackName: STACK, ResourcesToSkip: [LOG_GROUP_LOGICAL_ID] }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['orders-table-items-intact']);
    expect(criterion(report, 'orders-table-items-intact').message).toBe(`DynamoDB table ${tableName(STACK)} lacks ${ORDERS[0].orderId}.`);
  });

  test('deleting the table fails the data criterion and loses the proof of which stack was armed', async () => {
    await lab.ctx.clients.dynamodb.send(new DeleteTableCommand({ TableName: tableName(STACK) }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['stack-id-matches-armed', 'orders-table-items-intact']);
    expect(criterion(report, 'orders-table-items-intact').message).toMatch(/does not exist: the 5 production orders are gone/);
  });
});

describe('destroy', () => {
  test('removes the stack, the retained table and any stray log group, even with termination protection on', async () => {
    await resetScenario(scenario, lab.ctx);
    await lab.ctx.clients.cloudformation.send(
      new UpdateTerminationProtectionCommand({ StackName: STACK, EnableTerminationProtection: true }),
    );
    expect(criterion(await checkScenario(scenario, lab.ctx), 'termination-protection-enabled').advice).toBeUndefined();
    await lab.ctx.clients.logs.send(new CreateLogGroupCommand({ logGroupName: logGroupName(STACK) }));
    await lab.ctx.clients.cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: STACK })); // fixed: the log group is stack-owned again

    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
    expect(result.removed).toEqual(
      expect.arrayContaining([expect.stringMatching(/^termination protection of stack/), `CloudFormation stack ${STACK}`]),
    );
    expect(await describeStack(lab.ctx.clients.cloudformation, STACK)).toBeUndefined();
    await expect(lab.ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName(STACK) }))).rejects.toThrow(
      /not found|ResourceNotFound|non-existent/i,
    );
    expect(await retention()).toBe('missing');
  });

  test('an armed lab (stuck, log group gone) destroys cleanly too', async () => {
    await deployScenario(scenario, lab.ctx);
    expect((await describeStack(lab.ctx.clients.cloudformation, STACK))!.status).toBe('UPDATE_ROLLBACK_FAILED');
    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
    expect(await scenario.leftovers!(lab.ctx)).toEqual([]);
  });
});
