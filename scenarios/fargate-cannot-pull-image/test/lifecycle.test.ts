/**
 * Lifecycle on moto: whatever a learner did to the Fargate lab, `reset`
 * re-arms it and `destroy` leaves the region's listing as it was before the
 * lab. One moto, one lab, reset in-process between cases. The cases are the
 * stuck labs of issue 11: the S3 gateway endpoint added to the second route
 * table with modify-vpc-endpoint (reset, destroy and destroy --all failed with
 * InvalidRoute.NotFound, after the stack's own policy had been detached), and
 * endpoints of every kind left behind across resets.
 */
import {
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeRouteTablesCommand,
  ModifyVpcEndpointCommand,
  ReplaceRouteTableAssociationCommand,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import {
  BatchDeleteImageCommand,
  DeleteRepositoryCommand,
  DescribeRepositoriesCommand,
  SetRepositoryPolicyCommand,
  TagResourceCommand,
} from '@aws-sdk/client-ecr';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { AttachRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { checkScenario } from '../../../lib/ops/check';
import { listStackResources, physicalIdsOfType } from '../../../lib/engines/cfn/stack-state';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { awsCli, useLab } from '../../../test/support/lab';
import {
  SharedModel,
  deleteStackAction,
  labAction,
  learnerSecurityGroup,
  policyDoc,
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
import { APP_IMAGE_TAG } from '../lab';
import scenario from '..';
import { gatherFargatePull } from '../gather';
import { live, registerRevision } from './helpers';

const ACCOUNT = '123456789012';
const lab = useLab(scenario);

async function network(): Promise<{ vpcId: string; routeTableIds: string[]; subnetIds: string[] }> {
  const snap = await gatherFargatePull(lab.ctx);
  const subnetIds = snap.service.networkConfiguration!.awsvpcConfiguration!.subnets!;
  const net = snap.networks[snap.labVpcId];
  const routeTableIds = subnetIds.map((id) => net.routeTables.find((rt) => rt.Associations?.some((a) => a.SubnetId === id))!.RouteTableId!);
  return { vpcId: snap.labVpcId, routeTableIds, subnetIds };
}

async function attachedTo(roleName: string): Promise<string[]> {
  const out = await lab.ctx.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  return (out.AttachedPolicies ?? []).map((p) => p.PolicyArn!).sort();
}

describe('reset re-arms after', () => {
  test("the lab's own ECR repository deleted with delete-repository --force (the stack's delete of it then fails)", async () => {
    const { repo } = await live(lab.ctx);
    await lab.ctx.clients.ecr.send(new DeleteRepositoryCommand({ repositoryName: repo.repositoryName, force: true }));
    await expectResetRearms(scenario, lab.ctx);
  });

  test('the S3 endpoint on one route table, then added to the other with modify-vpc-endpoint (aws CLI); the stack policy stays attached', async () => {
    const { roleName } = await live(lab.ctx);
    const stackAttached = await attachedTo(roleName);
    const net = await network();
    const created = await awsCli(lab.endpoint, [
      'ec2',
      'create-vpc-endpoint',
      '--vpc-id',
      net.vpcId,
      '--vpc-endpoint-type',
      'Gateway',
      '--service-name',
      'com.amazonaws.us-east-1.s3',
      '--route-table-ids',
      net.routeTableIds[0],
    ]);
    await awsCli(lab.endpoint, [
      'ec2',
      'modify-vpc-endpoint',
      '--vpc-endpoint-id',
      created.VpcEndpoint.VpcEndpointId,
      '--add-route-table-ids',
      net.routeTableIds[1],
    ]);
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
    await expectResetRearms(scenario, lab.ctx);
    expect(await attachedTo((await live(lab.ctx)).roleName)).toEqual(stackAttached);
  });

  test('extra endpoints of every kind, a route table, a security group with a rule, admin on the role, a new revision in service', async () => {
    const net = await network();
    const ec2 = lab.ctx.clients.ec2;
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'learner-endpoints', Description: 'learner', VpcId: net.vpcId }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg.GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }],
      }),
    );
    for (const service of ['s3', 'dynamodb'])
      await ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: net.vpcId,
          VpcEndpointType: 'Gateway',
          ServiceName: `com.amazonaws.us-east-1.${service}`,
          RouteTableIds: net.routeTableIds,
        }),
      );
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: net.vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: 'com.amazonaws.us-east-1.sts',
        SubnetIds: net.subnetIds,
        SecurityGroupIds: [sg.GroupId!],
      }),
    );
    await ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }));
    const { roleName, cluster, service } = await live(lab.ctx);
    await lab.ctx.clients.iam.send(
      new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    );
    const revision = await registerRevision(lab.ctx, (input) => {
      input.cpu = '512';
      input.memory = '1024';
    });
    await lab.ctx.clients.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: revision.arn }));
    await expectResetRearms(scenario, lab.ctx);
  });
});

