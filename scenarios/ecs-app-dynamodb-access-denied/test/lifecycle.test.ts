/**
 * Lifecycle on moto: whatever a learner did to the ECS app lab, `reset`
 * re-arms it and `destroy` leaves the region's listing as it was before the
 * lab. One moto, one lab, reset in-process between cases. The cases are the
 * stuck labs outside graders found: a table resource policy that outlived the
 * table (R3: the rebuilt lab did not arm), a DynamoDB gateway endpoint left
 * in the deleted VPC (R4), and set-default-policy-version on the default
 * version of a learner's policy (issue 11).
 */
import { CreateVpcEndpointCommand, DeleteVpcEndpointsCommand, ModifyVpcEndpointCommand } from '@aws-sdk/client-ec2';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  RegisterTaskDefinitionCommandInput,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  DeleteResourcePolicyCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  PutResourcePolicyCommand,
  TagResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { listStackResources, physicalIdByLogicalPrefix, physicalIdsOfType } from '../../../lib/engines/cfn/stack-state';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { ignoring } from '../../../lib/toolkit/aws-errors';
import { awsCli, useLab } from '../../../test/support/lab';
import {
  SharedModel,
  deleteStackAction,
  labAction,
  roleActions,
  securityGroupActions,
  sharedInitial,
} from '../../../test/support/learner-actions';
import {
  expectEverySequenceResets,
  expectResetRearms,
  expectSequenceThenDestroyLeavesRegionAsBefore,
  lifecycleSeed,
} from '../../../test/support/lifecycle';
import scenario from '..';

const ACCOUNT = '123456789012';
const lab = useLab(scenario);

async function labResources() {
  const resources = await listStackResources(lab.ctx.clients.cloudformation, lab.ctx.stackName);
  const [table] = physicalIdsOfType(resources, 'AWS::DynamoDB::Table');
  const [vpcId] = physicalIdsOfType(resources, 'AWS::EC2::VPC');
  return {
    table,
    vpcId,
    routeTableIds: physicalIdsOfType(resources, 'AWS::EC2::RouteTable'),
    roles: physicalIdsOfType(resources, 'AWS::IAM::Role'),
  };
}

const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('reset re-arms after', () => {
  test('a table resource policy granting every role dynamodb:* (R3), and a DynamoDB gateway endpoint (R4)', async () => {
    const r = await labResources();
    const arn = (await lab.ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: r.table }))).Table!.TableArn!;
    await lab.ctx.clients.dynamodb.send(
      new PutResourcePolicyCommand({
        ResourceArn: arn,
        Policy: doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'dynamodb:*', Resource: arn }]),
      }),
    );
    await dynamodbGatewayEndpointOf(initial(), lab.ctx);
    await expectResetRearms(scenario, lab.ctx);
  });

  test('a learner policy with a second version, set-default-policy-version on the default one (aws CLI), attached to every lab role', async () => {
    const r = await labResources();
    const iam = lab.ctx.clients.iam;
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: `${lab.ctx.stackName}-orders-read`,
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }]),
      }),
    );
    const arn = created.Policy!.Arn!;
    await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }]) }),
    );
    await awsCli(lab.endpoint, ['iam', 'set-default-policy-version', '--policy-arn', arn, '--version-id', 'v1']);
    for (const role of r.roles) await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: arn }));
    await expectResetRearms(scenario, lab.ctx);
  });
});

// ------------------------------------------------------------ model-based: random learners, then reset or destroy
/** What the sequence did so far, to keep each action one AWS would accept. */
interface Model extends SharedModel {
  readerRole: boolean;
  tablePolicy: boolean;
  dynamodbGateway?: string;
  deletionProtection: boolean;
  tableDeleted: boolean;
}
const initial = (): Model => ({
  ...sharedInitial(),
  readerRole: false,
  tablePolicy: false,
  deletionProtection: false,
  tableDeleted: false,
});

const action = labAction<Model>;
const taskRole = async (ctx: ScenarioContext) => `${ctx.stackName}-task`;
const executionRole = async (ctx: ScenarioContext) => `${ctx.stackName}-execution`;
const tableArnOf = async (ctx: ScenarioContext) =>
  (await ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: `${ctx.stackName}-orders` }))).Table!.TableArn!;
