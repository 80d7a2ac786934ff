/**
 * End to end on the kit's own moto: deploy arms the fault, every valid remedy
 * (SDK, AWS CLI, an edited stack) is accepted, every shortcut is rejected
 * with the right criterion named, reset re-arms, destroy leaves nothing.
 */
import * as ec2sdk from '@aws-sdk/client-ec2';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GatewayVpcEndpointAwsService } from 'aws-cdk-lib/aws-ec2';
import type { CheckReport } from '../../../checkers/criterion';
import { checkScenario } from '../../../lib/ops/check';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import { openLab } from '../../../lib/ops/lab';
import { listStackResources, physicalIdsOfType } from '../../../lib/engines/cfn/stack-state';
import { EnvironmentError } from '../../../lib/core/errors';
import { awsCli, cdkDeploy, useLab } from '../../../test/support/lab';
import { failing } from '../../../test/support/report';
import scenario from '..';
import { FargatePullStack } from '../stack';
import { gatherFargatePull } from '../gather';

interface LabIds {
  vpcId: string;
  subnetIds: string[];
  routeTableIds: string[];
  cluster: string;
  service: string;
}

async function labIds(): Promise<LabIds> {
  const snap = await gatherFargatePull(lab.ctx);
  const resources = await listStackResources(lab.ctx.clients.cloudformation, lab.ctx.stackName);
  const subnetIds = snap.service.networkConfiguration!.awsvpcConfiguration!.subnets!;
  const net = snap.networks[snap.labVpcId];
  const routeTableIds = subnetIds.map((id) => net.routeTables.find((rt) => rt.Associations?.some((a) => a.SubnetId === id))!.RouteTableId!);
  return {
    vpcId: snap.labVpcId,
    subnetIds,
    routeTableIds,
    cluster: physicalIdsOfType(resources, 'AWS::ECS::Cluster')[0],
    service: snap.service.serviceName!,
  };
}

const statusOf = (r: CheckReport, id: string) => r.criteria.find((c) => c.id === id)?.status;

async function s3GatewayEndpoint(ids: LabIds, routeTableIds: string[], policy?: object): Promise<string> {
  const out = await lab.ctx.clients.ec2.send(
    new ec2sdk.CreateVpcEndpointCommand({
      VpcId: ids.vpcId,
      VpcEndpointType: 'Gateway',
      ServiceName: 'com.amazonaws.us-east-1.s3',
      RouteTableIds: routeTableIds,
      PolicyDocument: policy ? JSON.stringify(policy) : undefined,
    }),
  );
  return out.VpcEndpoint!.VpcEndpointId!;
}

const lab = useLab(scenario);

describe('armed', () => {
  test('the deployed lab is broken: no S3 path, and the checker says not fixed', async () => {
    const ids = await labIds();
    const eps = await lab.ctx.clients.ec2.send(
      new ec2sdk.DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [ids.vpcId] }] }),
    );
    const services = (eps.VpcEndpoints ?? []).map((e) => e.ServiceName).sort();
    expect(services).toEqual(['com.amazonaws.us-east-1.ecr.api', 'com.amazonaws.us-east-1.ecr.dkr', 'com.amazonaws.us-east-1.logs']);
    expect(ids.routeTableIds).toHaveLength(2);
    expect(new Set(ids.routeTableIds).size).toBe(2);
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['s3-layer-path-from-every-task-subnet']);
    expect(report.criteria.find((c) => c.id === 's3-layer-path-from-every-task-subnet')!.message).toMatch(
      /Route table rtb-\S+ of subnet subnet-\S+ has no route to S3 \(no gateway endpoint, NAT or IGW\)/,
    );
  });

  test('status derives the CannotPullContainerError and labels it derived', async () => {
    const symptom = await scenario.symptom(lab.ctx);
    expect(symptom.source).toBe('derived');
    expect(symptom.summary).toMatch(
      /^Stopped reason: CannotPullContainerError: .*prod-us-east-1-starport-layer-bucket\.s3\.us-east-1\.amazonaws\.com.*i\/o timeout/,
    );
    expect(symptom.derivation).toMatch(/runs no containers/);
  });
});

describe('valid remedies', () => {
  afterEach(async () => {
    await resetScenario(scenario, lab.ctx);
  });

  test('an S3 gateway endpoint on both route tables, created with the SDK, is fixed', async () => {
    const ids = await labIds();
    await s3GatewayEndpoint(ids, ids.routeTableIds);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
    expect(statusOf(report, 's3-endpoint-policy-allows-layer-bucket')).toBe('pass');
  });

  test('the same endpoint made with the aws CLI is fixed', async () => {
    const ids = await labIds();
    await awsCli(lab.endpoint, [
      'ec2',
      'create-vpc-endpoint',
      '--vpc-id',
      ids.vpcId,
      '--vpc-endpoint-type',
      'Gateway',
      '--service-name',
      'com.amazonaws.us-east-1.s3',
      '--route-table-ids',
      ...ids.routeTableIds,
    ]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('fixed');
  });

  test('a least-privilege endpoint policy that allows the layer bucket is fixed', async () => {
    const ids = await labIds();
    await s3GatewayEndpoint(ids, ids.routeTableIds, {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EcrLayers',
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3:GetObject'],
          Resource: ['arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*'],
        },
      ],
    });
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('fixed');
  });

  test('an edited stack with the gateway endpoint, redeployed, is fixed', async () => {
    await cdkDeploy(scenario, lab.ctx, (scope, props) => {
      const stack = new FargatePullStack(scope, { ...props, sourceDir: scenario.dir });
      stack.vpc.addGatewayEndpoint('S3Gateway', { service: GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'app' }] });
      return stack;
    });
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
  });
});

