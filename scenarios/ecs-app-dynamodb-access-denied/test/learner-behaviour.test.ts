/**
 * Learner-behaviour suite for ecs-app-dynamodb-access-denied, written as an
 * outside grader from the brief (README.md), scenario.json, guide 004 and AWS
 * documentation only: nothing here was read from the scenario's checker.
 *
 * The brief's goal, which every expectation below is measured against:
 *  - the app's reads of the orders table (its container runs `aws dynamodb
 *    get-item` and `aws dynamodb query` on one key of that table) are allowed;
 *  - they stay narrow: "the app only ever reads that one table";
 *  - ECS can still start the task and ship its logs.
 * Any reasonable way counts (CLI, console, an edited stack redeployed).
 *
 * Every case gets a fresh lab on one moto and is applied with the AWS CLI, as
 * a learner would. A case whose expectation today's checker does not share
 * fails: that is the finding, not a reason to change the expectation.
 *
 * Classes refer to issue 17: 1 request context, 2 resource policies,
 * 3 trust policies, 4 least privilege by sampling, 5 references parsed by hand.
 */
import { parse as parseYaml } from 'yaml';
import {
  ACCOUNT,
  REGION,
  VARIANTS,
  cli,
  deployFreshLab,
  destroyLab,
  gradeLab,
  regionListing,
  reinspectLab,
  resetLab,
  restoreLab,
  baselineOf,
  type Baseline,
  startGraderMoto,
  type Grade,
  type GraderMoto,
  type Lab,
} from './learner-harness';

jest.setTimeout(600_000);

// Public criterion IDs, as `breakfix check --json` prints them.
const OWN_TASK_ROLE = 'live-task-definition-has-own-task-role';
const CAN_READ = 'task-role-can-read-orders';
const LEAST_PRIVILEGE = 'task-role-least-privilege';
const EXEC_ROLE = 'execution-role-can-pull-and-log';

type Statement = Record<string, unknown>;

interface LearnerCase {
  readonly name: string;
  readonly classes: readonly number[];
  readonly expected: 'fixed' | 'not-fixed';
  /** For shortcuts: the check must fail at least one of these criteria. */
  readonly names?: readonly string[];
  apply(lab: Lab): Promise<void>;
}

// ---------------------------------------------------------------------------
// Learner actions (AWS CLI only)
// ---------------------------------------------------------------------------

