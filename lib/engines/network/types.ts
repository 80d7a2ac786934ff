import type { InternetGateway, NatGateway, RouteTable, Subnet, Vpc, VpcEndpoint, EgressOnlyInternetGateway } from '@aws-sdk/client-ec2';

/** Everything the path analysis needs about one VPC, as EC2's describe calls return it. */
export interface VpcNetwork {
  readonly region: string;
  readonly vpc: Vpc;
  readonly subnets: readonly Subnet[];
  readonly routeTables: readonly RouteTable[];
  readonly endpoints: readonly VpcEndpoint[];
  readonly natGateways: readonly NatGateway[];
  readonly internetGateways: readonly InternetGateway[];
  readonly egressOnlyInternetGateways: readonly EgressOnlyInternetGateway[];
}

export type PathKind = 'gateway-endpoint' | 'interface-endpoint' | 'nat-gateway' | 'internet-gateway' | 'none';

export interface PathResult {
  readonly reachable: boolean;
  readonly via: PathKind;
  /** The resource that carries the traffic (vpce-, nat-, igw-). */
  readonly resourceId?: string;
  readonly routeTableId?: string;
  /** One sentence naming the subnet, route table and what decided. */
  readonly reason: string;
}
