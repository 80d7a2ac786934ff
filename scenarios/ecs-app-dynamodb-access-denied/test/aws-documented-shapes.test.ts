/**
 * Real-AWS behaviour against documented shapes of AWS's output: gather follows the service's live task definition whether
 * DescribeServices names it by ARN or as family:revision, the deployment
 * criterion reads ECS's deployments, and status shows the app's own log line.
 */
import type { Deployment, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { stubbedClients } from '../../../test/support/stub-clients';
import { runCheck } from '../../../checkers/runner';
import scenario from '..';
import { gatherOrdersApp, OrdersAppSnapshot } from '../gather';
import { derivedSymptom, logSymptom } from '../symptom';
import { deploymentCompletedOnLiveRevision } from '../criteria/deployment-completed-on-live-revision';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const STACK = 'ecs-app-dynamodb-access-denied';
const FAMILY = `${STACK}-app`;
const TD_ARN = (rev: number) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${FAMILY}:${rev}`;
const ROLE_ARN = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${STACK}-orders`;
const TASK_ID = '0f3e9a41c2b84d0e9b7a5c1d2e3f4a5b';
const EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';
const enc = (doc: object) => encodeURIComponent(JSON.stringify(doc));
const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

function taskDefinition(rev: number, taskRole: string): TaskDefinition {
  return {
    taskDefinitionArn: TD_ARN(rev),
    family: FAMILY,
    revision: rev,
    status: 'ACTIVE',
    taskRoleArn: ROLE_ARN(taskRole),
    executionRoleArn: ROLE_ARN(`${STACK}-execution`),
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'app',
        image: 'public.ecr.aws/aws-cli/aws-cli:latest',
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': `/breakfix/${STACK}/orders-app`, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'orders-app' },
        },
      },
    ],
  };
}

const REVISIONS: Record<number, TaskDefinition> = { 1: taskDefinition(1, `${STACK}-task`), 2: taskDefinition(2, `${STACK}-orders-reader`) };

/** Role name -> [inline policies, attached managed policy ARNs]. */
const ROLES: Record<string, { inline: Record<string, object>; attached: string[] }> = {
  [`${STACK}-task`]: { inline: {}, attached: [] },
  [`${STACK}-orders-reader`]: {
    inline: {
      ReadOrders: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE_ARN }],
      },
    },
    attached: [],
  },
  [`${STACK}-execution`]: {
    inline: {
      OrdersTableRead: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'ReadOrders', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE_ARN }],
      },
    },
    attached: [EXECUTION_POLICY_ARN],
  },
};
const EXECUTION_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'ecr:GetAuthorizationToken',
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchGetImage',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ],
      Resource: '*',
    },
  ],
};

function deployment(id: string, status: string, rev: number, rolloutState: string, running: number, reason?: string): Deployment {
  return {
    id,
    status,
    taskDefinition: TD_ARN(rev),
    desiredCount: 1,
    pendingCount: 0,
    runningCount: running,
    launchType: 'FARGATE',
    rolloutState: rolloutState as Deployment['rolloutState'],
    rolloutStateReason: reason,
  };
}

function service(taskDefinitionRef: string, deployments: Deployment[], running = 1): Service {
  return {
    serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${STACK}-cluster/${FAMILY}`,
    serviceName: FAMILY,
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${STACK}-cluster`,
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: running,
    pendingCount: 0,
    launchType: 'FARGATE',
    taskDefinition: taskDefinitionRef,
    deployments,
  };
}

const notFound = (name: string, message: string) => Object.assign(new Error(message), { name });

