/**
 * The checker, the armed test and the symptom against documented shapes of
 * AWS's responses (see aws-documented-shapes.ts): shapes the kit's moto never produces,
 * such as paginated events, CloudFormation's own tags on the table, partial
 * BatchGetItem answers and a stack recreated by resource import.
 */
import { runCheck } from '../../../checkers/runner';
import type { CheckReport } from '../../../checkers/criterion';
import scenario from '..';
import { armedFrom } from '../arm';
import { gatherRollbackLab } from '../gather';
import { rollbackSymptom } from '../symptom';
import {
  LOG_GROUP,
  OTHER_STACK_ID,
  DocumentedWorld,
  STACK,
  STACK_ID,
  TABLE,
  armedHistory,
  awsContext,
  documentedClients,
  skippedHistory,
} from './aws-documented-shapes';
import { criterion, failing } from '../../../test/support/report';

const REASON = 'The following resource(s) failed to update: [OrdersApiLogGroup].';

async function check(world: DocumentedWorld): Promise<{ report: CheckReport; calls: string[] }> {
  const { clients, calls } = documentedClients(world);
  const ctx = awsContext(clients);
  const report = await runCheck({ scenario: scenario.id, target: 'aws', gather: () => scenario.gather(ctx), criteria: scenario.criteria });
  return { report, calls };
}

const armed = (): DocumentedWorld => ({
  stackId: STACK_ID,
  status: 'UPDATE_ROLLBACK_FAILED',
  statusReason: REASON,
  events: armedHistory(),
  table: { armedStackId: STACK_ID },
});

describe('the stuck stack, as AWS reports it', () => {
  test('is armed: the rollback failure is found across event pages', async () => {
    const { clients, calls } = documentedClients({ ...armed(), pageSize: 3 });
    const result = armedFrom(await gatherRollbackLab(awsContext(clients)));
    expect(result.armed).toBe(true);
    expect(result.facts[0]).toBe(`Stack ${STACK} is UPDATE_ROLLBACK_FAILED: ${REASON}`);
    expect(result.facts[1]).toMatch(
      /^OrdersApiLogGroup \(\/breakfix\/ana-stack-update-rollback-failed\/orders-api\) UPDATE_FAILED while rolling back: Resource handler returned message: .*RequestToken: a3d94e57/,
    );
    expect(calls.filter((c) => c === 'DescribeStackEventsCommand')).toHaveLength(4);
  });

  test('is not fixed, and only the status criterion fails', async () => {
    const { report, calls } = await check(armed());
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['stack-rollback-completed']);
    expect(criterion(report, 'stack-rollback-completed').message).toBe(
      `CloudFormation reports stack ${STACK} UPDATE_ROLLBACK_FAILED (${REASON}): it accepts no update until its rollback is continued.`,
    );
    expect(criterion(report, 'stack-id-matches-armed').status).toBe('pass');
    expect(criterion(report, 'orders-table-items-intact').status).toBe('pass');
    for (const c of calls) expect(c).toMatch(/^(Describe|List|Get|BatchGet)\w*Command$/);
  });

  test("status lists the failed events newest first, in CloudFormation's words", async () => {
    const { clients } = documentedClients(armed());
    const symptom = rollbackSymptom(await gatherRollbackLab(awsContext(clients)), 'aws');
    expect(symptom.source).toBe('authentic');
    expect(symptom.summary).toBe(`Stack ${STACK} is UPDATE_ROLLBACK_FAILED: ${REASON}`);
    expect(symptom.details.map((d) => d.split('  ').slice(1, 4).join(' '))).toEqual([
      `${STACK} AWS::CloudFormation::Stack UPDATE_ROLLBACK_FAILED`,
      'OrdersApiLogGroup AWS::Logs::LogGroup UPDATE_FAILED',
      `${STACK} AWS::CloudFormation::Stack UPDATE_ROLLBACK_IN_PROGRESS`,
      'OrdersApiLogGroup AWS::Logs::LogGroup UPDATE_FAILED',
    ]);
    expect(symptom.details[1]).toContain(`with identifier '{"/properties/LogGroupName":"${LOG_GROUP}"}' was not found.`);
  });
});