describe('shortcuts are rejected', () => {
  afterEach(async () => {
    await resetScenario(scenario, lab.ctx);
  });

  test('a NAT gateway default route breaks the brief', async () => {
    const ids = await labIds();
    const ec2 = lab.ctx.clients.ec2;
    const igw = await ec2.send(new ec2sdk.CreateInternetGatewayCommand({}));
    await ec2.send(
      new ec2sdk.AttachInternetGatewayCommand({ InternetGatewayId: igw.InternetGateway!.InternetGatewayId, VpcId: ids.vpcId }),
    );
    const pub = await ec2.send(new ec2sdk.CreateSubnetCommand({ VpcId: ids.vpcId, CidrBlock: '10.42.200.0/24' }));
    const eip = await ec2.send(new ec2sdk.AllocateAddressCommand({ Domain: 'vpc' }));
    const nat = await ec2.send(new ec2sdk.CreateNatGatewayCommand({ SubnetId: pub.Subnet!.SubnetId, AllocationId: eip.AllocationId }));
    for (const rt of ids.routeTableIds) {
      await ec2.send(
        new ec2sdk.CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat.NatGateway!.NatGatewayId }),
      );
    }
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(statusOf(report, 'no-internet-egress')).toBe('fail');
    expect(report.criteria.find((c) => c.id === 'no-internet-egress')!.message).toMatch(/sends 0\.0\.0\.0\/0 to nat-/);
    expect(statusOf(report, 's3-layer-path-from-every-task-subnet')).toBe('fail');
  });

  test('an internet gateway route with public IPs on the tasks', async () => {
    const ids = await labIds();
    const ec2 = lab.ctx.clients.ec2;
    const igw = await ec2.send(new ec2sdk.CreateInternetGatewayCommand({}));
    await ec2.send(
      new ec2sdk.AttachInternetGatewayCommand({ InternetGatewayId: igw.InternetGateway!.InternetGatewayId, VpcId: ids.vpcId }),
    );
    for (const rt of ids.routeTableIds) {
      await ec2.send(
        new ec2sdk.CreateRouteCommand({
          RouteTableId: rt,
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: igw.InternetGateway!.InternetGatewayId,
        }),
      );
    }
    await lab.ctx.clients.ecs.send(
      new UpdateServiceCommand({
        cluster: ids.cluster,
        service: ids.service,
        networkConfiguration: { awsvpcConfiguration: { subnets: ids.subnetIds, assignPublicIp: 'ENABLED' } },
      }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(statusOf(report, 'tasks-launch-into-private-subnets')).toBe('fail');
    expect(statusOf(report, 'no-internet-egress')).toBe('fail');
  });

  test('moving the tasks to a new public subnet', async () => {
    const ids = await labIds();
    const ec2 = lab.ctx.clients.ec2;
    const igw = await ec2.send(new ec2sdk.CreateInternetGatewayCommand({}));
    await ec2.send(
      new ec2sdk.AttachInternetGatewayCommand({ InternetGatewayId: igw.InternetGateway!.InternetGatewayId, VpcId: ids.vpcId }),
    );
    const pub = await ec2.send(new ec2sdk.CreateSubnetCommand({ VpcId: ids.vpcId, CidrBlock: '10.42.201.0/24' }));
    const rt = await ec2.send(new ec2sdk.CreateRouteTableCommand({ VpcId: ids.vpcId }));
    await ec2.send(
      new ec2sdk.CreateRouteCommand({
        RouteTableId: rt.RouteTable!.RouteTableId,
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: igw.InternetGateway!.InternetGatewayId,
      }),
    );
    await ec2.send(new ec2sdk.AssociateRouteTableCommand({ RouteTableId: rt.RouteTable!.RouteTableId, SubnetId: pub.Subnet!.SubnetId }));
    await lab.ctx.clients.ecs.send(
      new UpdateServiceCommand({
        cluster: ids.cluster,
        service: ids.service,
        networkConfiguration: { awsvpcConfiguration: { subnets: [pub.Subnet!.SubnetId!], assignPublicIp: 'DISABLED' } },
      }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(statusOf(report, 'tasks-launch-into-private-subnets')).toBe('fail');
    expect(report.criteria.find((c) => c.id === 'tasks-launch-into-private-subnets')!.message).toMatch(
      /is public: route table rtb-\S+ sends 0\.0\.0\.0\/0 to internet gateway igw-/,
    );
  });

  test('the endpoint on only one of the two route tables', async () => {
    const ids = await labIds();
    await s3GatewayEndpoint(ids, [ids.routeTableIds[0]]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['s3-layer-path-from-every-task-subnet']);
    expect(report.criteria.find((c) => c.id === 's3-layer-path-from-every-task-subnet')!.message).toContain(ids.routeTableIds[1]);
  });

  test('an endpoint policy that excludes the layer bucket', async () => {
    const ids = await labIds();
    await s3GatewayEndpoint(ids, ids.routeTableIds, {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OnlyAppData',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:*',
          Resource: ['arn:aws:s3:::app-data', 'arn:aws:s3:::app-data/*'],
        },
      ],
    });
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['s3-endpoint-policy-allows-layer-bucket']);
    expect(report.criteria.find((c) => c.id === 's3-endpoint-policy-allows-layer-bucket')!.message).toMatch(
      /has no statement that allows it: s3:GetObject on arn:aws:s3:::prod-us-east-1-starport-layer-bucket/,
    );
  });

  test('removing the ECR interface endpoints', async () => {
    const ids = await labIds();
    await s3GatewayEndpoint(ids, ids.routeTableIds);
    const eps = await lab.ctx.clients.ec2.send(
      new ec2sdk.DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [ids.vpcId] }] }),
    );
    const ecr = (eps.VpcEndpoints ?? []).filter((e) => /\.ecr\.(api|dkr)$/.test(e.ServiceName ?? '')).map((e) => e.VpcEndpointId!);
    expect(ecr).toHaveLength(2);
    await lab.ctx.clients.ec2.send(new ec2sdk.DeleteVpcEndpointsCommand({ VpcEndpointIds: ecr }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['ecr-endpoints-reachable']);
    expect(report.criteria.find((c) => c.id === 'ecr-endpoints-reachable')!.message).toMatch(
      /has no interface endpoint for com\.amazonaws\.us-east-1\.ecr\.api/,
    );
  });

  test('an ECR endpoint with private DNS turned off', async () => {
    const ids = await labIds();
    await s3GatewayEndpoint(ids, ids.routeTableIds);
    const eps = await lab.ctx.clients.ec2.send(
      new ec2sdk.DescribeVpcEndpointsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [ids.vpcId] },
          { Name: 'service-name', Values: ['com.amazonaws.us-east-1.ecr.dkr'] },
        ],
      }),
    );
    await lab.ctx.clients.ec2.send(
      new ec2sdk.ModifyVpcEndpointCommand({ VpcEndpointId: eps.VpcEndpoints![0].VpcEndpointId, PrivateDnsEnabled: false }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['ecr-endpoints-reachable']);
    expect(report.criteria.find((c) => c.id === 'ecr-endpoints-reachable')!.message).toMatch(/has private DNS off/);
  });
});

