import {
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcEndpointsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  EC2Client,
  ModifyVpcEndpointCommand,
  VpcEndpoint,
  ReleaseAddressCommand,
  DeleteEgressOnlyInternetGatewayCommand,
  DescribeEgressOnlyInternetGatewaysCommand,
} from '@aws-sdk/client-ec2';
import { EnvironmentError } from '../core/errors';
import { pollUntil } from '../core/poll';
import type { Waits } from '../targets/target';
import { NOT_FOUND, errorName, ignoring } from '../toolkit/aws-errors';
import { revokeReferencesTo } from './security-group-references';

export interface SweepOptions {
  /** Physical IDs CloudFormation manages; everything else in the VPC is the learner's. */
  readonly stackOwned: ReadonlySet<string>;
  readonly progress?: (m: string) => void;
  /** How long to wait for NAT gateways to delete, and how often to look. */
  readonly waits: Pick<Waits, 'pollMs' | 'resourceMs'>;
}

const gone = (state?: string) => ['deleted', 'deleting', 'failed', 'rejected'].includes((state ?? '').toLowerCase());

/**
 * Deletes one VPC endpoint. AWS answers a failed delete in the response's
 * Unsuccessful list rather than with an error; an emulator has answered it
 * with InvalidRoute.NotFound when a route table the endpoint names lacks the
 * endpoint's route. Either way the endpoint is taken off its route tables
 * (which needs no route to exist) and deleted again; a second failure is thrown.
 */
async function deleteEndpoint(ec2: EC2Client, e: VpcEndpoint): Promise<void> {
  const attempt = async (): Promise<string | undefined> => {
    try {
      const out = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [e.VpcEndpointId!] }));
      const failed = (out.Unsuccessful ?? []).find((u) => u.Error?.Code !== 'InvalidVpcEndpoint.NotFound');
      return failed ? `${failed.Error?.Code}: ${failed.Error?.Message}` : undefined;
    } catch (err) {
      if (errorName(err) === 'InvalidVpcEndpoint.NotFound' || errorName(err) === 'InvalidVpcEndpointId.NotFound') return undefined;
      if (errorName(err) !== 'InvalidRoute.NotFound') throw err;
      return `${errorName(err)}: ${(err as Error).message}`;
    }
  };
  if ((await attempt()) === undefined) return;
  if (e.RouteTableIds?.length)
    await ignoring(
      ['InvalidRoute.NotFound', 'InvalidRouteTableId.NotFound'],
      ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: e.VpcEndpointId, RemoveRouteTableIds: e.RouteTableIds })),
    );
  const second = await attempt();
  if (second !== undefined) throw new EnvironmentError('aws-error', `VPC endpoint ${e.VpcEndpointId} could not be deleted: ${second}`);
}

/**
 * Removes what a learner added inside a lab VPC outside CloudFormation
 * (endpoints, NAT and internet gateways, route tables, subnets, security
 * groups), so the stack's own deletion is not blocked and nothing is left.
 * Returns one line per resource removed. No library does this: CloudFormation
 * only deletes what it created.
 */