describe('after continue-update-rollback --resources-to-skip', () => {
  const skipped = (logGroup?: DocumentedWorld['logGroup']): DocumentedWorld => ({
    ...armed(),
    status: 'UPDATE_ROLLBACK_COMPLETE',
    statusReason: undefined,
    events: skippedHistory(),
    logGroup,
  });

  test('is fixed; the skipped log group that is still gone is reported as DELETED drift, as advice', async () => {
    const { report } = await check(skipped());
    expect(report.verdict).toBe('fixed');
    const drift = criterion(report, 'skipped-resources-match-template');
    expect(drift.status).toBe('pass');
    expect(drift.message).toBe(
      `Skipped while rolling back stack ${STACK}: OrdersApiLogGroup: log group ${LOG_GROUP} does not exist, but the template declares it with 30-day retention (drift: DELETED).`,
    );
    expect(drift.advice).toMatch(/detect-stack-resource-drift/);
  });

  test('a log group recreated by hand without retention is MODIFIED drift', async () => {
    const { report } = await check(skipped({}));
    expect(criterion(report, 'skipped-resources-match-template').message).toContain(
      'has no retention (never expire), the template 30-day retention (drift: MODIFIED)',
    );
    expect(report.verdict).toBe('fixed');
  });

  test('recreated as the template says, there is nothing to advise', async () => {
    const { report } = await check(skipped({ retentionInDays: 30 }));
    const drift = criterion(report, 'skipped-resources-match-template');
    expect(drift.message).toMatch(/matches the template \(30-day retention\)/);
    expect(drift.advice).toBeUndefined();
  });

  test("the comparison follows the stack's current template (GetTemplate), not a copy of the lab's", async () => {
    const { report, calls } = await check({ ...skipped({ retentionInDays: 30 }), templateRetentionInDays: 14 });
    const drift = criterion(report, 'skipped-resources-match-template');
    expect(drift.message).toContain('has 30-day retention, the template 14-day retention (drift: MODIFIED)');
    expect(drift.advice).toMatch(/detect-stack-resource-drift/);
    expect(calls).toContain('GetTemplateCommand');
  });
});

