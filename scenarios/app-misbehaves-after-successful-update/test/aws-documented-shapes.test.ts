/**
 * The checker against documented shapes of AWS's responses (not recordings):
 * DescribeStacks with DriftInformation (StackDriftInformation), GetTemplate's
 * JSON body, GetFunctionConfiguration with the LastUpdateStatus fields AWS
 * returns and ListFunctions without them (its entries leave State and
 * LastUpdateStatus out, per the ListFunctions API reference), GetParameter,
 * and an AccessDeniedException on a parameter read, which must never read
 * as "the parameter is missing".
 */
import { SSMServiceException } from '@aws-sdk/client-ssm';
import { runCheck } from '../../../checkers/runner';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { AWS_TARGET, stubbedClients } from '../../../test/support/stub-clients';
import { criterion, failing } from '../../../test/support/report';
import scenario from '..';
import { ORDERS, orderItem } from '../lab';

const STACK = 'ana-app-misbehaves-after-successful-update';
const ACCOUNT = '111122223333';
const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/${STACK}/5c1e2f30-1a2b-11ef-9f3c-0a1b2c3d4e5f`;
const WRITE_MODE = `/${STACK}/orders/write-mode`;
const CLIENT_TIMEOUT = `/${STACK}/payments/client-timeout-ms`;
const FUNCTION = `${STACK}-orders-api`;
const TABLE = `${STACK}-orders`;

/** A small template in the JSON GetTemplate returns: the two parameters and the table (the function's drift is the engine's own tests'). */
const TEMPLATE = {
  Resources: {
    OrdersWriteModeParameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: WRITE_MODE, Type: 'String', Value: 'read-write' } },
    PaymentClientTimeoutParameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: CLIENT_TIMEOUT, Type: 'String', Value: '2000' } },
  },
};

interface World {
  readonly params: Record<string, string | Error>;
  readonly timeout: number;
  readonly drift?: object;
  /** GetFunctionConcurrency's ReservedConcurrentExecutions; none reserved by default. */
  readonly reserved?: number;
  /** The execution role's trust policy principal service. @default lambda.amazonaws.com */
  readonly trusted?: string;
  /** The table's resource policy (GetResourcePolicy); none by default (PolicyNotFoundException). */
  readonly tablePolicy?: object;
}

const ROLE = `${STACK}-OrdersApiServiceRole`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/${TABLE}`;
const PARAMETER_ARNS = [WRITE_MODE, CLIENT_TIMEOUT].map((n) => `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter${n}`);
/** The grants CDK's grantReadWriteData and grantRead write, as GetRolePolicy returns them (URL-encoded). */
const ROLE_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Resource: [TABLE_ARN],
    },
    { Effect: 'Allow', Action: ['ssm:DescribeParameters', 'ssm:GetParameter', 'ssm:GetParameters'], Resource: PARAMETER_ARNS },
  ],
};

function ssmError(name: string, message: string): SSMServiceException {
  return new SSMServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
}

