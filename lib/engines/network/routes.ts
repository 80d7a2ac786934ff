import type { Route, RouteTable } from '@aws-sdk/client-ec2';
import type { VpcNetwork } from './types';

/**
 * The route table that governs a subnet: its explicit association, else the
 * VPC's main route table (AWS's implicit association).
 */
export function routeTableForSubnet(net: VpcNetwork, subnetId: string): RouteTable | undefined {
  const explicit = net.routeTables.find((rt) => rt.Associations?.some((a) => a.SubnetId === subnetId));
  if (explicit) return explicit;
  return net.routeTables.find((rt) => rt.Associations?.some((a) => a.Main));
}

export function isActive(route: Route): boolean {
  return route.State === undefined || route.State === 'active';
}

/** Routes sending everything (0.0.0.0/0 or ::/0) somewhere, i.e. default routes. */
export function defaultRoutes(rt: RouteTable): Route[] {
  return (rt.Routes ?? []).filter((r) => isActive(r) && (r.DestinationCidrBlock === '0.0.0.0/0' || r.DestinationIpv6CidrBlock === '::/0'));
}

/** What a default route points at, as AWS names it. */
export function routeTargetId(route: Route): string {
  return (
    route.NatGatewayId ??
    route.GatewayId ??
    route.EgressOnlyInternetGatewayId ??
    route.TransitGatewayId ??
    route.NetworkInterfaceId ??
    route.InstanceId ??
    route.VpcPeeringConnectionId ??
    route.LocalGatewayId ??
    route.CarrierGatewayId ??
    'unknown-target'
  );
}

/** A default route that leaves the VPC for the internet (IGW, NAT, egress-only IGW). */
export function internetEgressRoutes(rt: RouteTable): Route[] {
  return defaultRoutes(rt).filter((r) => {
    const t = routeTargetId(r);
    return t.startsWith('igw-') || t.startsWith('nat-') || t.startsWith('eigw-');
  });
}