describe('a stack policy set after the rollback (GetStackPolicy)', () => {
  const withPolicy = (stackPolicy?: object): DocumentedWorld => ({
    ...armed(),
    status: 'UPDATE_ROLLBACK_COMPLETE',
    statusReason: undefined,
    events: skippedHistory(),
    logGroup: { retentionInDays: 30 },
    stackPolicy,
  });
  const DENY_TABLE = { Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/OrdersTable' };

  test('none set: the release is allowed and the criterion says so', async () => {
    const { report, calls } = await check(withPolicy());
    expect(report.verdict).toBe('fixed');
    expect(calls).toContain('GetStackPolicyCommand');
    expect(criterion(report, 'stack-policy-allows-release').message).toBe(
      `Stack ${STACK} lets the waiting release through: No stack policy is set, so Update:Modify on OrdersApiLogGroup (AWS::Logs::LogGroup) is allowed.`,
    );
  });

  test('a deny-only policy for the table denies the release by default, and status says so too', async () => {
    const world = withPolicy({ Statement: [DENY_TABLE] });
    const { report } = await check(world);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['stack-policy-allows-release']);
    expect(criterion(report, 'stack-policy-allows-release').message).toMatch(
      /^Stack \S+ would refuse the waiting release: The stack policy has no statement allowing Update:Modify on OrdersApiLogGroup \(AWS::Logs::LogGroup\)/,
    );
    const symptom = rollbackSymptom(await gatherRollbackLab(awsContext(documentedClients(world).clients)), 'aws');
    expect(symptom.summary).toBe(`Stack ${STACK} is UPDATE_ROLLBACK_COMPLETE; its stack policy would refuse the waiting release`);
    expect(symptom.source).toBe('derived');
    expect(symptom.details[0]).toMatch(/no statement allowing Update:Modify on OrdersApiLogGroup/);
  });

  test('the documented Allow-all plus Deny-the-table pattern lets the release through, naming the Allow', async () => {
    const world = withPolicy({ Statement: [{ Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' }, DENY_TABLE] });
    const { report } = await check(world);
    expect(report.verdict).toBe('fixed');
    expect(criterion(report, 'stack-policy-allows-release').message).toContain("The stack policy's statement 1 allows Update:Modify");
    const symptom = rollbackSymptom(await gatherRollbackLab(awsContext(documentedClients(world).clients)), 'aws');
    expect(symptom).toMatchObject({ source: 'authentic', summary: `Stack ${STACK} is UPDATE_ROLLBACK_COMPLETE` });
  });

  test('a policy breakfix cannot read is an error, never a pass', async () => {
    const world = withPolicy({
      Statement: [
        {
          Effect: 'Allow',
          Action: 'Update:*',
          Principal: '*',
          Resource: '*',
          Condition: { StringNotEquals: { ResourceType: 'AWS::S3::Bucket' } },
        },
      ],
    });
    const { report } = await check(world);
    expect(report.verdict).not.toBe('fixed');
    expect(criterion(report, 'stack-policy-allows-release').status).toBe('error');
    const symptom = rollbackSymptom(await gatherRollbackLab(awsContext(documentedClients(world).clients)), 'aws');
    expect(symptom.summary).toContain('breakfix cannot read its stack policy');
  });
});

describe('shapes only real AWS produces', () => {
  test('a stack recreated by importing the retained table keeps the data but fails on StackId, naming both', async () => {
    const { report } = await check({ stackId: OTHER_STACK_ID, status: 'IMPORT_COMPLETE', events: [], table: { armedStackId: STACK_ID } });
    expect(failing(report)).toEqual(['stack-rollback-completed', 'stack-id-matches-armed']);
    expect(criterion(report, 'stack-id-matches-armed').message).toBe(
      `Stack ${STACK} is ${OTHER_STACK_ID}, not the armed ${STACK_ID}: the production stack was deleted and created again.`,
    );
    expect(criterion(report, 'orders-table-items-intact').status).toBe('pass');
  });

  test("BatchGetItem's UnprocessedKeys are fetched again, and extra attributes the app wrote do not count as damage", async () => {
    const { report, calls } = await check({ ...armed(), table: { armedStackId: STACK_ID, unprocessedFirst: true, extraAttributes: true } });
    expect(calls.filter((c) => c === 'BatchGetItemCommand')).toHaveLength(2);
    expect(criterion(report, 'orders-table-items-intact').message).toBe(`DynamoDB table ${TABLE} holds all 5 production orders unchanged.`);
  });

  test("a deleted table is reported through DynamoDB's ResourceNotFoundException", async () => {
    const { report } = await check({ ...armed(), status: 'UPDATE_ROLLBACK_COMPLETE', table: undefined });
    expect(failing(report)).toEqual(['stack-id-matches-armed', 'orders-table-items-intact']);
    expect(criterion(report, 'orders-table-items-intact').message).toBe(
      `DynamoDB table ${TABLE} does not exist: the 5 production orders are gone.`,
    );
    expect(criterion(report, 'stack-id-matches-armed').message).toMatch(/does not exist, so it was deleted or recreated/);
  });

  test('missing orders are named', async () => {
    const { report } = await check({
      ...armed(),
      status: 'UPDATE_ROLLBACK_COMPLETE',
      table: { armedStackId: STACK_ID, missingOrders: ['ord-1002', 'ord-1004'] },
    });
    expect(criterion(report, 'orders-table-items-intact').message).toBe(`DynamoDB table ${TABLE} lacks ord-1002, ord-1004.`);
  });

  test('termination protection on: no advice; off: the CLI command to turn it on', async () => {
    const on = (await check({ ...armed(), terminationProtection: true })).report;
    expect(criterion(on, 'termination-protection-enabled')).toMatchObject({
      status: 'pass',
      message: `Termination protection is on for stack ${STACK}.`,
    });
    expect(criterion(on, 'termination-protection-enabled').advice).toBeUndefined();
    const off = (await check(armed())).report;
    expect(criterion(off, 'termination-protection-enabled').advice).toContain(`--enable-termination-protection --stack-name ${STACK}`);
  });

  test('no stack at all: every stack criterion fails, none errors', async () => {
    const { report } = await check({ events: [], table: { armedStackId: STACK_ID } });
    expect(report.criteria.map((c) => `${c.id}:${c.status}`)).toEqual([
      'stack-rollback-completed:fail',
      'stack-id-matches-armed:fail',
      'stack-policy-allows-release:not-applicable',
      'orders-table-items-intact:pass',
      'skipped-resources-match-template:not-applicable',
      'termination-protection-enabled:not-applicable',
    ]);
  });
});