/** The function's configuration as GetFunctionConfiguration returns it. */
function functionConfiguration(world: World) {
  return {
    FunctionName: FUNCTION,
    FunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${FUNCTION}`,
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Timeout: world.timeout,
    MemorySize: 256,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    Role: ROLE_ARN,
    Environment: {
      Variables: {
        TABLE_NAME: TABLE,
        WRITE_MODE_PARAMETER: WRITE_MODE,
        PAYMENT_TIMEOUT_PARAMETER: CLIENT_TIMEOUT,
        LOG_LEVEL: 'info',
      },
    },
  };
}

function context(world: World): ScenarioContext {
  const clients = stubbedClients(AWS_TARGET, (command, input) => {
    switch (command) {
      case 'DescribeStacksCommand':
        return {
          Stacks: [
            {
              StackName: STACK,
              StackId: STACK_ID,
              StackStatus: 'UPDATE_COMPLETE',
              CreationTime: new Date('2026-11-30T21:04:11Z'),
              LastUpdatedTime: new Date('2026-12-01T08:15:42Z'),
              ...(world.drift ? { DriftInformation: world.drift } : { DriftInformation: { StackDriftStatus: 'NOT_CHECKED' } }),
            },
          ],
        };
      case 'GetTemplateCommand':
        return { TemplateBody: JSON.stringify(TEMPLATE), StagesAvailable: ['Original', 'Processed'] };
      case 'ListStackResourcesCommand':
        return {
          StackResourceSummaries: [
            {
              LogicalResourceId: 'OrdersWriteModeParameter',
              PhysicalResourceId: WRITE_MODE,
              ResourceType: 'AWS::SSM::Parameter',
              ResourceStatus: 'CREATE_COMPLETE',
            },
            {
              LogicalResourceId: 'PaymentClientTimeoutParameter',
              PhysicalResourceId: CLIENT_TIMEOUT,
              ResourceType: 'AWS::SSM::Parameter',
              ResourceStatus: 'CREATE_COMPLETE',
            },
          ],
        };
      case 'GetParameterCommand': {
        const value = world.params[input.Name];
        if (value instanceof Error) throw value;
        if (value === undefined) throw ssmError('ParameterNotFound', '');
        return {
          Parameter: {
            Name: input.Name,
            Type: 'String',
            Value: value,
            Version: 3,
            DataType: 'text',
            ARN: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter${input.Name}`,
            LastModifiedDate: new Date('2026-12-01T02:31:09Z'),
          },
        };
      }
      case 'DescribeParametersCommand':
        return {
          Parameters: Object.keys(world.params)
            .filter((n) => (input.ParameterFilters ?? []).some((f: { Values: string[] }) => f.Values.includes(n)))
            .map((n) => ({ Name: n, Type: 'String', Tier: 'Standard', DataType: 'text', Version: 3 })),
        };
      case 'ListFunctionsCommand': {
        // ListFunctions gives a subset of FunctionConfiguration: no State, no LastUpdateStatus.
        const { State: _state, LastUpdateStatus: _status, ...listed } = functionConfiguration(world);
        return { Functions: [listed] };
      }
      case 'GetFunctionConfigurationCommand':
        return functionConfiguration(world);
      case 'GetFunctionConcurrencyCommand':
        return world.reserved === undefined ? {} : { ReservedConcurrentExecutions: world.reserved };
      case 'GetRoleCommand':
        return {
          Role: {
            Path: '/',
            RoleName: ROLE,
            RoleId: 'AROAEXAMPLEORDERSAPI1',
            Arn: ROLE_ARN,
            CreateDate: new Date('2026-11-30T21:04:30Z'),
            AssumeRolePolicyDocument: encodeURIComponent(
              JSON.stringify({
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Principal: { Service: world.trusted ?? 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
              }),
            ),
            MaxSessionDuration: 3600,
          },
        };
      case 'ListRolePoliciesCommand':
        return { PolicyNames: ['OrdersApiServiceRoleDefaultPolicy'], IsTruncated: false };
      case 'GetRolePolicyCommand':
        return { RoleName: ROLE, PolicyName: input.PolicyName, PolicyDocument: encodeURIComponent(JSON.stringify(ROLE_POLICY)) };
      case 'ListAttachedRolePoliciesCommand':
        return { AttachedPolicies: [], IsTruncated: false };
      case 'GetResourcePolicyCommand':
        if (!world.tablePolicy)
          throw Object.assign(new Error(`Resource-based policy not found for the provided ResourceArn: ${TABLE_ARN}`), {
            name: 'PolicyNotFoundException',
          });
        return { Policy: JSON.stringify(world.tablePolicy), RevisionId: '1733040000000' };
      case 'ListTagsOfResourceCommand':
        return { Tags: [{ Key: 'breakfix:managed', Value: 'true' }] };
      case 'ListTagsForResourceCommand':
        return { TagList: [{ Key: 'breakfix:managed', Value: 'true' }] };
      case 'ListParentsCommand':
        throw Object.assign(new Error('Your account is not a member of an organization.'), { name: 'AWSOrganizationsNotInUseException' });
      case 'BatchGetItemCommand':
        return { Responses: { [TABLE]: ORDERS.map(orderItem) }, UnprocessedKeys: {} };
      default:
        throw new Error(`the documented world has no answer for ${command}`);
    }
  });
  return {
    scenarioId: scenario.id,
    stackName: STACK,
    learner: 'ana',
    variant: 'checkout-times-out',
    armed: {
      scenario: scenario.id,
      learner: 'ana',
      variant: 'checkout-times-out',
      stackId: STACK_ID,
      creationTime: '2026-11-30T21:04:11.000Z',
      armedAt: '2026-11-30T21:09:00.000Z',
    },
    target: AWS_TARGET,
    clients,
    progress: () => undefined,
  };
}

