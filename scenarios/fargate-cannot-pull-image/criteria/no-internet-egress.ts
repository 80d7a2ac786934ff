import { Criterion, fail, pass } from '../../../checkers/criterion';
import { internetEgressRoutes, routeTableForSubnet, routeTargetId } from '../../../lib/engines/network';
import { FargatePullSnapshot, taskSubnets } from '../gather';

/** The brief: compliance forbids any internet egress from the task subnets. */
export const noInternetEgress: Criterion<FargatePullSnapshot> = {
  id: 'no-internet-egress',
  title: 'Task subnets have no route to the internet',
  rationale:
    'The brief forbids internet egress from the task subnets: a NAT, internet or egress-only gateway route would make the pull work by leaving the private network the workload is required to stay in.',
  references: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
  ],
  evaluate(s) {
    const subnets = taskSubnets(s);
    if (subnets.length === 0) return fail(`ECS service ${s.service.serviceName} reports no task subnets, so their routes cannot be read.`);
    for (const { subnetId, network } of subnets) {
      if (!network) return fail(`Subnet ${subnetId} of ECS service ${s.service.serviceName} was not found in EC2.`);
      const rt = routeTableForSubnet(network, subnetId);
      if (!rt) return fail(`Subnet ${subnetId} has no route table.`);
      const egress = internetEgressRoutes(rt)[0];
      if (egress) {
        return fail(
          `Route table ${rt.RouteTableId} of subnet ${subnetId} sends ${egress.DestinationCidrBlock ?? egress.DestinationIpv6CidrBlock} to ${routeTargetId(egress)}: internet egress from the task subnets.`,
        );
      }
    }
    const nat = Object.values(s.networks)
      .flatMap((n) => n.natGateways.map((g) => g.NatGatewayId))
      .filter(Boolean);
    const suffix = nat.length ? ` (NAT gateway ${nat.join(', ')} exists but no task subnet routes to it)` : '';
    return pass(
      `No route table of the task subnets has a default route to an internet gateway, NAT gateway or egress-only gateway${suffix}.`,
    );
  },
};