/** Real SDK clients that answer each command with a documented shape of AWS's response. */
function documentedContext(svc: Service): ScenarioContext {
  const respond = async (command: string, i: any): Promise<unknown> => {
    switch (command) {
      case 'ListStackResourcesCommand':
        return {
          StackResourceSummaries: [
            { LogicalResourceId: 'OrdersTable1A2B3C4D', ResourceType: 'AWS::DynamoDB::Table', PhysicalResourceId: `${STACK}-orders` },
            { LogicalResourceId: 'ClusterEB0386A7', ResourceType: 'AWS::ECS::Cluster', PhysicalResourceId: `${STACK}-cluster` },
            { LogicalResourceId: 'AppServiceA1B2C3D4', ResourceType: 'AWS::ECS::Service', PhysicalResourceId: svc.serviceArn },
          ],
        };
      case 'DescribeServicesCommand':
        return { services: [svc], failures: [] };
      case 'DescribeTableCommand':
        return { Table: { TableName: i.TableName, TableArn: TABLE_ARN, TableStatus: 'ACTIVE' } };
      case 'GetResourcePolicyCommand':
        throw notFound('PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${i.ResourceArn}`);
      case 'ListTagsOfResourceCommand':
        return { Tags: [] };
      case 'ListParentsCommand':
        // Organizations API Reference: an account in no organization answers every call with this error.
        throw notFound('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
      case 'GetCallerIdentityCommand':
        return { Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/learner`, UserId: 'AROAEXAMPLE:learner' };
      case 'ListTasksCommand':
        return { taskArns: [`arn:aws:ecs:${REGION}:${ACCOUNT}:task/${STACK}-cluster/${TASK_ID}`] };
      case 'DescribeTaskDefinitionCommand': {
        const ref = String(i.taskDefinition).split('/').pop()!;
        const [, rev] = ref.split(':');
        const td = rev ? REVISIONS[Number(rev)] : REVISIONS[Math.max(...Object.keys(REVISIONS).map(Number))];
        if (!td) throw notFound('ClientException', 'Unable to describe task definition.');
        return { taskDefinition: td };
      }
      case 'GetAccountAuthorizationDetailsCommand':
        // IAM API Reference, GetAccountAuthorizationDetails: RoleDetailList with URL-encoded documents; with the
        // LocalManagedPolicy filter, Policies holds customer managed policies only (this account has none).
        expect(i.Filter).toEqual(['Role', 'LocalManagedPolicy']);
        return {
          RoleDetailList: Object.entries(ROLES).map(([name, r]) => ({
            RoleName: name,
            Arn: ROLE_ARN(name),
            Path: '/',
            AssumeRolePolicyDocument: enc(TRUST),
            RolePolicyList: Object.entries(r.inline).map(([PolicyName, doc]) => ({ PolicyName, PolicyDocument: enc(doc) })),
            AttachedManagedPolicies: r.attached.map((arn) => ({ PolicyArn: arn, PolicyName: arn.split('/').pop() })),
            Tags: [],
          })),
          Policies: [],
          UserDetailList: [],
          GroupDetailList: [],
          IsTruncated: false,
        };
      case 'GetPolicyCommand':
        return { Policy: { PolicyName: 'AmazonECSTaskExecutionRolePolicy', Arn: i.PolicyArn, DefaultVersionId: 'v1' } };
      case 'GetPolicyVersionCommand':
        return { PolicyVersion: { VersionId: 'v1', IsDefaultVersion: true, Document: enc(EXECUTION_POLICY) } };
      default:
        throw new Error(`the documented world has no response for ${command}`);
    }
  };
  const target = { kind: 'aws', region: REGION } as const;
  return {
    scenarioId: scenario.id,
    stackName: STACK,
    variant: 'task-role-without-dynamodb',
    target,
    clients: stubbedClients(target, respond),
    progress: () => undefined,
  };
}

const check = (s: OrdersAppSnapshot) =>
  runCheck({ scenario: scenario.id, target: 'aws', gather: async () => s, criteria: scenario.criteria });
const completed = [deployment('ecs-svc/2222222222222222222', 'PRIMARY', 2, 'COMPLETED', 1)];

describe('the live task definition, as DescribeServices names it', () => {
  test.each([
    ['its ARN', TD_ARN(2)],
    ['family:revision', `${FAMILY}:2`],
  ])('by %s: gather describes revision 2 and the lab is fixed', async (_form, ref) => {
    const s = await gatherOrdersApp(documentedContext(service(ref, completed)));
    expect(s.live?.revision).toBe(2);
    expect(s.taskRole?.arn).toBe(ROLE_ARN(`${STACK}-orders-reader`));
    expect(s.sessionName).toBe(TASK_ID);
    const report = await check(s);
    expect(report.criteria.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual([]);
    expect(report.verdict).toBe('fixed');
    expect(report.criteria.find((c) => c.id === 'live-task-definition-has-own-task-role')!.message).toContain(
      `runs task definition ${FAMILY}:2`,
    );
  });

  test.each([
    ['its ARN', TD_ARN(1)],
    ['family:revision', `${FAMILY}:1`],
  ])('by %s on revision 1 while revision 2 exists: not fixed, and the message names both', async (_form, ref) => {
    const s = await gatherOrdersApp(
      documentedContext(service(ref, [deployment('ecs-svc/1111111111111111111', 'PRIMARY', 1, 'COMPLETED', 1)])),
    );
    expect(s.live?.revision).toBe(1);
    expect(s.latest?.revision).toBe(2);
    const report = await check(s);
    expect(report.criteria.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual(['task-role-can-read-orders']);
    const message = report.criteria.find((c) => c.id === 'task-role-can-read-orders')!.message;
    expect(message).toContain(`task definition ${FAMILY}:1 (the one ECS service ${FAMILY} runs) may not dynamodb:GetItem`);
    expect(message).toContain(
      `Revision ${FAMILY}:2 (task role ${ROLE_ARN(`${STACK}-orders-reader`)}) is registered, but ECS service ${FAMILY} does not run it.`,
    );
  });
});

describe('deployment-completed-on-live-revision on AWS', () => {
  const evaluate = async (svc: Service) => deploymentCompletedOnLiveRevision.evaluate(await gatherOrdersApp(documentedContext(svc)));

  test('passes once the only deployment, on the live revision, completed', async () => {
    const outcome = await evaluate(service(TD_ARN(2), completed));
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toBe(
      `Deployment ecs-svc/2222222222222222222 of ${FAMILY}:2 on ECS service ${FAMILY} completed and runs 1 of 1 tasks.`,
    );
  });

  test('fails while the new deployment is in progress and the old one still runs', async () => {
    const outcome = await evaluate(
      service(
        TD_ARN(2),
        [
          deployment(
            'ecs-svc/2222222222222222222',
            'PRIMARY',
            2,
            'IN_PROGRESS',
            0,
            'ECS deployment ecs-svc/2222222222222222222 in progress.',
          ),
          deployment('ecs-svc/1111111111111111111', 'ACTIVE', 1, 'COMPLETED', 1),
        ],
        1,
      ),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe(
      `Deployment ecs-svc/2222222222222222222 of ${FAMILY}:2 on ECS service ${FAMILY} is IN_PROGRESS: ECS deployment ecs-svc/2222222222222222222 in progress.`,
    );
  });

  test('fails when the circuit breaker failed the deployment', async () => {
    const outcome = await evaluate(
      service(
        TD_ARN(2),
        [
          deployment('ecs-svc/2222222222222222222', 'PRIMARY', 2, 'FAILED', 0, 'ECS deployment circuit breaker: tasks failed to start.'),
          deployment('ecs-svc/1111111111111111111', 'ACTIVE', 1, 'COMPLETED', 1),
        ],
        1,
      ),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toContain('is FAILED: ECS deployment circuit breaker: tasks failed to start.');
  });

  test('fails when a completed deployment still has an older one draining beside it', async () => {
    const outcome = await evaluate(
      service(TD_ARN(2), [...completed, deployment('ecs-svc/1111111111111111111', 'ACTIVE', 1, 'COMPLETED', 1)]),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toContain(`still has deployment ecs-svc/1111111111111111111 of ${FAMILY}:1 (ACTIVE, 1 running)`);
  });

  test('is not applicable on emulators', async () => {
    const s = await gatherOrdersApp(documentedContext(service(TD_ARN(2), completed)));
    expect((await deploymentCompletedOnLiveRevision.evaluate({ ...s, target: 'moto' })).status).toBe('not-applicable');
  });
});

describe('status on AWS', () => {
  const DENIED = `An error occurred (AccessDeniedException) when calling the GetItem operation: User: arn:aws:sts::${ACCOUNT}:assumed-role/${STACK}-task/${TASK_ID} is not authorized to perform: dynamodb:GetItem on resource: ${TABLE_ARN} because no identity-based policy allows the dynamodb:GetItem action`;
  // Shape of FilterLogEvents events from the awslogs driver (stream orders-app/app/<task-id>).
  const events = (lines: string[]): FilteredLogEvent[] =>
    lines.map((message, i) => ({
      logStreamName: `orders-app/app/${TASK_ID}`,
      timestamp: Date.parse('2026-11-22T10:00:00Z') + i * 30_000,
      ingestionTime: Date.parse('2026-11-22T10:00:01Z') + i * 30_000,
      message,
      eventId: String(i),
    }));

  test('shows the newest AccessDeniedException the app logged, labelled authentic', async () => {
    const s = await gatherOrdersApp(documentedContext(service(TD_ARN(1), completed)));
    const symptom = logSymptom(
      s,
      events(['orders-app: starting; table ecs-app-dynamodb-access-denied-orders', '', DENIED, DENIED.replace(/GetItem/g, 'Query')]),
    );
    expect(symptom.source).toBe('authentic');
    expect(symptom.summary).toBe(DENIED.replace(/GetItem/g, 'Query'));
    expect(symptom.derivation).toBeUndefined();
    expect(symptom.details.join('\n')).toContain(`log stream orders-app/app/${TASK_ID}`);
    expect(symptom.details.join('\n')).toContain('2 of the last 3 app lines are AccessDeniedException.');
  });

  test('shows the success line once the app can read', async () => {
    const s = await gatherOrdersApp(documentedContext(service(TD_ARN(2), completed)));
    const symptom = logSymptom(s, events([DENIED, 'SHIPPED', 'orders-app: GetItem O-5001 ok', '2', 'orders-app: Query C-1001 ok']));
    expect(symptom.summary).toBe('orders-app: Query C-1001 ok');
  });
});

/**
 * The decisions themselves, over documented policy shapes on a snapshot of the fixed lab (revision 2, task
 * role orders-reader): trust as ECS assumes the role, the route through a gateway endpoint, SCPs, and the
 * least-privilege proof over patterns. Each case changes one input and names the criterion that decides.
 */
describe('decisions with the full request context', () => {
  const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
  const reads = { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE_ARN };
  const ecsTrust = (Condition?: object) =>
    policy({
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole',
      ...(Condition ? { Condition } : {}),
    });
  let fixed: OrdersAppSnapshot;
  beforeAll(async () => {
    fixed = await gatherOrdersApp(documentedContext(service(TD_ARN(2), completed)));
  });
  const withTaskRole = (change: Partial<NonNullable<NonNullable<OrdersAppSnapshot['taskRole']>['policies']>>): OrdersAppSnapshot => ({
    ...fixed,
    taskRole: { ...fixed.taskRole!, policies: { ...fixed.taskRole!.policies!, ...change } },
  });
  const grantOnly = (...statements: object[]) =>
    withTaskRole({ identity: [{ name: 'ReadOrders', kind: 'inline policy', document: policy(...statements) }] });
  const failingOf = async (s: OrdersAppSnapshot) =>
    (await check(s)).criteria.filter((c) => c.status !== 'pass' && c.status !== 'not-applicable').map((c) => c.id);
  const messageOf = async (s: OrdersAppSnapshot, id: string) => (await check(s)).criteria.find((c) => c.id === id)!.message;

  test('the fixed lab passes every criterion', async () => {
    expect(await failingOf(fixed)).toEqual([]);
  });

  // ECS Developer Guide, "Amazon ECS task IAM role": the trust example with aws:SourceArn arn:aws:ecs:<region>:<account>:* and aws:SourceAccount.
  test("AWS's own confused-deputy trust example lets ECS assume the task role", async () => {
    const s = withTaskRole({
      trustPolicy: ecsTrust({
        ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${REGION}:${ACCOUNT}:*` },
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
      }),
    });
    expect(await failingOf(s)).toEqual([]);
  });

  test.each([
    ['another account in aws:SourceAccount', ecsTrust({ StringEquals: { 'aws:SourceAccount': '444455556666' } })],
    ['another Region in aws:SourceArn', ecsTrust({ ArnLike: { 'aws:SourceArn': `arn:aws:ecs:us-west-2:${ACCOUNT}:*` } })],
    [
      'ecs.amazonaws.com instead of ecs-tasks',
      policy({ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ],
    [
      'a Deny for ecs-tasks beside the Allow',
      policy(JSON.parse(ecsTrust()).Statement[0], { ...JSON.parse(ecsTrust()).Statement[0], Effect: 'Deny' }),
    ],
  ])('a trust policy with %s: ECS cannot assume the task role, and status says the task cannot start', async (_what, trustPolicy) => {
    const s = withTaskRole({ trustPolicy });
    expect(await failingOf(s)).toEqual(['task-role-can-read-orders']);
    expect(await messageOf(s, 'task-role-can-read-orders')).toContain('does not let ecs-tasks.amazonaws.com assume it');
    expect(derivedSymptom(s).summary).toMatch(/^ECS was unable to assume the role/);
  });

  const endpoint = (id: string, document?: string): OrdersAppSnapshot['paths'][number]['endpoint'] => ({
    id,
    vpcId: 'vpc-0a1b2c3d',
    policy: document ? { name: id, kind: 'VPC endpoint policy', document } : undefined,
  });
  const routed = (s: OrdersAppSnapshot, ...eps: (OrdersAppSnapshot['paths'][number]['endpoint'] | undefined)[]): OrdersAppSnapshot => ({
    ...s,
    paths: eps.map((e, i) => ({ subnetId: `subnet-${i}`, routeTableId: `rtb-${i}`, endpoint: e })),
  });

  test('a grant on aws:SourceVpce holds when every task subnet routes to that gateway endpoint, and fails where one does not', async () => {
    const s = grantOnly({ ...reads, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } });
    expect(await failingOf(routed(s, endpoint('vpce-1'), endpoint('vpce-1')))).toEqual([]);
    const half = routed(s, endpoint('vpce-1'), undefined);
    expect(await failingOf(half)).toEqual(['task-role-can-read-orders']);
    expect(await messageOf(half, 'task-role-can-read-orders')).toContain('over the internet (subnet subnet-1)');
  });

  test("the gateway endpoint's policy counts: one that allows only PutItem denies the reads", async () => {
    const s = routed(fixed, endpoint('vpce-1', policy({ Effect: 'Allow', Principal: '*', Action: 'dynamodb:PutItem', Resource: '*' })));
    expect(await failingOf(s)).toEqual(['task-role-can-read-orders']);
    expect(await messageOf(s, 'task-role-can-read-orders')).toContain('through gateway endpoint vpce-1');
  });

  test('an SCP that denies dynamodb:Query counts', async () => {
    const scps = [
      { target: 'r-root', policies: [{ name: 'FullAWSAccess', document: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }] },
      {
        target: ACCOUNT,
        policies: [
          { name: 'FullAWSAccess', document: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) },
          { name: 'NoQuery', document: policy({ Effect: 'Deny', Action: 'dynamodb:Query', Resource: '*' }) },
        ],
      },
    ];
    const s = { ...fixed, scps };
    expect(await failingOf(s)).toEqual(['task-role-can-read-orders']);
    expect(await messageOf(s, 'task-role-can-read-orders')).toMatch(/may not dynamodb:Query .*denied by service control policy NoQuery/);
  });

  test.each([
    [
      'table/<stack>-* (a prefix wildcard)',
      () => grantOnly({ ...reads, Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${STACK}-*` }),
    ],
    ['<table ARN>* (a trailing wildcard)', () => grantOnly({ ...reads, Resource: `${TABLE_ARN}*` })],
    [
      'NotResource on payments tables',
      () => grantOnly({ Effect: 'Allow', Action: reads.Action, NotResource: 'arn:aws:dynamodb:*:*:table/*-payments' }),
    ],
    [
      'UpdateTimeToLive beside the reads',
      () => grantOnly(reads, { Effect: 'Allow', Action: 'dynamodb:UpdateTimeToLive', Resource: TABLE_ARN }),
    ],
    [
      'dynamodb:* on * if aws:ResourceAccount is the own account',
      () =>
        grantOnly({
          Effect: 'Allow',
          Action: 'dynamodb:*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT } },
        }),
    ],
    [
      'dynamodb:* on * if aws:RequestedRegion is another Region',
      () =>
        grantOnly(reads, {
          Effect: 'Allow',
          Action: 'dynamodb:*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': 'us-west-2' } },
        }),
    ],
    ['logs:PutLogEvents on *', () => grantOnly(reads, { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' })],
  ])('%s: least privilege fails and names the statement', async (_what, snapshot) => {
    const s = snapshot();
    expect(await failingOf(s)).toEqual(['task-role-least-privilege']);
    expect(await messageOf(s, 'task-role-least-privilege')).toContain('inline policy ReadOrders statement');
  });

  test('a table resource policy that gives the task role DeleteTable fails least privilege, naming the table policy', async () => {
    const s = {
      ...fixed,
      tablePolicy: {
        name: `${STACK}-orders`,
        kind: 'table resource policy',
        document: policy({
          Effect: 'Allow',
          Principal: { AWS: ROLE_ARN(`${STACK}-orders-reader`) },
          Action: 'dynamodb:DeleteTable',
          Resource: TABLE_ARN,
        }),
      },
    };
    expect(await failingOf(s)).toEqual(['task-role-least-privilege']);
    expect(await messageOf(s, 'task-role-least-privilege')).toMatch(/dynamodb:DeleteTable .*table resource policy/);
  });

  test('reads narrowed with dynamodb:LeadingKeys, and the CDK grantReadData action set on the table, stay least privilege', async () => {
    const leading = grantOnly({ ...reads, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['C-1001'] } } });
    expect(await failingOf(leading)).toEqual([]);
    const cdkRead = grantOnly({
      Effect: 'Allow',
      Action: [
        'dynamodb:BatchGetItem',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:Query',
        'dynamodb:GetItem',
        'dynamodb:Scan',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DescribeTable',
      ],
      Resource: [TABLE_ARN],
    });
    expect(await failingOf(cdkRead)).toEqual([]);
  });
});
