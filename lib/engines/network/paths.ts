import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import { internetEgressRoutes, routeTableForSubnet, routeTargetId } from './routes';
import { serviceName } from './service-names';
import type { PathResult, VpcNetwork } from './types';

function usable(ep: VpcEndpoint): boolean {
  return (ep.State ?? 'available').toLowerCase() === 'available';
}

/** Interface endpoints for a service in the VPC (any state). */
export function interfaceEndpointsFor(net: VpcNetwork, service: string): VpcEndpoint[] {
  const name = serviceName(net.region, service);
  return net.endpoints.filter((e) => e.ServiceName === name && (e.VpcEndpointType ?? 'Interface') === 'Interface');
}

/** Gateway endpoints for a service in the VPC (any state). */
export function gatewayEndpointsFor(net: VpcNetwork, service: string): VpcEndpoint[] {
  const name = serviceName(net.region, service);
  return net.endpoints.filter((e) => e.ServiceName === name && e.VpcEndpointType === 'Gateway');
}

/**
 * How a subnet reaches an AWS service over PrivateLink: an available interface
 * endpoint with private DNS makes the service's public hostname resolve to the
 * endpoint inside the VPC, from every subnet of that VPC.
 */
export function interfacePath(net: VpcNetwork, subnetId: string, service: string): PathResult {
  const eps = interfaceEndpointsFor(net, service);
  const ok = eps.find((e) => usable(e) && e.PrivateDnsEnabled);
  if (ok) {
    return {
      reachable: true,
      via: 'interface-endpoint',
      resourceId: ok.VpcEndpointId,
      reason: `Interface endpoint ${ok.VpcEndpointId} (${serviceName(net.region, service)}, private DNS on) serves subnet ${subnetId}.`,
    };
  }
  const egress = internetPath(net, subnetId, false);
  if (egress.reachable) return egress;
  if (eps.length > 0) {
    const e = eps[0];
    const why = !usable(e) ? `is ${e.State}` : 'has private DNS off, so the service hostname still resolves to public addresses';
    return {
      reachable: false,
      via: 'none',
      reason: `Interface endpoint ${e.VpcEndpointId} for ${serviceName(net.region, service)} ${why}; subnet ${subnetId} has no other route to it.`,
    };
  }
  return {
    reachable: false,
    via: 'none',
    reason: `VPC ${net.vpc.VpcId} has no interface endpoint for ${serviceName(net.region, service)}, and subnet ${subnetId} has no NAT or internet gateway route.`,
  };
}

/** A default route to a NAT gateway, or to an internet gateway when the ENI has a public IP. */
export function internetPath(net: VpcNetwork, subnetId: string, hasPublicIp: boolean): PathResult {
  const rt = routeTableForSubnet(net, subnetId);
  if (!rt) return { reachable: false, via: 'none', reason: `Subnet ${subnetId} has no route table.` };
  for (const route of internetEgressRoutes(rt)) {
    const target = routeTargetId(route);
    if (target.startsWith('nat-')) {
      return {
        reachable: true,
        via: 'nat-gateway',
        resourceId: target,
        routeTableId: rt.RouteTableId,
        reason: `Route table ${rt.RouteTableId} of subnet ${subnetId} sends ${route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock} to NAT gateway ${target}.`,
      };
    }
    if (target.startsWith('igw-') && hasPublicIp) {
      return {
        reachable: true,
        via: 'internet-gateway',
        resourceId: target,
        routeTableId: rt.RouteTableId,
        reason: `Route table ${rt.RouteTableId} of subnet ${subnetId} sends ${route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock} to internet gateway ${target}, and tasks get public IPs.`,
      };
    }
  }
  return {
    reachable: false,
    via: 'none',
    routeTableId: rt.RouteTableId,
    reason: `Route table ${rt.RouteTableId} of subnet ${subnetId} has no NAT gateway route and no internet gateway route usable without a public IP.`,
  };
}

/**
 * How a subnet reaches S3: a gateway endpoint attached to the subnet's route
 * table, an S3 interface endpoint with private DNS, or internet egress.
 */
export function s3Path(net: VpcNetwork, subnetId: string, hasPublicIp: boolean): PathResult {
  const rt = routeTableForSubnet(net, subnetId);
  if (!rt) return { reachable: false, via: 'none', reason: `Subnet ${subnetId} has no route table.` };
  const gw = gatewayEndpointsFor(net, 's3').find(
    (e) =>
      usable(e) && ((e.RouteTableIds ?? []).includes(rt.RouteTableId!) || (rt.Routes ?? []).some((r) => r.GatewayId === e.VpcEndpointId)),
  );
  if (gw) {
    return {
      reachable: true,
      via: 'gateway-endpoint',
      resourceId: gw.VpcEndpointId,
      routeTableId: rt.RouteTableId,
      reason: `Route table ${rt.RouteTableId} of subnet ${subnetId} routes S3 to gateway endpoint ${gw.VpcEndpointId}.`,
    };
  }
  const iface = interfaceEndpointsFor(net, 's3').find((e) => usable(e) && e.PrivateDnsEnabled);
  if (iface) {
    return {
      reachable: true,
      via: 'interface-endpoint',
      resourceId: iface.VpcEndpointId,
      routeTableId: rt.RouteTableId,
      reason: `Interface endpoint ${iface.VpcEndpointId} (S3, private DNS on) serves subnet ${subnetId}.`,
    };
  }
  const egress = internetPath(net, subnetId, hasPublicIp);
  if (egress.reachable) return egress;
  return {
    reachable: false,
    via: 'none',
    routeTableId: rt.RouteTableId,
    reason: `Route table ${rt.RouteTableId} of subnet ${subnetId} has no route to S3 (no gateway endpoint, NAT or IGW).`,
  };
}