const policy = (...statements: Statement[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** The grant the brief asks for: GetItem and Query on the orders table, nothing else. */
const readOrders = (lab: Lab, extra: Statement = {}): Statement => ({
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:Query'],
  Resource: lab.tableArn,
  ...extra,
});

async function putInline(lab: Lab, roleName: string, policyName: string, ...statements: Statement[]): Promise<void> {
  await cli(lab.endpoint, [
    'iam',
    'put-role-policy',
    '--role-name',
    roleName,
    '--policy-name',
    policyName,
    '--policy-document',
    policy(...statements),
  ]);
}

const onTaskRole = (lab: Lab, ...statements: Statement[]) => putInline(lab, lab.taskRole.name, 'OrdersRead', ...statements);

async function putTablePolicy(lab: Lab, ...statements: Statement[]): Promise<void> {
  await cli(lab.endpoint, ['dynamodb', 'put-resource-policy', '--resource-arn', lab.tableArn, '--policy', policy(...statements)]);
}

const ecsTasksTrust = (condition?: Statement) =>
  policy({
    Effect: 'Allow',
    Principal: { Service: 'ecs-tasks.amazonaws.com' },
    Action: 'sts:AssumeRole',
    ...(condition ? { Condition: condition } : {}),
  });

/** A new role named after the stack (so `destroy` may remove it), returned by ARN. */
async function createRole(lab: Lab, suffix: string, trust: string): Promise<string> {
  const out = await cli(lab.endpoint, [
    'iam',
    'create-role',
    '--role-name',
    `${lab.stackName}-${suffix}`,
    '--assume-role-policy-document',
    trust,
  ]);
  return out.Role.Arn;
}

/** Registers a new revision of the live task definition with another task role (null: none); returns its ARN. */
async function registerRevision(lab: Lab, taskRole: string | null): Promise<string> {
  const live = (await cli(lab.endpoint, ['ecs', 'describe-task-definition', '--task-definition', lab.taskDefinitionArn])).taskDefinition;
  const input: Record<string, unknown> = {};
  for (const key of [
    'family',
    'executionRoleArn',
    'networkMode',
    'containerDefinitions',
    'volumes',
    'placementConstraints',
    'requiresCompatibilities',
    'cpu',
    'memory',
  ]) {
    if (live[key] !== undefined) input[key] = live[key];
  }
  if (taskRole !== null) input.taskRoleArn = taskRole;
  const out = await cli(lab.endpoint, ['ecs', 'register-task-definition', '--cli-input-json', JSON.stringify(input)]);
  return out.taskDefinition.taskDefinitionArn;
}

async function deployRevision(lab: Lab, taskDefinition: string): Promise<void> {
  await cli(lab.endpoint, [
    'ecs',
    'update-service',
    '--cluster',
    lab.cluster,
    '--service',
    lab.service,
    '--task-definition',
    taskDefinition,
  ]);
}

/** A gateway endpoint for DynamoDB on the route tables of the task's subnets; returns its ID. */
async function dynamodbGatewayEndpoint(lab: Lab): Promise<string> {
  const out = await cli(lab.endpoint, [
    'ec2',
    'create-vpc-endpoint',
    '--vpc-id',
    lab.vpcId,
    '--vpc-endpoint-type',
    'Gateway',
    '--service-name',
    `com.amazonaws.${REGION}.dynamodb`,
    '--route-table-ids',
    ...lab.taskRouteTableIds,
  ]);
  return out.VpcEndpoint.VpcEndpointId;
}

/** "An edited stack redeployed": adds an AWS::IAM::Policy on the task role to the live template and updates the stack. */
async function editStackToGrantTaskRole(lab: Lab): Promise<void> {
  const resources: { LogicalResourceId: string; PhysicalResourceId: string; ResourceType: string }[] = (
    await cli(lab.endpoint, ['cloudformation', 'list-stack-resources', '--stack-name', lab.stackName])
  ).StackResourceSummaries;
  const logicalId = (type: string, physical: string) =>
    resources.find((r) => r.ResourceType === type && r.PhysicalResourceId === physical)!.LogicalResourceId;
  const body = (await cli(lab.endpoint, ['cloudformation', 'get-template', '--stack-name', lab.stackName])).TemplateBody;
  const template = typeof body === 'string' ? parseYaml(body) : body;
  template.Resources.OrdersReadPolicy = {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyName: 'OrdersRead',
      Roles: [{ Ref: logicalId('AWS::IAM::Role', lab.taskRole.name) }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:Query'],
            Resource: { 'Fn::GetAtt': [logicalId('AWS::DynamoDB::Table', lab.tableName), 'Arn'] },
          },
        ],
      },
    },
  };
  await cli(lab.endpoint, [
    'cloudformation',
    'update-stack',
    '--stack-name',
    lab.stackName,
    '--template-body',
    JSON.stringify(template),
    '--capabilities',
    'CAPABILITY_IAM',
    'CAPABILITY_NAMED_IAM',
  ]);
  for (let i = 0; i < 300; i++) {
    const status: string = (await cli(lab.endpoint, ['cloudformation', 'describe-stacks', '--stack-name', lab.stackName])).Stacks[0]
      .StackStatus;
    if (!status.endsWith('_IN_PROGRESS')) {
      if (status !== 'UPDATE_COMPLETE') throw new Error(`stack update ended in ${status}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('stack update did not finish');
}

// ---------------------------------------------------------------------------
// Valid remedies: the app's two reads work as the task role, nothing more is granted
// ---------------------------------------------------------------------------

const VALID: LearnerCase[] = [
  {
    // Brief + guide 004: the app's SDK uses the task role, so the read grant belongs there.
    name: 'inline GetItem+Query on the task role',
    classes: [],
    expected: 'fixed',
    apply: (lab) => onTaskRole(lab, readOrders(lab)),
  },
  {
    // Brief: the execution role never serves the app's calls; moving the grant keeps both roles narrow.
    name: 'move the grant: task role gets it, execution role loses its DynamoDB inline policy',
    classes: [],
    expected: 'fixed',
    apply: async (lab) => {
      await onTaskRole(lab, readOrders(lab));
      const names: string[] = (await cli(lab.endpoint, ['iam', 'list-role-policies', '--role-name', lab.executionRole.name])).PolicyNames;
      for (const name of names) {
        const doc = (await cli(lab.endpoint, ['iam', 'get-role-policy', '--role-name', lab.executionRole.name, '--policy-name', name]))
          .PolicyDocument;
        if (JSON.stringify(doc).includes('dynamodb:')) {
          await cli(lab.endpoint, ['iam', 'delete-role-policy', '--role-name', lab.executionRole.name, '--policy-name', name]);
        }
      }
    },
  },
  {
    // IAM docs (managed vs inline): a customer-managed policy attached to the role grants the same.
    name: 'customer-managed policy attached to the task role',
    classes: [],
    expected: 'fixed',
    apply: async (lab) => {
      const created = await cli(lab.endpoint, [
        'iam',
        'create-policy',
        '--policy-name',
        `${lab.stackName}-orders-read`,
        '--policy-document',
        policy(readOrders(lab)),
      ]);
      await cli(lab.endpoint, ['iam', 'attach-role-policy', '--role-name', lab.taskRole.name, '--policy-arn', created.Policy.Arn]);
    },
  },
  {
    // Brief: "an edited stack redeployed" counts; an AWS::IAM::Policy on the task role is what CDK's grantRead emits.
    name: 'edited stack redeployed: AWS::IAM::Policy on the task role via update-stack',
    classes: [],
    expected: 'fixed',
    apply: (lab) => editStackToGrantTaskRole(lab),
  },
  {
    // IAM condition keys, aws:PrincipalTag: for a role session it holds the role's tags (ABAC).
    name: 'grant conditioned on aws:PrincipalTag/team, tag put on the task role',
    classes: [1],
    expected: 'fixed',
    apply: async (lab) => {
      await cli(lab.endpoint, ['iam', 'tag-role', '--role-name', lab.taskRole.name, '--tags', 'Key=team,Value=orders']);
      await onTaskRole(lab, readOrders(lab, { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'orders' } } }));
    },
  },
  {
    // IAM policy variables table: for an assumed role aws:userid is "<RoleId>:<role session name>".
    name: 'grant conditioned on aws:userid = <task role ID>:*',
    classes: [1],
    expected: 'fixed',
    apply: (lab) => onTaskRole(lab, readOrders(lab, { Condition: { StringLike: { 'aws:userid': `${lab.taskRole.id}:*` } } })),
  },
  {
    // IAM condition keys, aws:PrincipalArn: for a role session it is the role's ARN, not the session's.
    name: 'grant conditioned on aws:PrincipalArn = task role ARN',
    classes: [1],
    expected: 'fixed',
    apply: (lab) => onTaskRole(lab, readOrders(lab, { Condition: { ArnEquals: { 'aws:PrincipalArn': lab.taskRole.arn } } })),
  },
  {
    // IAM condition keys: aws:PrincipalAccount and aws:ResourceAccount are both this account for the app's reads.
    name: 'grant conditioned on aws:PrincipalAccount and aws:ResourceAccount = own account',
    classes: [1],
    expected: 'fixed',
    apply: (lab) =>
      onTaskRole(
        lab,
        readOrders(lab, { Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT, 'aws:ResourceAccount': ACCOUNT } } }),
      ),
  },
  {
    // IAM condition keys, aws:RequestedRegion: the container calls us-east-1 (AWS_DEFAULT_REGION in its task definition).
    name: 'grant conditioned on aws:RequestedRegion = us-east-1',
    classes: [1],
    expected: 'fixed',
    apply: (lab) => onTaskRole(lab, readOrders(lab, { Condition: { StringEquals: { 'aws:RequestedRegion': REGION } } })),
  },
  {
    // VPC gateway endpoints for DynamoDB: the prefix-list route beats 0.0.0.0/0, so the reads carry aws:SourceVpce.
    name: 'DynamoDB gateway endpoint on the task subnets + grant conditioned on aws:SourceVpce',
    classes: [1],
    expected: 'fixed',
    apply: async (lab) => {
      const vpce = await dynamodbGatewayEndpoint(lab);
      await onTaskRole(lab, readOrders(lab, { Condition: { StringEquals: { 'aws:SourceVpce': vpce } } }));
    },
  },
  {
    // IAM condition keys: the AWS CLI signs over HTTPS (aws:SecureTransport true) and aws:CurrentTime is after 2024.
    name: 'grant conditioned on aws:SecureTransport = true and aws:CurrentTime after 2024-01-01',
    classes: [1],
    expected: 'fixed',
    apply: (lab) =>
      onTaskRole(
        lab,
        readOrders(lab, {
          Condition: { Bool: { 'aws:SecureTransport': 'true' }, DateGreaterThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' } },
        }),
      ),
  },
  {
    // DynamoDB fine-grained access control: dynamodb:LeadingKeys with ForAllValues; the app reads only customer C-1001.
    name: 'grant limited to partition key C-1001 with dynamodb:LeadingKeys',
    classes: [1],
    expected: 'fixed',
    apply: (lab) =>
      onTaskRole(lab, readOrders(lab, { Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['C-1001'] } } })),
  },
  {
    // DynamoDB docs (rbac-auth-iam-id-based-policies-DDB): same account, a table resource policy alone suffices.
    name: 'table resource policy grants the task role GetItem+Query (identity side untouched)',
    classes: [2],
    expected: 'fixed',
    apply: (lab) => putTablePolicy(lab, readOrders(lab, { Principal: { AWS: lab.taskRole.arn } })),
  },
  {
    // ECS task-iam-roles: trust ecs-tasks.amazonaws.com with aws:SourceAccount / aws:SourceArn (confused-deputy guard).
    name: 'new task role with confused-deputy trust conditions, new revision deployed by full ARN',
    classes: [3],
    expected: 'fixed',
    apply: async (lab) => {
      const role = await createRole(
        lab,
        'reader',
        ecsTasksTrust({
          StringEquals: { 'aws:SourceAccount': ACCOUNT },
          ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${REGION}:${ACCOUNT}:*` },
        }),
      );
      await putInline(lab, `${lab.stackName}-reader`, 'OrdersRead', readOrders(lab));
      await deployRevision(lab, await registerRevision(lab, role));
    },
  },
  {
    // RegisterTaskDefinition: taskRoleArn is "the short name or full ARN"; UpdateService with a bare family runs its latest ACTIVE revision.
    name: 'new task role given by short name, service updated with the bare family',
    classes: [5],
    expected: 'fixed',
    apply: async (lab) => {
      await createRole(lab, 'reader', ecsTasksTrust());
      await putInline(lab, `${lab.stackName}-reader`, 'OrdersRead', readOrders(lab));
      await registerRevision(lab, `${lab.stackName}-reader`);
      await deployRevision(lab, lab.family);
    },
  },
  {
    // UpdateService takes "family:revision"; what runs is the service's revision, not the newest one registered.
    name: 'fixed revision deployed as family:revision, a later undeployed draft revision registered',
    classes: [5],
    expected: 'fixed',
    apply: async (lab) => {
      const role = await createRole(lab, 'reader', ecsTasksTrust());
      await putInline(lab, `${lab.stackName}-reader`, 'OrdersRead', readOrders(lab));
      const fixed = await registerRevision(lab, role);
      await deployRevision(lab, `${lab.family}:${fixed.split(':').pop()}`);
      await registerRevision(lab, lab.executionRole.arn);
    },
  },
];