const check = (ctx: ScenarioContext) =>
  runCheck({ scenario: scenario.id, target: 'aws', variant: ctx.variant, gather: () => scenario.gather(ctx), criteria: scenario.criteria });

test('armed on AWS: the parameter differs from the template, the function times out first; DRIFTED recorded is advice', async () => {
  const drift = { StackDriftStatus: 'DRIFTED', LastCheckTimestamp: new Date('2026-12-01T09:00:00Z') };
  const report = await check(context({ params: { [WRITE_MODE]: 'read-write', [CLIENT_TIMEOUT]: '12000' }, timeout: 5, drift }));
  expect(report.verdict).toBe('not-fixed');
  expect(failing(report)).toEqual(['resources-match-template', 'function-outlasts-payment-call']);
  expect(criterion(report, 'resources-match-template').message).toContain(
    'PaymentClientTimeoutParameter /Value is 12000; the template has 2000',
  );
  expect(criterion(report, 'drift-detection-recorded-in-sync')).toMatchObject({ status: 'fail', kind: 'advice' });
  expect(criterion(report, 'drift-detection-recorded-in-sync').message).toContain('2026-12-01T09:00:00.000Z) recorded DRIFTED');
});

test('template and live agree with values that work, and the last detection recorded IN_SYNC: fixed', async () => {
  const template = TEMPLATE.Resources.PaymentClientTimeoutParameter.Properties;
  template.Value = '12000';
  try {
    const drift = { StackDriftStatus: 'IN_SYNC', LastCheckTimestamp: new Date('2026-12-01T10:00:00Z') };
    const report = await check(context({ params: { [WRITE_MODE]: 'read-write', [CLIENT_TIMEOUT]: '12000' }, timeout: 20, drift }));
    expect(report.verdict).toBe('fixed');
    expect(criterion(report, 'drift-detection-recorded-in-sync').status).toBe('pass');
  } finally {
    template.Value = '2000';
  }
});

test('a refused parameter read is never read as "the parameter is missing": the gather fails and grading is not fixed', async () => {
  const denied = ssmError(
    'AccessDeniedException',
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/breakfix-grader/ana is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter${CLIENT_TIMEOUT} because no identity-based policy allows the ssm:GetParameter action`,
  );
  const report = await check(context({ params: { [WRITE_MODE]: 'read-write', [CLIENT_TIMEOUT]: denied }, timeout: 20 }));
  expect(report.verdict).toBe('not-fixed');
  expect(new Set(report.criteria.map((c) => c.status))).toEqual(new Set(['error']));
});

test('the release left an execution role Lambda cannot assume and concurrency 0: both named, each by its own criterion', async () => {
  const report = await check(
    context({
      params: { [WRITE_MODE]: 'read-write', [CLIENT_TIMEOUT]: '12000' },
      timeout: 20,
      trusted: 'ecs-tasks.amazonaws.com',
      reserved: 0,
    }),
  );
  expect(failing(report)).toEqual(expect.arrayContaining(['lambda-can-assume-function-role', 'function-reserved-concurrency-not-zero']));
  expect(criterion(report, 'lambda-can-assume-function-role').message).toContain(`lambda.amazonaws.com cannot assume ${ROLE_ARN}`);
  expect(criterion(report, 'function-reserved-concurrency-not-zero').message).toContain('ReservedConcurrentExecutions 0');
  expect(criterion(report, 'function-role-can-read-parameters').status).toBe('pass');
});

test("a table resource policy denying the role's PutItem: the write is refused by the table policy, the reads still allowed", async () => {
  const tablePolicy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'FreezeOrders', Effect: 'Deny', Principal: { AWS: ROLE_ARN }, Action: 'dynamodb:PutItem', Resource: TABLE_ARN }],
  };
  const report = await check(context({ params: { [WRITE_MODE]: 'read-write', [CLIENT_TIMEOUT]: '12000' }, timeout: 20, tablePolicy }));
  expect(criterion(report, 'function-role-can-write-orders')).toMatchObject({ status: 'fail' });
  expect(criterion(report, 'function-role-can-write-orders').message).toMatch(/may not dynamodb:PutItem .*FreezeOrders/);
  expect(criterion(report, 'function-role-can-read-parameters').message).toContain('OrdersApiServiceRoleDefaultPolicy');
  expect(criterion(report, 'lambda-can-assume-function-role').status).toBe('pass');
});