const readOrders = (arn: string) =>
  doc([{ Sid: 'ReadOrders', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: arn }]);

/** A learner's revision of the live task definition, and update-service onto it (or not). */
async function revise(ctx: ScenarioContext, change: (input: RegisterTaskDefinitionCommandInput) => void, move: boolean): Promise<void> {
  const ecs = ctx.clients.ecs;
  const cluster = `${ctx.stackName}-cluster`;
  const service = `${ctx.stackName}-app`;
  const live = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services![0].taskDefinition!;
  const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: live }))).taskDefinition!;
  const input: RegisterTaskDefinitionCommandInput = {
    family: td.family!,
    containerDefinitions: td.containerDefinitions!,
    executionRoleArn: td.executionRoleArn,
    taskRoleArn: td.taskRoleArn,
    networkMode: td.networkMode,
    requiresCompatibilities: td.requiresCompatibilities,
    cpu: td.cpu,
    memory: td.memory,
  };
  change(input);
  const out = await ecs.send(new RegisterTaskDefinitionCommand(input));
  if (move) await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: out.taskDefinition!.taskDefinitionArn }));
}

async function labNetwork(ctx: ScenarioContext): Promise<{ vpcId: string; labSg: string }> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  return {
    vpcId: physicalIdsOfType(resources, 'AWS::EC2::VPC')[0],
    labSg: physicalIdByLogicalPrefix(resources, 'AppService', 'AWS::EC2::SecurityGroup')!,
  };
}