/** The old destroy regression (endpoints left behind across resets): the s3 endpoint on one route table only. */
async function s3OnOneRouteTable(m: Model, ctx: ScenarioContext): Promise<void> {
  const f = await labFacts(ctx);
  const out = await ctx.clients.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: f.vpcId,
      VpcEndpointType: 'Gateway',
      ServiceName: 'com.amazonaws.us-east-1.s3',
      RouteTableIds: [f.routeTableIds[0]],
    }),
  );
  m.s3 = { id: out.VpcEndpoint!.VpcEndpointId!, routeTableIds: [f.routeTableIds[0]] };
}

// ------------------------------------------------------------ model-based: random learners, then reset or destroy
/** The lab as a learner finds it with describe-stack-resources: IDs the actions need. */
async function labFacts(ctx: ScenarioContext) {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const byLogical = (part: string, type: string) =>
    resources.find((r) => r.ResourceType === type && r.LogicalResourceId!.includes(part))!.PhysicalResourceId!;
  const routeTables = await ctx.clients.ec2.send(
    new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: physicalIdsOfType(resources, 'AWS::EC2::VPC') }] }),
  );
  const taskTables = (routeTables.RouteTables ?? []).filter((rt) => rt.Associations?.some((a) => a.SubnetId));
  return {
    vpcId: physicalIdsOfType(resources, 'AWS::EC2::VPC')[0],
    routeTableIds: taskTables.map((rt) => rt.RouteTableId!),
    subnetIds: physicalIdsOfType(resources, 'AWS::EC2::Subnet'),
    serviceSg: byLogical('AppService', 'AWS::EC2::SecurityGroup'),
    ecrApi: byLogical('EcrApi', 'AWS::EC2::VPCEndpoint'),
    ecrDkr: byLogical('EcrDkr', 'AWS::EC2::VPCEndpoint'),
    roleName: physicalIdsOfType(resources, 'AWS::IAM::Role')[0],
    repository: physicalIdsOfType(resources, 'AWS::ECR::Repository')[0],
    cluster: physicalIdsOfType(resources, 'AWS::ECS::Cluster')[0],
    service: physicalIdsOfType(resources, 'AWS::ECS::Service')[0],
  };
}

/** What the sequence did so far, to keep each action one AWS would accept. */
interface Model extends SharedModel {
  s3?: { id: string; routeTableIds: string[] };
  dynamodbGateway: boolean;
  stsEndpoint: boolean;
  dkrDeleted: boolean;
  egressNarrowed: boolean;
  igw: boolean;
  routeTable: boolean;
  imageDeleted: boolean;
  repositoryDeleted: boolean;
}
const initial = (): Model => ({
  ...sharedInitial(),
  dynamodbGateway: false,
  stsEndpoint: false,
  dkrDeleted: false,
  egressNarrowed: false,
  igw: false,
  routeTable: false,
  imageDeleted: false,
  repositoryDeleted: false,
});

const doc = policyDoc;
const action = labAction<Model>;
const executionRole = async (ctx: ScenarioContext) => (await labFacts(ctx)).roleName;
async function labNetwork(ctx: ScenarioContext): Promise<{ vpcId: string; labSg: string }> {
  const f = await labFacts(ctx);
  return { vpcId: f.vpcId, labSg: f.serviceSg };
}

