import {
  DescribeEgressOnlyInternetGatewaysCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import type { VpcNetwork } from './types';

/** Reads one VPC's network in parallel: seven describe calls, all read-only. */
export async function readVpcNetwork(ec2: EC2Client, region: string, vpcId: string): Promise<VpcNetwork> {
  const byVpc = [{ Name: 'vpc-id', Values: [vpcId] }];
  const [vpcs, subnets, rts, eps, nats, igws, eigws] = await Promise.all([
    ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })),
    ec2.send(new DescribeSubnetsCommand({ Filters: byVpc })),
    ec2.send(new DescribeRouteTablesCommand({ Filters: byVpc })),
    ec2.send(new DescribeVpcEndpointsCommand({ Filters: byVpc })),
    ec2.send(new DescribeNatGatewaysCommand({ Filter: byVpc })),
    ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] })),
    ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({})),
  ]);
  const vpc = vpcs.Vpcs?.[0];
  if (!vpc) throw new Error(`VPC ${vpcId} does not exist`);
  return {
    region,
    vpc,
    subnets: subnets.Subnets ?? [],
    routeTables: rts.RouteTables ?? [],
    endpoints: (eps.VpcEndpoints ?? []).filter(
      (e) => !['deleted', 'deleting', 'rejected', 'failed'].includes((e.State ?? '').toLowerCase()),
    ),
    natGateways: (nats.NatGateways ?? []).filter((n) => n.State !== 'deleted' && n.State !== 'deleting'),
    internetGateways: igws.InternetGateways ?? [],
    egressOnlyInternetGateways: (eigws.EgressOnlyInternetGateways ?? []).filter((g) => g.Attachments?.some((a) => a.VpcId === vpcId)),
  };
}