const catalogue = () => [
  action(
    'put-role-policy ReadOrders (GetItem, Query on the table) on the task role (the fix)',
    async (_m, ctx) => {
      await ctx.clients.iam.send(
        new PutRolePolicyCommand({
          RoleName: await taskRole(ctx),
          PolicyName: 'ReadOrders',
          PolicyDocument: readOrders(await tableArnOf(ctx)),
        }),
      );
    },
    (m) => !m.tableDeleted,
  ),
  action('delete-role-policy OrdersTableRead from the execution role', async (_m, ctx) => {
    await ignoring(
      ['NoSuchEntityException', 'NoSuchEntity'],
      ctx.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: await executionRole(ctx), PolicyName: 'OrdersTableRead' })),
    );
  }),
  action(
    'create-role <stack>-orders-reader with ReadOrders, a revision naming it, update-service onto it',
    async (m, ctx) => {
      const iam = ctx.clients.iam;
      const role = await iam.send(
        new CreateRoleCommand({
          RoleName: `${ctx.stackName}-orders-reader`,
          AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
        }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: role.Role!.RoleName,
          PolicyName: 'ReadOrders',
          PolicyDocument: readOrders(await tableArnOf(ctx)),
        }),
      );
      await revise(ctx, (input) => void (input.taskRoleArn = role.Role!.Arn), true);
      m.readerRole = true;
    },
    (m) => !m.readerRole && !m.tableDeleted,
  ),
  action('register-task-definition with the execution role as task role, update-service onto it (a shortcut)', (_m, ctx) =>
    revise(ctx, (input) => void (input.taskRoleArn = input.executionRoleArn), true),
  ),
  action('register-task-definition a revision (cpu 512) without update-service', (_m, ctx) =>
    revise(
      ctx,
      (input) => {
        input.cpu = '512';
        input.memory = '1024';
      },
      false,
    ),
  ),
  action('detach-role-policy AmazonECSTaskExecutionRolePolicy from the execution role (a stack attachment)', async (_m, ctx) => {
    await ignoring(
      ['NoSuchEntityException', 'NoSuchEntity'],
      ctx.clients.iam.send(
        new DetachRolePolicyCommand({
          RoleName: await executionRole(ctx),
          PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
        }),
      ),
    );
  }),
  action('update-assume-role-policy on the task role: a wrong service principal', async (_m, ctx) => {
    await ctx.clients.iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: await taskRole(ctx),
        PolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
      }),
    );
  }),
  ...roleActions<Model>('task role', taskRole),
  action(
    'put-resource-policy on the orders table granting the task role reads',
    async (m, ctx) => {
      const arn = await tableArnOf(ctx);
      await ctx.clients.dynamodb.send(
        new PutResourcePolicyCommand({
          ResourceArn: arn,
          Policy: doc([
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${await taskRole(ctx)}` },
              Action: ['dynamodb:GetItem', 'dynamodb:Query'],
              Resource: arn,
            },
          ]),
        }),
      );
      m.tablePolicy = true;
    },
    (m) => !m.tableDeleted,
  ),
  action(
    'delete-resource-policy of the orders table',
    async (m, ctx) => {
      await ctx.clients.dynamodb.send(new DeleteResourcePolicyCommand({ ResourceArn: await tableArnOf(ctx) }));
      m.tablePolicy = false;
    },
    (m) => m.tablePolicy && !m.tableDeleted,
  ),
  action(
    'update-table --deletion-protection-enabled on the orders table',
    async (m, ctx) => {
      await ctx.clients.dynamodb.send(new UpdateTableCommand({ TableName: `${ctx.stackName}-orders`, DeletionProtectionEnabled: true }));
      m.deletionProtection = true;
    },
    (m) => !m.tableDeleted,
  ),
  action(
    'put-item a test order, tag-resource and update-time-to-live on the orders table',
    async (_m, ctx) => {
      const ddb = ctx.clients.dynamodb;
      const TableName = `${ctx.stackName}-orders`;
      const arn = await tableArnOf(ctx);
      await ddb.send(new PutItemCommand({ TableName, Item: { customerId: { S: 'C-learner' }, orderId: { S: 'learner-test' } } }));
      await ddb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'owner', Value: 'learner' }] }));
      await ddb.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    },
    (m) => !m.tableDeleted,
  ),
  action(
    'delete-table the orders table (a stack resource)',
    async (m, ctx) => {
      await ctx.clients.dynamodb.send(new DeleteTableCommand({ TableName: `${ctx.stackName}-orders` }));
      m.tableDeleted = true;
    },
    (m) => !m.tableDeleted && !m.deletionProtection,
  ),
  action(
    'create-vpc-endpoint dynamodb Gateway on every lab route table',
    async (m, ctx) => {
      await dynamodbGatewayEndpointOf(m, ctx);
    },
    (m) => !m.dynamodbGateway,
  ),
  action(
    'modify-vpc-endpoint --policy-document on the dynamodb endpoint (reads on the table only)',
    async (m, ctx) => {
      await ctx.clients.ec2.send(
        new ModifyVpcEndpointCommand({
          VpcEndpointId: m.dynamodbGateway,
          PolicyDocument: doc([{ Effect: 'Allow', Principal: '*', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: '*' }]),
        }),
      );
    },
    (m) => Boolean(m.dynamodbGateway),
  ),
  action(
    'delete-vpc-endpoints the dynamodb endpoint',
    async (m, ctx) => {
      await ctx.clients.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [m.dynamodbGateway!] }));
      m.dynamodbGateway = undefined;
    },
    (m) => Boolean(m.dynamodbGateway),
  ),
  ...securityGroupActions<Model>(labNetwork),
  action('update-service --desired-count 0', async (_m, ctx) => {
    await ctx.clients.ecs.send(
      new UpdateServiceCommand({ cluster: `${ctx.stackName}-cluster`, service: `${ctx.stackName}-app`, desiredCount: 0 }),
    );
  }),
  deleteStackAction<Model>(),
];

async function dynamodbGatewayEndpointOf(m: Model, ctx: ScenarioContext): Promise<void> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const out = await ctx.clients.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: physicalIdsOfType(resources, 'AWS::EC2::VPC')[0],
      VpcEndpointType: 'Gateway',
      ServiceName: 'com.amazonaws.us-east-1.dynamodb',
      RouteTableIds: physicalIdsOfType(resources, 'AWS::EC2::RouteTable'),
    }),
  );
  m.dynamodbGateway = out.VpcEndpoint!.VpcEndpointId!;
}

describe('model-based: random learner sequences', () => {
  const options = { scenario, ctx: () => lab.ctx, catalogue, initial, seed: lifecycleSeed(893489319), runs: 2, maxActions: 5 };
  test('after every sequence of the catalogue, reset re-arms', () => expectEverySequenceResets(options), 20 * 60_000);
  test(
    'after a sequence that starts with a DynamoDB gateway endpoint (R4), destroy leaves the region as it was',
    () => expectSequenceThenDestroyLeavesRegionAsBefore({ ...options, prefix: dynamodbGatewayEndpointOf }),
    20 * 60_000,
  );
});