const catalogue = () => [
  action(
    'create-vpc-endpoint s3 Gateway on every task route table (the fix)',
    async (m, ctx) => {
      const f = await labFacts(ctx);
      const out = await ctx.clients.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: f.vpcId,
          VpcEndpointType: 'Gateway',
          ServiceName: 'com.amazonaws.us-east-1.s3',
          RouteTableIds: f.routeTableIds,
        }),
      );
      m.s3 = { id: out.VpcEndpoint!.VpcEndpointId!, routeTableIds: f.routeTableIds };
    },
    (m) => !m.s3,
  ),
  action(
    'create-vpc-endpoint s3 Gateway on one route table, then modify-vpc-endpoint --add-route-table-ids the other (aws CLI)',
    async (m, ctx) => {
      const f = await labFacts(ctx);
      const out = await ctx.clients.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: f.vpcId,
          VpcEndpointType: 'Gateway',
          ServiceName: 'com.amazonaws.us-east-1.s3',
          RouteTableIds: [f.routeTableIds[0]],
        }),
      );
      const id = out.VpcEndpoint!.VpcEndpointId!;
      await awsCli(lab.endpoint, ['ec2', 'modify-vpc-endpoint', '--vpc-endpoint-id', id, '--add-route-table-ids', f.routeTableIds[1]]);
      m.s3 = { id, routeTableIds: f.routeTableIds };
    },
    (m) => !m.s3,
  ),
  action(
    'modify-vpc-endpoint --remove-route-table-ids one route table from the s3 endpoint',
    async (m, ctx) => {
      const [rt, ...rest] = m.s3!.routeTableIds;
      await ctx.clients.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: m.s3!.id, RemoveRouteTableIds: [rt] }));
      m.s3!.routeTableIds = rest;
    },
    (m) => Boolean(m.s3?.routeTableIds.length),
  ),
  action(
    'modify-vpc-endpoint --policy-document: the s3 endpoint allows only the layer bucket',
    async (m, ctx) => {
      await ctx.clients.ec2.send(
        new ModifyVpcEndpointCommand({
          VpcEndpointId: m.s3!.id,
          PolicyDocument: doc([
            { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*' },
          ]),
        }),
      );
    },
    (m) => Boolean(m.s3),
  ),
  action(
    'delete-vpc-endpoints the s3 gateway endpoint',
    async (m, ctx) => {
      await ctx.clients.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [m.s3!.id] }));
      m.s3 = undefined;
    },
    (m) => Boolean(m.s3),
  ),
  action(
    'create-vpc-endpoint dynamodb Gateway on every task route table',
    async (m, ctx) => {
      const f = await labFacts(ctx);
      await ctx.clients.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: f.vpcId,
          VpcEndpointType: 'Gateway',
          ServiceName: 'com.amazonaws.us-east-1.dynamodb',
          RouteTableIds: f.routeTableIds,
        }),
      );
      m.dynamodbGateway = true;
    },
    (m) => !m.dynamodbGateway,
  ),
  action(
    'create-vpc-endpoint sts Interface in the task subnets with a learner security group',
    async (m, ctx) => {
      const f = await labFacts(ctx);
      const sg = await learnerSecurityGroup(m, ctx, f.vpcId);
      await ctx.clients.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: f.vpcId,
          VpcEndpointType: 'Interface',
          ServiceName: 'com.amazonaws.us-east-1.sts',
          SubnetIds: f.subnetIds,
          SecurityGroupIds: [sg],
        }),
      );
      m.stsEndpoint = true;
    },
    (m) => !m.stsEndpoint,
  ),
  action(
    "delete-vpc-endpoints the lab's ecr.dkr interface endpoint (a stack resource)",
    async (m, ctx) => {
      await ctx.clients.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [(await labFacts(ctx)).ecrDkr] }));
      m.dkrDeleted = true;
    },
    (m) => !m.dkrDeleted,
  ),
  action("modify-vpc-endpoint --no-private-dns-enabled on the lab's ecr.api endpoint", async (_m, ctx) => {
    await ctx.clients.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: (await labFacts(ctx)).ecrApi, PrivateDnsEnabled: false }));
  }),
  action(
    "revoke-security-group-egress allow-all on the service's group, authorize egress 443 to the VPC",
    async (m, ctx) => {
      const f = await labFacts(ctx);
      await ctx.clients.ec2.send(
        new RevokeSecurityGroupEgressCommand({
          GroupId: f.serviceSg,
          IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        }),
      );
      await ctx.clients.ec2.send(
        new AuthorizeSecurityGroupEgressCommand({
          GroupId: f.serviceSg,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.42.0.0/16' }] }],
        }),
      );
      m.egressNarrowed = true;
    },
    (m) => !m.egressNarrowed,
  ),
  action(
    'create-internet-gateway, attach-internet-gateway, create-route 0.0.0.0/0 in a task route table (a shortcut)',
    async (m, ctx) => {
      const f = await labFacts(ctx);
      const ec2 = ctx.clients.ec2;
      const igw = await ec2.send(new CreateInternetGatewayCommand({}));
      const id = igw.InternetGateway!.InternetGatewayId!;
      await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: f.vpcId }));
      await ec2.send(new CreateRouteCommand({ RouteTableId: f.routeTableIds[0], DestinationCidrBlock: '0.0.0.0/0', GatewayId: id }));
      m.igw = true;
    },
    (m) => !m.igw,
  ),
  action(
    'create-route-table and associate it with a task subnet (replace-route-table-association)',
    async (m, ctx) => {
      const f = await labFacts(ctx);
      const ec2 = ctx.clients.ec2;
      const rt = await ec2.send(new CreateRouteTableCommand({ VpcId: f.vpcId }));
      const tables = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [f.routeTableIds[1]] }));
      const assoc = tables.RouteTables![0].Associations!.find((a) => a.SubnetId)!;
      await ec2.send(
        new ReplaceRouteTableAssociationCommand({
          AssociationId: assoc.RouteTableAssociationId,
          RouteTableId: rt.RouteTable!.RouteTableId,
        }),
      );
      m.routeTable = true;
    },
    (m) => !m.routeTable && !m.s3 && !m.dynamodbGateway && !m.igw,
  ),
  action('attach-role-policy AmazonEC2ContainerRegistryReadOnly to the execution role', async (_m, ctx) => {
    await ctx.clients.iam.send(
      new AttachRolePolicyCommand({
        RoleName: await executionRole(ctx),
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      }),
    );
  }),
  ...roleActions<Model>('execution role', executionRole),
  ...securityGroupActions<Model>(labNetwork),
  action('register-task-definition a new revision (cpu 512) and update-service onto it', async (_m, ctx) => {
    const f = await labFacts(ctx);
    const revision = await registerRevision(ctx, (input) => {
      input.cpu = '512';
      input.memory = '1024';
    });
    await ctx.clients.ecs.send(new UpdateServiceCommand({ cluster: f.cluster, service: f.service, taskDefinition: revision.arn }));
  }),
  action('update-service --desired-count 0', async (_m, ctx) => {
    const f = await labFacts(ctx);
    await ctx.clients.ecs.send(new UpdateServiceCommand({ cluster: f.cluster, service: f.service, desiredCount: 0 }));
  }),
  action(
    'set-repository-policy and tag-resource on the lab repository',
    async (_m, ctx) => {
      const f = await labFacts(ctx);
      const repo = await ctx.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [f.repository] }));
      await ctx.clients.ecr.send(
        new SetRepositoryPolicyCommand({
          repositoryName: f.repository,
          policyText: doc([
            { Sid: 'Pull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'ecr:BatchGetImage' },
          ]),
        }),
      );
      await ctx.clients.ecr.send(
        new TagResourceCommand({ resourceArn: repo.repositories![0].repositoryArn, tags: [{ Key: 'team', Value: 'platform' }] }),
      );
    },
    (m) => !m.repositoryDeleted,
  ),
  action(
    'batch-delete-image the app image',
    async (m, ctx) => {
      await ctx.clients.ecr.send(
        new BatchDeleteImageCommand({ repositoryName: (await labFacts(ctx)).repository, imageIds: [{ imageTag: APP_IMAGE_TAG }] }),
      );
      m.imageDeleted = true;
    },
    (m) => !m.imageDeleted && !m.repositoryDeleted,
  ),
  action(
    'delete-repository --force the lab repository (a stack resource)',
    async (m, ctx) => {
      await ctx.clients.ecr.send(new DeleteRepositoryCommand({ repositoryName: (await labFacts(ctx)).repository, force: true }));
      m.repositoryDeleted = true;
    },
    (m) => !m.repositoryDeleted,
  ),
  deleteStackAction<Model>(),
];

describe('model-based: random learner sequences', () => {
  const options = { scenario, ctx: () => lab.ctx, catalogue, initial, seed: lifecycleSeed(893264351), runs: 2, maxActions: 5 };
  test('after every sequence of the catalogue, reset re-arms', () => expectEverySequenceResets(options), 20 * 60_000);
  test(
    'after a sequence that starts with the s3 endpoint on one route table, destroy leaves the region as it was',
    () => expectSequenceThenDestroyLeavesRegionAsBefore({ ...options, prefix: s3OnOneRouteTable }),
    20 * 60_000,
  );
});