export async function sweepLearnerVpcResources(ec2: EC2Client, vpcId: string, opts: SweepOptions): Promise<string[]> {
  const removed: string[] = [];
  const vpcs = await ignoring(NOT_FOUND.vpc, ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })));
  if (!vpcs?.Vpcs?.length) return removed;
  const byVpc = [{ Name: 'vpc-id', Values: [vpcId] }];
  const mine = (id?: string) => Boolean(id) && !opts.stackOwned.has(id!);

  const endpoints = (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: byVpc }))).VpcEndpoints ?? [];
  for (const e of endpoints.filter((x) => mine(x.VpcEndpointId) && !gone(x.State))) {
    await deleteEndpoint(ec2, e);
    removed.push(`VPC endpoint ${e.VpcEndpointId} (${e.ServiceName}, created outside the stack)`);
  }

  const nats = ((await ec2.send(new DescribeNatGatewaysCommand({ Filter: byVpc }))).NatGateways ?? []).filter(
    (n) => mine(n.NatGatewayId) && !gone(n.State),
  );
  for (const nat of nats) {
    await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: nat.NatGatewayId }));
    removed.push(`NAT gateway ${nat.NatGatewayId} (created outside the stack)`);
  }
  if (nats.length) {
    await pollUntil(
      async () => {
        const out = await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: nats.map((n) => n.NatGatewayId!) }));
        const left = (out.NatGateways ?? []).filter((n) => n.State !== 'deleted');
        if (left.length) opts.progress?.(`Waiting for NAT gateway ${left.map((n) => n.NatGatewayId).join(', ')} to delete`);
        return left;
      },
      (left) => left.length === 0,
      {
        pollMs: opts.waits.pollMs,
        timeoutMs: opts.waits.resourceMs,
        timedOut: (left) =>
          new EnvironmentError(
            'wait-timed-out',
            `NAT gateway ${left.map((n) => n.NatGatewayId).join(', ')} was still deleting when breakfix stopped waiting.`,
          ),
      },
    );
    for (const nat of nats) {
      for (const addr of nat.NatGatewayAddresses ?? []) {
        if (addr.AllocationId && !opts.stackOwned.has(addr.AllocationId)) {
          // Already released (by the learner, or with the gateway) is fine.
          await ignoring(['InvalidAllocationID.NotFound'], ec2.send(new ReleaseAddressCommand({ AllocationId: addr.AllocationId })));
          removed.push(`Elastic IP ${addr.PublicIp ?? addr.AllocationId} of NAT gateway ${nat.NatGatewayId}`);
        }
      }
    }
  }

  const igws =
    (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }))).InternetGateways ??
    [];
  for (const igw of igws.filter((g) => mine(g.InternetGatewayId))) {
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId, VpcId: vpcId }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId }));
    removed.push(`Internet gateway ${igw.InternetGatewayId} (created outside the stack)`);
  }
  const eigws = ((await ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({}))).EgressOnlyInternetGateways ?? []).filter((g) =>
    g.Attachments?.some((a) => a.VpcId === vpcId),
  );
  for (const g of eigws.filter((x) => mine(x.EgressOnlyInternetGatewayId))) {
    await ec2.send(new DeleteEgressOnlyInternetGatewayCommand({ EgressOnlyInternetGatewayId: g.EgressOnlyInternetGatewayId }));
    removed.push(`Egress-only internet gateway ${g.EgressOnlyInternetGatewayId} (created outside the stack)`);
  }

  const rts = (await ec2.send(new DescribeRouteTablesCommand({ Filters: byVpc }))).RouteTables ?? [];
  for (const rt of rts.filter((r) => mine(r.RouteTableId) && !r.Associations?.some((a) => a.Main))) {
    for (const a of rt.Associations ?? []) {
      if (a.RouteTableAssociationId) await ec2.send(new DisassociateRouteTableCommand({ AssociationId: a.RouteTableAssociationId }));
    }
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: rt.RouteTableId }));
    removed.push(`Route table ${rt.RouteTableId} (created outside the stack)`);
  }

  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: byVpc }))).Subnets ?? [];
  for (const sn of subnets.filter((x) => mine(x.SubnetId))) {
    await ec2.send(new DeleteSubnetCommand({ SubnetId: sn.SubnetId }));
    removed.push(`Subnet ${sn.SubnetId} (created outside the stack)`);
  }

  const sgs = ((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: byVpc }))).SecurityGroups ?? []).filter(
    (g) => mine(g.GroupId) && g.GroupName !== 'default',
  );
  // A rule anywhere that names a learner's group (a lab group's, another learner group's) blocks its deletion: DependencyViolation.
  removed.push(
    ...(await revokeReferencesTo(
      ec2,
      sgs.map((g) => g.GroupId!),
    )),
  );
  for (const sg of sgs) {
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg.GroupId }));
    removed.push(`Security group ${sg.GroupId} (created outside the stack)`);
  }
  return removed;
}
