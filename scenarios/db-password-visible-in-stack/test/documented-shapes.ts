/**
 * Documented shapes of AWS's responses (CloudFormation, RDS, Lambda, IAM,
 * Secrets Manager and Systems Manager API references) for this scenario's
 * lab in a real account, not recordings. aws-documented-shapes.test.ts
 * grades them; the grader-policy test (test/class/grader-policy.test.ts)
 * records the calls grading makes on `documentedShapes`, which include a
 * fixed lab whose password is in a secret: the reads a fixed lab sends the
 * checker down (DescribeSecret, GetResourcePolicy, ListSecretVersionIds,
 * GetSecretValue) are ones the armed lab on moto never shows.
 */
import type { ScenarioContext } from '../../../lib/scenario/types';
import { AWS_TARGET, stubbedClients, type Respond } from '../../../test/support/stub-clients';
import type { DocumentedShapes } from '../../../test/support/documented-shapes';
import { EXPOSED_PASSWORD, VARIANTS } from '../lab';

export const ACCOUNT = '111122223333';
const STACK = 'ana-db-password-visible-in-stack';
const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/${STACK}/6a1f0d30-1111-11ef-9c5e-0a1b2c3d4e5f`;
const DB = `${STACK}-orders-db`;
const FN = `${STACK}-orders-api`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/${STACK}-orders-api`;
export const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:orders/db-Ab12Cd`;
export const MANAGED_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:rds!db-3f2a9c1e-7d4b-4e8a-9b1c-2d3e4f5a6b7c-Xy9Zw8`;
export const NEW_PASSWORD = 'v9Qe2-new-password-from-secrets';
const RECORD = JSON.stringify({ stackId: STACK_ID, dbiResourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY2' });

export interface World {
  template: object;
  parameters?: { ParameterKey: string; ParameterValue: string }[];
  env: Record<string, string>;
  policies?: Record<string, object>;
  events?: { LogicalResourceId: string; ResourceStatus: string; ResourceProperties?: string; Timestamp: Date }[];
  masterUserSecret?: object;
}

/** The secret values read in clear, as `<id>@<version>`, since the last world was made. */
export const readsInClear: string[] = [];

/** Answers every call the checker makes on the world `w`, as AWS documents each response. */
export function respondFor(w: World): Respond {
  return (command, input) => {
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
  };
}

/** A lab context whose clients answer from the world `w`. */
export function context(w: World, variant: string = VARIANTS.plain): ScenarioContext {
  readsInClear.length = 0;
  const clients = stubbedClients(AWS_TARGET, respondFor(w));
  return {
    scenarioId: 'db-password-visible-in-stack',
    stackName: STACK,
    learner: 'ana',
    variant,
    target: AWS_TARGET,
    clients,
    progress: () => undefined,
  };
}

export const ARMED_TEMPLATE = (noEcho: boolean) => ({
  Parameters: { DbPassword: { Type: 'String', Default: EXPOSED_PASSWORD, NoEcho: noEcho } },
  Resources: {
    OrdersDb: { Type: 'AWS::RDS::DBInstance', Properties: { MasterUsername: 'orders_admin', MasterUserPassword: { Ref: 'DbPassword' } } },
    OrdersApi: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { DB_PASSWORD: { Ref: 'DbPassword' } } } } },
  },
});

export const READ_ONE_SECRET = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN }],
};

export const FIXED_TEMPLATE = {
  Resources: {
    OrdersDb: {
      Type: 'AWS::RDS::DBInstance',
      Properties: { MasterUsername: 'orders_admin', MasterUserPassword: `{{resolve:secretsmanager:${SECRET_ARN}:SecretString:password}}` },
    },
    OrdersApi: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { DB_SECRET_ID: SECRET_ARN } } } },
  },
};

/** Per variant: the armed lab as AWS shows it, and the lab fixed with a secret referenced in place. */
export const documentedShapes: DocumentedShapes = Object.fromEntries(
  [VARIANTS.plain, VARIANTS.noEcho].map((variant) => {
    const noEcho = variant === VARIANTS.noEcho;
    return [
      variant,
      [
        {
          name: 'armed',
          respond: respondFor({
            template: ARMED_TEMPLATE(noEcho),
            parameters: [{ ParameterKey: 'DbPassword', ParameterValue: noEcho ? '****' : EXPOSED_PASSWORD }],
            env: { DB_PASSWORD: EXPOSED_PASSWORD },
          }),
        },
        {
          name: 'fixed: the password in a Secrets Manager secret, referenced by the DB and read by the function',
          respond: respondFor({
            template: FIXED_TEMPLATE,
            env: { DB_SECRET_ID: SECRET_ARN },
            policies: { ReadDbSecret: READ_ONE_SECRET },
            events: [
              {
                LogicalResourceId: 'OrdersDb',
                ResourceStatus: 'UPDATE_COMPLETE',
                ResourceProperties: JSON.stringify({
                  MasterUserPassword: `{{resolve:secretsmanager:${SECRET_ARN}:SecretString:password}}`,
                }),
                Timestamp: new Date('2026-12-01T09:05:00Z'),
              },
            ],
          }),
        },
      ],
    ];
  }),
);
