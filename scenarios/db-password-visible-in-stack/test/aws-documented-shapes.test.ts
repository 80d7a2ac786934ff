/**
 * What only real AWS shows, against documented shapes of its responses (not
 * recordings): DescribeStacks masks a NoEcho parameter as `****`; stack
 * events carry ResourceProperties; DescribeDBInstances reports the
 * MasterUserSecret of an RDS-managed password. Each case also proves which
 * secret values the checker reads in clear: none for an RDS-managed secret,
 * one version for a referenced one.
 */
import { runCheck } from '../../../checkers/runner';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { AWS_TARGET, stubbedClients } from '../../../test/support/stub-clients';
import { criterion, failing } from '../../../test/support/report';
import scenario from '..';
import { EXPOSED_PASSWORD, VARIANTS } from '../lab';

const ACCOUNT = '111122223333';
const STACK = 'ana-db-password-visible-in-stack';
const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/${STACK}/6a1f0d30-1111-11ef-9c5e-0a1b2c3d4e5f`;
const DB = `${STACK}-orders-db`;
const FN = `${STACK}-orders-api`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/${STACK}-orders-api`;
const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:orders/db-Ab12Cd`;
const MANAGED_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:rds!db-3f2a9c1e-7d4b-4e8a-9b1c-2d3e4f5a6b7c-Xy9Zw8`;
const NEW_PASSWORD = 'v9Qe2-new-password-from-secrets';
const RECORD = JSON.stringify({ stackId: STACK_ID, dbiResourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY2' });

interface World {
  template: object;
  parameters?: { ParameterKey: string; ParameterValue: string }[];
  env: Record<string, string>;
  policies?: Record<string, object>;
  events?: { LogicalResourceId: string; ResourceStatus: string; ResourceProperties?: string; Timestamp: Date }[];
  masterUserSecret?: object;
}

const readsInClear: string[] = [];

function context(w: World, variant: string = VARIANTS.plain): ScenarioContext {
  readsInClear.length = 0;
  const clients = stubbedClients(AWS_TARGET, (command, input) => {
    switch (command) {
      case 'DescribeStacksCommand':
        return {
          Stacks: [
            {
              StackName: STACK,
              StackId: STACK_ID,
              StackStatus: 'UPDATE_COMPLETE',
              CreationTime: new Date(),
              Parameters: w.parameters ?? [],
              Outputs: [],
              Tags: [],
            },
          ],
        };
      case 'GetTemplateCommand':
        return { TemplateBody: JSON.stringify(w.template), StagesAvailable: ['Original', 'Processed'] };
      case 'ListStackResourcesCommand':
        return {
          StackResourceSummaries: [
            {
              LogicalResourceId: 'OrdersDb',
              ResourceType: 'AWS::RDS::DBInstance',
              PhysicalResourceId: DB,
              ResourceStatus: 'UPDATE_COMPLETE',
            },
            {
              LogicalResourceId: 'OrdersApi',
              ResourceType: 'AWS::Lambda::Function',
              PhysicalResourceId: FN,
              ResourceStatus: 'UPDATE_COMPLETE',
            },
            {
              LogicalResourceId: 'OrdersApiRole',
              ResourceType: 'AWS::IAM::Role',
              PhysicalResourceId: `${STACK}-orders-api`,
              ResourceStatus: 'UPDATE_COMPLETE',
            },
          ],
        };
      case 'DescribeStackEventsCommand':
        return {
          StackEvents: (w.events ?? []).map((e, i) => ({
            StackId: STACK_ID,
            StackName: STACK,
            EventId: `${e.LogicalResourceId}-${i}`,
            PhysicalResourceId: DB,
            ResourceType: 'AWS::RDS::DBInstance',
            ...e,
          })),
        };
      case 'GetParameterCommand':
        if (input.Name === `/breakfix/${STACK}/deployed`)
          return { Parameter: { Name: input.Name, Type: 'String', Value: RECORD, Version: 1 } };
        throw Object.assign(new Error('not found'), { name: 'ParameterNotFound' });
      case 'DescribeParametersCommand':
        return { Parameters: [{ Name: `/breakfix/${STACK}/deployed`, Type: 'String' }] };
      case 'GetParametersCommand':
        return { Parameters: [{ Name: `/breakfix/${STACK}/deployed`, Type: 'String', Value: RECORD }], InvalidParameters: [] };
      case 'DescribeDBInstancesCommand':
        return {
          DBInstances: [
            {
              DBInstanceIdentifier: DB,
              DbiResourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY2',
              DBInstanceStatus: 'available',
              TagList: [],
              MasterUserSecret: w.masterUserSecret,
            },
          ],
        };
      case 'GetFunctionConfigurationCommand':
        return {
          FunctionName: FN,
          FunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${FN}`,
          Role: ROLE,
          Environment: { Variables: w.env },
        };
      case 'ListTagsCommand':
        return { Tags: {} };
      case 'GetRoleCommand':
        return {
          Role: {
            RoleName: `${STACK}-orders-api`,
            Arn: ROLE,
            RoleId: 'AROAEXAMPLEID12345678',
            Path: '/',
            CreateDate: new Date(),
            AssumeRolePolicyDocument: encodeURIComponent(
              '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
            ),
            Tags: [],
          },
        };
      case 'ListRolePoliciesCommand':
        return { PolicyNames: Object.keys(w.policies ?? {}), IsTruncated: false };
      case 'GetRolePolicyCommand':
        return {
          RoleName: input.RoleName,
          PolicyName: input.PolicyName,
          PolicyDocument: encodeURIComponent(JSON.stringify(w.policies![input.PolicyName])),
        };
      case 'ListAttachedRolePoliciesCommand':
        return { AttachedPolicies: [], IsTruncated: false };
      case 'DescribeSecretCommand': {
        const managed = input.SecretId === MANAGED_ARN;
        return managed
          ? {
              ARN: MANAGED_ARN,
              Name: MANAGED_ARN.split(':secret:')[1].slice(0, -7),
              OwningService: 'rds',
              RotationEnabled: true,
              LastRotatedDate: new Date('2026-12-01T10:00:00Z'),
            }
          : { ARN: SECRET_ARN, Name: 'orders/db', RotationEnabled: false };
      }
      case 'GetResourcePolicyCommand':
        return { ARN: input.SecretId, Name: 'orders/db' };
      case 'ListSecretVersionIdsCommand':
        return { Versions: [{ VersionId: 'v-new', VersionStages: ['AWSCURRENT'], CreatedDate: new Date('2026-12-01T09:00:00Z') }] };
      case 'GetSecretValueCommand':
        readsInClear.push(`${input.SecretId}@${input.VersionId ?? input.VersionStage ?? 'AWSCURRENT'}`);
        return {
          ARN: SECRET_ARN,
          Name: 'orders/db',
          VersionId: 'v-new',
          SecretString: JSON.stringify({ username: 'orders_admin', password: NEW_PASSWORD }),
          VersionStages: ['AWSCURRENT'],
        };
      default:
        throw new Error(`the documented world has no answer for ${command}`);
    }
  });
  return { scenarioId: scenario.id, stackName: STACK, learner: 'ana', variant, target: AWS_TARGET, clients, progress: () => undefined };
}

const check = (ctx: ScenarioContext) =>
  runCheck({ scenario: scenario.id, target: 'aws', variant: ctx.variant, gather: () => scenario.gather(ctx), criteria: scenario.criteria });

const ARMED_TEMPLATE = (noEcho: boolean) => ({
  Parameters: { DbPassword: { Type: 'String', Default: EXPOSED_PASSWORD, NoEcho: noEcho } },
  Resources: {
    OrdersDb: { Type: 'AWS::RDS::DBInstance', Properties: { MasterUsername: 'orders_admin', MasterUserPassword: { Ref: 'DbPassword' } } },
    OrdersApi: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { DB_PASSWORD: { Ref: 'DbPassword' } } } } },
  },
});

const READ_ONE_SECRET = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN }],
};

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
  // The parameter is masked and the Default cannot be assumed to be what was passed: the checker does not guess.
  expect(criterion(report, 'exposed-password-rotated').message).toMatch(/Cannot tell which password .* NoEcho/);
});

const FIXED_TEMPLATE = {
  Resources: {
    OrdersDb: {
      Type: 'AWS::RDS::DBInstance',
      Properties: { MasterUsername: 'orders_admin', MasterUserPassword: `{{resolve:secretsmanager:${SECRET_ARN}:SecretString:password}}` },
    },
    OrdersApi: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { DB_SECRET_ID: SECRET_ARN } } } },
  },
};

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