describe('reset and destroy', () => {
  test('reset re-arms a fixed lab', async () => {
    const ids = await labIds();
    await s3GatewayEndpoint(ids, ids.routeTableIds);
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
    const result = await resetScenario(scenario, lab.ctx);
    expect(result.removed.some((r) => /VPC endpoint vpce-\S+ \(com\.amazonaws\.us-east-1\.s3/.test(r))).toBe(true);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['s3-layer-path-from-every-task-subnet']);
  });

  test('destroy removes the stack and the learner-created endpoint, NAT and IGW', async () => {
    const ids = await labIds();
    const ec2 = lab.ctx.clients.ec2;
    const endpointId = await s3GatewayEndpoint(ids, ids.routeTableIds);
    const igw = await ec2.send(new ec2sdk.CreateInternetGatewayCommand({}));
    await ec2.send(
      new ec2sdk.AttachInternetGatewayCommand({ InternetGatewayId: igw.InternetGateway!.InternetGatewayId, VpcId: ids.vpcId }),
    );
    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
    expect(result.removed).toEqual(
      expect.arrayContaining([expect.stringContaining(endpointId), expect.stringContaining(igw.InternetGateway!.InternetGatewayId!)]),
    );
    const vpcs = await ec2.send(new ec2sdk.DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [ids.vpcId] }] }));
    expect(vpcs.Vpcs ?? []).toEqual([]);
    const eps = await ec2.send(new ec2sdk.DescribeVpcEndpointsCommand({}));
    expect((eps.VpcEndpoints ?? []).filter((e) => !['deleted', 'deleting'].includes((e.State ?? '').toLowerCase()))).toEqual([]);
    const igws = await ec2.send(new ec2sdk.DescribeInternetGatewaysCommand({ InternetGatewayIds: undefined }));
    expect((igws.InternetGateways ?? []).map((g) => g.InternetGatewayId)).not.toContain(igw.InternetGateway!.InternetGatewayId);
    await expect(openLab(scenario, lab.ctx.target, { clients: lab.ctx.clients })).rejects.toBeInstanceOf(EnvironmentError);
  });
});
