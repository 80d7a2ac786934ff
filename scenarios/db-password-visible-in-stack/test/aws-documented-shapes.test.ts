/**
 * What only real AWS shows, against documented shapes of its responses (not
 * recordings): DescribeStacks masks a NoEcho parameter as `****`; stack
 * events carry ResourceProperties; DescribeDBInstances reports the
 * MasterUserSecret of an RDS-managed password. Each case also proves which
 * secret values the checker reads in clear: none for an RDS-managed secret,
 * one version for a referenced one. The world's answers are in
 * documented-shapes.ts.
 */
import { runCheck } from '../../../checkers/runner';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { criterion, failing } from '../../../test/support/report';
import { AWS_TARGET, stubbedClients } from '../../../test/support/stub-clients';
import scenario from '..';
import { EXPOSED_PASSWORD, VARIANTS } from '../lab';
import {
  ARMED_TEMPLATE,
  context,
  FIXED_TEMPLATE,
  MANAGED_ARN,
  NEW_PASSWORD,
  READ_ONE_SECRET,
  readsInClear,
  SECRET_ARN,
  ACCOUNT,
  documentedShapes,
} from './documented-shapes';

const check = (ctx: ScenarioContext) =>
  runCheck({ scenario: scenario.id, target: 'aws', variant: ctx.variant, gather: () => scenario.gather(ctx), criteria: scenario.criteria });

test('NoEcho on AWS: DescribeStacks shows ****, so the parameters pass, while GetTemplate still shows the Default', async () => {
  const report = await check(
    context(
      {
        template: ARMED_TEMPLATE(true),
        parameters: [{ ParameterKey: 'DbPassword', ParameterValue: '****' }],
        env: { DB_PASSWORD: EXPOSED_PASSWORD },
      },
      VARIANTS.noEcho,
    ),
  );
  expect(criterion(report, 'password-not-in-stack-parameters').status).toBe('pass');
  expect(failing(report)).toEqual(
    expect.arrayContaining([
      'password-not-in-stack-template',
      'password-not-in-function-environment',
      'database-password-from-secret-store',
    ]),
  );
  // The parameter is masked, but the function's environment hands it on whole: the value shown there is the exposed one.
  expect(criterion(report, 'exposed-password-rotated').message).toMatch(/still takes the exposed password/);
});

test('NoEcho on AWS, handed on nowhere the checker can read: the Default is not assumed to be what was passed', async () => {
  const template = ARMED_TEMPLATE(true);
  template.Resources.OrdersApi.Properties.Environment.Variables = {} as never;
  const report = await check(
    context({ template, parameters: [{ ParameterKey: 'DbPassword', ParameterValue: '****' }], env: {} }, VARIANTS.noEcho),
  );
  expect(criterion(report, 'exposed-password-rotated').message).toMatch(/Cannot tell which password .* NoEcho/);
});

test('a secret reference, updated in place: fixed; the exposed password in earlier events is history, and one secret version is read in clear', async () => {
  const events = [
    {
      LogicalResourceId: 'OrdersDb',
      ResourceStatus: 'CREATE_COMPLETE',
      ResourceProperties: JSON.stringify({ MasterUserPassword: EXPOSED_PASSWORD }),
      Timestamp: new Date('2026-11-30T08:00:00Z'),
    },
    {
      LogicalResourceId: 'OrdersDb',
      ResourceStatus: 'UPDATE_COMPLETE',
      ResourceProperties: JSON.stringify({ MasterUserPassword: `{{resolve:secretsmanager:${SECRET_ARN}:SecretString:password}}` }),
      Timestamp: new Date('2026-12-01T09:05:00Z'),
    },
  ];
  const report = await check(
    context({ template: FIXED_TEMPLATE, env: { DB_SECRET_ID: SECRET_ARN }, policies: { ReadDbSecret: READ_ONE_SECRET }, events }),
  );
  expect(failing(report)).toEqual([]);
  expect(criterion(report, 'password-not-in-stack-events').message).toMatch(/1 earlier event\(s\) keep the exposed one/);
  expect(readsInClear).toEqual([`${SECRET_ARN}@v-new`]);
});

test('an event whose ResourceProperties show the current password fails the events criterion, naming the event, never the value', async () => {
  const events = [
    {
      LogicalResourceId: 'OrdersDb',
      ResourceStatus: 'UPDATE_COMPLETE',
      ResourceProperties: JSON.stringify({ MasterUserPassword: NEW_PASSWORD }),
      Timestamp: new Date('2026-12-01T09:05:00Z'),
    },
  ];
  const report = await check(
    context({ template: FIXED_TEMPLATE, env: { DB_SECRET_ID: SECRET_ARN }, policies: { ReadDbSecret: READ_ONE_SECRET }, events }),
  );
  expect(failing(report)).toEqual(['password-not-in-stack-events']);
  const message = criterion(report, 'password-not-in-stack-events').message;
  expect(message).toMatch(/OrdersDb-0 \(OrdersDb UPDATE_COMPLETE\)/);
  expect(message).not.toContain(NEW_PASSWORD);
});

test('an RDS-managed password (MasterUserSecret in DescribeDBInstances): fixed, and no secret value is read at all', async () => {
  const template = {
    Resources: {
      OrdersDb: { Type: 'AWS::RDS::DBInstance', Properties: { MasterUsername: 'orders_admin', ManageMasterUserPassword: true } },
      OrdersApi: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { DB_SECRET_ID: MANAGED_ARN } } } },
    },
  };
  const report = await check(
    context({
      template,
      env: { DB_SECRET_ID: MANAGED_ARN },
      policies: { ReadDbSecret: { ...READ_ONE_SECRET, Statement: [{ ...READ_ONE_SECRET.Statement[0], Resource: MANAGED_ARN }] } },
      masterUserSecret: {
        SecretArn: MANAGED_ARN,
        SecretStatus: 'active',
        KmsKeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0a1b2c3d-1111-2222-3333-444455556666`,
      },
      events: [{ LogicalResourceId: 'OrdersDb', ResourceStatus: 'UPDATE_COMPLETE', Timestamp: new Date('2026-12-01T09:05:00Z') }],
    }),
  );
  expect(failing(report)).toEqual([]);
  expect(criterion(report, 'secret-rotation-enabled')).toMatchObject({ status: 'pass', kind: 'advice' });
  expect(readsInClear).toEqual([]);
});

test.each(Object.entries(documentedShapes))(
  'the documented states the grader policy is recorded on grade as named (%s)',
  async (variant, states) => {
    const verdicts: Record<string, string[]> = {};
    for (const state of states) {
      const clients = stubbedClients(AWS_TARGET, state.respond);
      const ctx: ScenarioContext = { ...context({ template: {}, env: {} }, variant), clients };
      verdicts[state.name] = failing(await check(ctx));
    }
    expect(Object.keys(verdicts)).toEqual(['armed', expect.stringMatching(/^fixed: /)]);
    const [armed, fixed] = Object.values(verdicts);
    expect(armed).toEqual(expect.arrayContaining(['password-not-in-stack-template', 'database-password-from-secret-store']));
    expect(fixed).toEqual([]);
  },
);