// ---------------------------------------------------------------------------
// Shortcuts: the app still fails, or the fix grants more than reading that one table
// ---------------------------------------------------------------------------

const SHORTCUTS: LearnerCase[] = [
  {
    // Brief: the app only reads; dynamodb:* on the table lets it write and delete the table.
    name: 'dynamodb:* on the orders table',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) => onTaskRole(lab, { Effect: 'Allow', Action: 'dynamodb:*', Resource: lab.tableArn }),
  },
  {
    // Brief: "that one table"; table/<stack>-* also matches every future table with the lab's prefix.
    name: 'GetItem+Query on table/<stack>-* (prefix wildcard)',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) => onTaskRole(lab, readOrders(lab, { Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${lab.stackName}-*` })),
  },
  {
    // IAM ARN matching: "<table ARN>*" also matches <table>-archive, <table>2, ... (any table whose name extends it).
    name: 'GetItem+Query on "<orders table ARN>*" (trailing wildcard)',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) => onTaskRole(lab, readOrders(lab, { Resource: `${lab.tableArn}*` })),
  },
  {
    // AmazonDynamoDBReadOnlyAccess: reads every table plus other services' read actions.
    name: 'AWS managed AmazonDynamoDBReadOnlyAccess on the task role',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) =>
      cli(lab.endpoint, [
        'iam',
        'attach-role-policy',
        '--role-name',
        lab.taskRole.name,
        '--policy-arn',
        'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess',
      ]),
  },
  {
    // BatchWriteItem API: its DeleteRequest removes items; a destructive action other than DeleteItem.
    name: 'reads plus dynamodb:BatchWriteItem on the table',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) => onTaskRole(lab, readOrders(lab), { Effect: 'Allow', Action: 'dynamodb:BatchWriteItem', Resource: lab.tableArn }),
  },
  {
    // UpdateTimeToLive API: once TTL is on, expired items are deleted (the table's "lifecycle rule").
    name: 'reads plus dynamodb:UpdateTimeToLive on the table',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) => onTaskRole(lab, readOrders(lab), { Effect: 'Allow', Action: 'dynamodb:UpdateTimeToLive', Resource: lab.tableArn }),
  },
  {
    // PutResourcePolicy: the role could grant itself (or anyone) anything on the table.
    name: 'reads plus dynamodb:PutResourcePolicy on the table',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) => onTaskRole(lab, readOrders(lab), { Effect: 'Allow', Action: 'dynamodb:PutResourcePolicy', Resource: lab.tableArn }),
  },
  {
    // aws:SecureTransport is always true for the SDK/CLI, so this is dynamodb:* on every table.
    name: 'dynamodb:* on * conditioned on aws:SecureTransport = true',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) =>
      onTaskRole(lab, { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
  },
  {
    // aws:ResourceAccount = own account holds for every table in the account.
    name: 'dynamodb:* on * conditioned on aws:ResourceAccount = own account',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) =>
      onTaskRole(lab, {
        Effect: 'Allow',
        Action: 'dynamodb:*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT } },
      }),
  },
  {
    // IAM NotAction: Allow + NotAction grants every other action, PutItem/UpdateItem/BatchWriteItem included.
    name: 'Allow NotAction [DeleteTable, DeleteItem] on the orders table',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) =>
      onTaskRole(lab, { Effect: 'Allow', NotAction: ['dynamodb:DeleteTable', 'dynamodb:DeleteItem'], Resource: lab.tableArn }),
  },
  {
    // IAM NotResource: Allow + NotResource grants the reads on every table except payments tables.
    name: 'Allow GetItem+Query with NotResource table/*-payments',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) =>
      onTaskRole(lab, {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        NotResource: 'arn:aws:dynamodb:*:*:table/*-payments',
      }),
  },
  {
    // DynamoDB resource policies grant as well as identity policies (same account): dynamodb:* there over-grants the role.
    name: 'identity grant plus a table resource policy giving the task role dynamodb:*',
    classes: [2, 4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: async (lab) => {
      await onTaskRole(lab, readOrders(lab));
      await putTablePolicy(lab, { Effect: 'Allow', Principal: { AWS: lab.taskRole.arn }, Action: 'dynamodb:*', Resource: lab.tableArn });
    },
  },
  {
    // Reads plus logs:* for the app: the brief says the app only reads the table; logs are the execution role's job.
    name: 'reads plus CloudWatch Logs write actions on the task role',
    classes: [4],
    expected: 'not-fixed',
    names: [LEAST_PRIVILEGE],
    apply: (lab) =>
      onTaskRole(lab, readOrders(lab), { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }),
  },
  {
    // Guide 004: conflating the roles; the app would hold ECR pull and logs rights plus the table grant.
    name: 'new revision whose task role is the execution role, deployed',
    classes: [],
    expected: 'not-fixed',
    names: [OWN_TASK_ROLE],
    apply: async (lab) => deployRevision(lab, await registerRevision(lab, lab.executionRole.arn)),
  },
  {
    // ECS task-iam-roles: without a task role the container gets no credentials at all on Fargate.
    name: 'new revision without a task role, deployed',
    classes: [],
    expected: 'not-fixed',
    names: [OWN_TASK_ROLE],
    apply: async (lab) => deployRevision(lab, await registerRevision(lab, null)),
  },
  {
    // Brief: ECS must still start the task and ship logs; the execution role needs the managed execution policy's rights.
    name: 'task role fixed, execution role stripped of AmazonECSTaskExecutionRolePolicy and its inline policy',
    classes: [],
    expected: 'not-fixed',
    names: [EXEC_ROLE],
    apply: async (lab) => {
      await onTaskRole(lab, readOrders(lab));
      await cli(lab.endpoint, [
        'iam',
        'detach-role-policy',
        '--role-name',
        lab.executionRole.name,
        '--policy-arn',
        'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
      ]);
      const names: string[] = (await cli(lab.endpoint, ['iam', 'list-role-policies', '--role-name', lab.executionRole.name])).PolicyNames;
      for (const name of names) {
        await cli(lab.endpoint, ['iam', 'delete-role-policy', '--role-name', lab.executionRole.name, '--policy-name', name]);
      }
    },
  },
  {
    // ECS task-iam-roles: the task role must trust ecs-tasks.amazonaws.com; ecs.amazonaws.com cannot vend task credentials.
    // No public criterion is about trust; the app cannot act as the task role, so "may read" or "has own task role" must fail.
    name: 'task role granted, but its trust policy changed to ecs.amazonaws.com',
    classes: [3],
    expected: 'not-fixed',
    names: [CAN_READ, OWN_TASK_ROLE],
    apply: async (lab) => {
      await onTaskRole(lab, readOrders(lab));
      await cli(lab.endpoint, [
        'iam',
        'update-assume-role-policy',
        '--role-name',
        lab.taskRole.name,
        '--policy-document',
        policy({ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      ]);
    },
  },
  {
    // IAM aws:SourceAccount in a trust policy: ECS assumes the role for this account's tasks, so another account ID never matches.
    name: 'new task role whose trust requires aws:SourceAccount of another account, deployed',
    classes: [3],
    expected: 'not-fixed',
    names: [CAN_READ, OWN_TASK_ROLE],
    apply: async (lab) => {
      const role = await createRole(lab, 'reader', ecsTasksTrust({ StringEquals: { 'aws:SourceAccount': '111122223333' } }));
      await putInline(lab, `${lab.stackName}-reader`, 'OrdersRead', readOrders(lab));
      await deployRevision(lab, await registerRevision(lab, role));
    },
  },
  {
    // IAM condition keys: aws:SourceVpc is present only through a VPC endpoint; the lab's tasks reach DynamoDB over the internet gateway.
    name: 'grant conditioned on aws:SourceVpc = lab VPC, no endpoint created',
    classes: [1],
    expected: 'not-fixed',
    names: [CAN_READ],
    apply: (lab) => onTaskRole(lab, readOrders(lab, { Condition: { StringEquals: { 'aws:SourceVpc': lab.vpcId } } })),
  },
  {
    // IAM aws:PrincipalTag: absent when the role carries no such tag, so StringEquals fails.
    name: 'grant conditioned on aws:PrincipalTag/team, tag never put on the role',
    classes: [1],
    expected: 'not-fixed',
    names: [CAN_READ],
    apply: (lab) => onTaskRole(lab, readOrders(lab, { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'orders' } } })),
  },
  {
    // ECS: a registered revision changes nothing until the service runs it.
    name: 'fixed revision registered, service left on the old one',
    classes: [5],
    expected: 'not-fixed',
    names: [CAN_READ],
    apply: async (lab) => {
      const role = await createRole(lab, 'reader', ecsTasksTrust());
      await putInline(lab, `${lab.stackName}-reader`, 'OrdersRead', readOrders(lab));
      await registerRevision(lab, role);
    },
  },
  {
    // IAM permissions boundaries: the effective rights are the intersection; an S3-only boundary blocks the DynamoDB grant.
    name: 'grant on the task role capped by an S3-only permissions boundary',
    classes: [],
    expected: 'not-fixed',
    names: [CAN_READ],
    apply: async (lab) => {
      await onTaskRole(lab, readOrders(lab));
      await cli(lab.endpoint, [
        'iam',
        'put-role-permissions-boundary',
        '--role-name',
        lab.taskRole.name,
        '--permissions-boundary',
        'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      ]);
    },
  },
  {
    // IAM evaluation logic: an explicit Deny in the table's resource policy overrides the identity grant.
    name: 'grant on the task role, table resource policy denies it the reads',
    classes: [2],
    expected: 'not-fixed',
    names: [CAN_READ],
    apply: async (lab) => {
      await onTaskRole(lab, readOrders(lab));
      await putTablePolicy(lab, { ...readOrders(lab), Effect: 'Deny', Principal: { AWS: lab.taskRole.arn } });
    },
  },
  {
    // The container also runs `aws dynamodb query`; GetItem alone leaves every Query denied.
    name: 'GetItem only (Query forgotten)',
    classes: [],
    expected: 'not-fixed',
    names: [CAN_READ],
    apply: (lab) => onTaskRole(lab, readOrders(lab, { Action: 'dynamodb:GetItem' })),
  },
];

// ---------------------------------------------------------------------------

let moto: GraderMoto;
let seq = 0;
const nextLearner = () => `g${String(++seq).padStart(2, '0')}`;

beforeAll(async () => {
  moto = await startGraderMoto();
});

afterAll(async () => {
  await moto?.stop();
});

/** The criteria that failed or errored, with their messages: what a learner would read. */
function notPassing(g: Grade): string[] {
  return g.report.criteria.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => `${c.id} [${c.status}]: ${c.message}`);
}

describe.each(VARIANTS.map((v) => [v]))('variant %s', (variant) => {
  // One deployed lab per variant: each case starts from the armed lab (restoreLab undoes the previous case,
  // and the armed check proves it did), so a case's verdict never depends on another's leftovers.
  let lab: Lab;
  let base: Baseline;
  let regionBefore: string[];

  beforeAll(async () => {
    regionBefore = await regionListing(moto.endpoint);
    lab = await deployFreshLab(moto.endpoint, nextLearner(), variant);
    base = await baselineOf(lab);
  });

  async function fromArmedLab(): Promise<void> {
    await restoreLab(lab, base);
    const grade = await gradeLab(lab);
    expect({ verdict: grade.verdict, failing: grade.failing }).toEqual({ verdict: 'not-fixed', failing: [CAN_READ] });
  }

  test('the freshly deployed lab is not fixed', async () => {
    const grade = await gradeLab(lab);
    expect({ verdict: grade.verdict, failing: grade.failing }).toEqual({ verdict: 'not-fixed', failing: [CAN_READ] });
  });

  describe('valid remedies pass', () => {
    test.each<[string, LearnerCase]>(VALID.map((c) => [c.name, c]))('%s', async (_name, c) => {
      await fromArmedLab();
      await c.apply(lab);
      const grade = await gradeLab(lab);
      expect({ verdict: grade.verdict, notPassing: notPassing(grade) }).toEqual({ verdict: 'fixed', notPassing: [] });
    });
  });

  describe('shortcuts fail, naming the problem', () => {
    test.each<[string, LearnerCase]>(SHORTCUTS.map((c) => [c.name, c]))('%s', async (_name, c) => {
      await fromArmedLab();
      await c.apply(lab);
      const grade = await gradeLab(lab);
      const named = (c.names ?? []).some((id) => grade.failing.includes(id));
      // When the expected criterion is not among the failures, the diff shows what did fail instead.
      expect({ verdict: grade.verdict, namesTheProblem: named ? c.names : notPassing(grade) }).toEqual({
        verdict: 'not-fixed',
        namesTheProblem: c.names,
      });
    });
  });

  describe('reset re-arms and destroy leaves nothing', () => {
    // A valid remedy that leaves learner-made things behind: a role named after the stack and two revisions.
    const validRemedy = () => VALID.find((c) => c.name.startsWith('fixed revision deployed as family:revision'))!;

    test('reset after a valid remedy and a messy shortcut re-arms the lab, and the plain fix then passes', async () => {
      await fromArmedLab();
      await validRemedy().apply(lab);
      expect((await gradeLab(lab)).verdict).toBe('fixed');
      await makeAMess(lab);
      expect((await gradeLab(lab)).verdict).toBe('not-fixed');
      await resetLab(lab);
      lab = await reinspectLab(lab);
      expect((await gradeLab(lab)).verdict).toBe('not-fixed');
      // A re-armed lab must take the plain fix again: nothing the learner left may linger in what gets graded.
      await onTaskRole(lab, readOrders(lab));
      expect(notPassing(await gradeLab(lab))).toEqual([]);
    });

    test('destroy after a valid remedy and a messy shortcut leaves the region as it was', async () => {
      await validRemedy().apply(lab);
      await makeAMess(lab);
      await destroyLab(lab);
      expect(await regionListing(moto.endpoint)).toEqual(regionBefore);
    });
  });
});

/**
 * Everything a flailing learner might leave: a role ECS cannot assume holding a broad customer-managed policy,
 * a revision naming it by short name deployed by family, a table resource policy, a gateway endpoint in the
 * lab VPC and a permissions boundary on the lab's task role.
 */
async function makeAMess(lab: Lab): Promise<void> {
  await createRole(lab, 'flail', policy({ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }));
  const created = await cli(lab.endpoint, [
    'iam',
    'create-policy',
    '--policy-name',
    `${lab.stackName}-all-dynamodb`,
    '--policy-document',
    policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }),
  ]);
  await cli(lab.endpoint, ['iam', 'attach-role-policy', '--role-name', `${lab.stackName}-flail`, '--policy-arn', created.Policy.Arn]);
  await registerRevision(lab, `${lab.stackName}-flail`);
  await deployRevision(lab, lab.family);
  await putTablePolicy(lab, { Effect: 'Allow', Principal: { AWS: lab.taskRole.arn }, Action: 'dynamodb:*', Resource: lab.tableArn });
  await dynamodbGatewayEndpoint(lab);
  await cli(lab.endpoint, [
    'iam',
    'put-role-permissions-boundary',
    '--role-name',
    lab.taskRole.name,
    '--permissions-boundary',
    'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  ]);
}
