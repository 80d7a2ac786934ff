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
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
} from '@aws-sdk/client-ec2';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { AttachRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { checkScenario } from '../../../lib/ops/check';
import { awsCli, useLab } from '../../../test/support/lab';
import { expectDestroyLeavesRegionAsBefore, expectResetRearms } from '../../../test/support/lifecycle';
import scenario from '..';
import { gatherFargatePull } from '../gather';
import { live, registerRevision } from './helpers';

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

describe('destroy', () => {
  test('after the learner added endpoints on both route tables, destroy leaves the region as it was', async () => {
    const net = await network();
    await lab.ctx.clients.ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: net.vpcId,
        VpcEndpointType: 'Gateway',
        ServiceName: 'com.amazonaws.us-east-1.s3',
        RouteTableIds: [net.routeTableIds[0]],
      }),
    );
    await expectDestroyLeavesRegionAsBefore(scenario, lab.ctx);
  });
});
