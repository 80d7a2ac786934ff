/**
 * The network-path engine over hand-built EC2 describe shapes, in the form the
 * SDK returns them. One VPC, two subnets: subnet-a has an explicit route
 * table (rtb-a), subnet-b falls back to the main route table (rtb-main).
 */
import type { Route, RouteTable, VpcEndpoint } from '@aws-sdk/client-ec2';
import { defaultRoutes, internetEgressRoutes, routeTableForSubnet, routeTargetId } from './routes';
import { gatewayEndpointsFor, interfaceEndpointsFor, interfacePath, internetPath, s3Path } from './paths';
import { ecrLayerBucketArn, ecrLayerBucketHost, serviceName } from './service-names';
import type { VpcNetwork } from './types';

const REGION = 'eu-west-1';
const LOCAL: Route = { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' };
const S3_PREFIX_LIST = 'pl-6da54004';
/** EC2 reports endpoint states in lower case ("available"); the SDK's enum spells them capitalised. */
const state = (s: string) => s as VpcEndpoint['State'];

function routeTable(id: string, assoc: { main?: boolean; subnets?: string[] }, routes: Route[] = []): RouteTable {
  return {
    RouteTableId: id,
    VpcId: 'vpc-1',
    Associations: [
      ...(assoc.main
        ? [
            {
              Main: true,
              RouteTableAssociationId: `rtbassoc-${id}-main`,
              RouteTableId: id,
              AssociationState: { State: 'associated' as const },
            },
          ]
        : []),
      ...(assoc.subnets ?? []).map((s) => ({
        Main: false,
        SubnetId: s,
        RouteTableAssociationId: `rtbassoc-${id}-${s}`,
        RouteTableId: id,
        AssociationState: { State: 'associated' as const },
      })),
    ],
    Routes: [LOCAL, ...routes],
  };
}

function gatewayEndpoint(id: string, service: string, routeTableIds: string[], over: Partial<VpcEndpoint> = {}): VpcEndpoint {
  return {
    VpcEndpointId: id,
    VpcEndpointType: 'Gateway',
    VpcId: 'vpc-1',
    ServiceName: `com.amazonaws.${REGION}.${service}`,
    State: state('available'),
    RouteTableIds: routeTableIds,
    ...over,
  };
}

function interfaceEndpoint(id: string, service: string, privateDns: boolean, over: Partial<VpcEndpoint> = {}): VpcEndpoint {
  return {
    VpcEndpointId: id,
    VpcEndpointType: 'Interface',
    VpcId: 'vpc-1',
    ServiceName: `com.amazonaws.${REGION}.${service}`,
    State: state('available'),
    PrivateDnsEnabled: privateDns,
    SubnetIds: ['subnet-a'],
    ...over,
  };
}

function network(over: Partial<VpcNetwork> = {}): VpcNetwork {
  return {
    region: REGION,
    vpc: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' },
    subnets: [
      { SubnetId: 'subnet-a', VpcId: 'vpc-1', AvailabilityZone: `${REGION}a`, MapPublicIpOnLaunch: false },
      { SubnetId: 'subnet-b', VpcId: 'vpc-1', AvailabilityZone: `${REGION}b`, MapPublicIpOnLaunch: false },
    ],
    routeTables: [routeTable('rtb-main', { main: true }), routeTable('rtb-a', { subnets: ['subnet-a'] })],
    endpoints: [],
    natGateways: [],
    internetGateways: [],
    egressOnlyInternetGateways: [],
    ...over,
  };
}

const natRoute = (nat = 'nat-0f1'): Route => ({
  DestinationCidrBlock: '0.0.0.0/0',
  NatGatewayId: nat,
  Origin: 'CreateRoute',
  State: 'active',
});
const igwRoute = (igw = 'igw-0e1'): Route => ({
  DestinationCidrBlock: '0.0.0.0/0',
  GatewayId: igw,
  Origin: 'CreateRoute',
  State: 'active',
});
const s3PrefixRoute = (vpce: string): Route => ({
  DestinationPrefixListId: S3_PREFIX_LIST,
  GatewayId: vpce,
  Origin: 'CreateRoute',
  State: 'active',
});

describe('service names', () => {
  test('PrivateLink names and the ECR layer bucket', () => {
    expect(serviceName('eu-west-1', 'ecr.dkr')).toBe('com.amazonaws.eu-west-1.ecr.dkr');
    expect(ecrLayerBucketArn('us-east-2')).toBe('arn:aws:s3:::prod-us-east-2-starport-layer-bucket/*');
    expect(ecrLayerBucketHost('us-east-2')).toBe('prod-us-east-2-starport-layer-bucket.s3.us-east-2.amazonaws.com');
  });
});

describe('routeTableForSubnet', () => {
  test('an explicit association wins over the main route table', () => {
    expect(routeTableForSubnet(network(), 'subnet-a')?.RouteTableId).toBe('rtb-a');
  });

  test('a subnet without one falls back to the main route table', () => {
    expect(routeTableForSubnet(network(), 'subnet-b')?.RouteTableId).toBe('rtb-main');
  });

  test('the main table may also be explicitly associated with a subnet', () => {
    const net = network({
      routeTables: [routeTable('rtb-main', { main: true, subnets: ['subnet-b'] }), routeTable('rtb-a', { subnets: ['subnet-a'] })],
    });
    expect(routeTableForSubnet(net, 'subnet-b')?.RouteTableId).toBe('rtb-main');
    expect(routeTableForSubnet(net, 'subnet-a')?.RouteTableId).toBe('rtb-a');
  });

  test('without an association or a main table there is none', () => {
    expect(routeTableForSubnet(network({ routeTables: [routeTable('rtb-a', { subnets: ['subnet-a'] })] }), 'subnet-b')).toBeUndefined();
  });

  test('the order of route tables does not matter', () => {
    const net = network({ routeTables: [routeTable('rtb-a', { subnets: ['subnet-a'] }), routeTable('rtb-main', { main: true })] });
    expect(routeTableForSubnet(net, 'subnet-a')?.RouteTableId).toBe('rtb-a');
    expect(routeTableForSubnet(net, 'subnet-b')?.RouteTableId).toBe('rtb-main');
  });
});

describe('routes', () => {
  const rt = routeTable('rtb-x', { subnets: ['subnet-a'] }, [
    natRoute('nat-1'),
    { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1', State: 'active' },
    { DestinationCidrBlock: '192.168.0.0/16', TransitGatewayId: 'tgw-1', State: 'active' },
    { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-dead', State: 'blackhole' },
    s3PrefixRoute('vpce-s3'),
  ]);

  test('default routes are active 0.0.0.0/0 and ::/0 routes only', () => {
    expect(defaultRoutes(rt).map(routeTargetId)).toEqual(['nat-1', 'eigw-1']);
  });

  test('internet egress is a default route to an IGW, NAT or egress-only IGW', () => {
    expect(internetEgressRoutes(rt).map(routeTargetId)).toEqual(['nat-1', 'eigw-1']);
    const tgwDefault = routeTable('rtb-t', {}, [{ DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-1', State: 'active' }]);
    expect(defaultRoutes(tgwDefault)).toHaveLength(1);
    expect(internetEgressRoutes(tgwDefault)).toEqual([]);
  });

  test('routeTargetId names what a route points at', () => {
    expect(routeTargetId({ NatGatewayId: 'nat-1', GatewayId: 'igw-ignored' })).toBe('nat-1');
    expect(routeTargetId({ GatewayId: 'igw-1' })).toBe('igw-1');
    expect(routeTargetId({ VpcPeeringConnectionId: 'pcx-1' })).toBe('pcx-1');
    expect(routeTargetId({ NetworkInterfaceId: 'eni-1' })).toBe('eni-1');
    expect(routeTargetId({ DestinationCidrBlock: '0.0.0.0/0' })).toBe('unknown-target');
  });
});

describe('s3Path', () => {
  test('no endpoint, NAT or IGW: unreachable, naming the route table and subnet', () => {
    expect(s3Path(network(), 'subnet-a', false)).toEqual({
      reachable: false,
      via: 'none',
      routeTableId: 'rtb-a',
      reason: 'Route table rtb-a of subnet subnet-a has no route to S3 (no gateway endpoint, NAT or IGW).',
    });
  });

  test('a gateway endpoint listing the route table in RouteTableIds', () => {
    const net = network({ endpoints: [gatewayEndpoint('vpce-s3', 's3', ['rtb-a'])] });
    expect(s3Path(net, 'subnet-a', false)).toMatchObject({
      reachable: true,
      via: 'gateway-endpoint',
      resourceId: 'vpce-s3',
      routeTableId: 'rtb-a',
    });
    expect(s3Path(net, 'subnet-a', false).reason).toBe('Route table rtb-a of subnet subnet-a routes S3 to gateway endpoint vpce-s3.');
  });

  test('a gateway endpoint seen only as a prefix-list route with GatewayId vpce-…', () => {
    const net = network({
      routeTables: [routeTable('rtb-main', { main: true }), routeTable('rtb-a', { subnets: ['subnet-a'] }, [s3PrefixRoute('vpce-s3')])],
      endpoints: [gatewayEndpoint('vpce-s3', 's3', [])],
    });
    expect(s3Path(net, 'subnet-a', false)).toMatchObject({ reachable: true, via: 'gateway-endpoint', resourceId: 'vpce-s3' });
  });

  test('an endpoint on only one route table serves only that table’s subnets', () => {
    const net = network({ endpoints: [gatewayEndpoint('vpce-s3', 's3', ['rtb-a'])] });
    expect(s3Path(net, 'subnet-a', false).reachable).toBe(true);
    expect(s3Path(net, 'subnet-b', false)).toMatchObject({ reachable: false, via: 'none', routeTableId: 'rtb-main' });
  });

  test('a subnet on the main route table is served by an endpoint on the main table', () => {
    const net = network({ endpoints: [gatewayEndpoint('vpce-s3', 's3', ['rtb-main'])] });
    expect(s3Path(net, 'subnet-b', false)).toMatchObject({ reachable: true, via: 'gateway-endpoint', routeTableId: 'rtb-main' });
    expect(s3Path(net, 'subnet-a', false).reachable).toBe(false);
  });

  test.each(['pending', 'deleting', 'deleted', 'failed', 'rejected'])('a gateway endpoint in state %s carries nothing', (s) => {
    const net = network({ endpoints: [gatewayEndpoint('vpce-s3', 's3', ['rtb-a'], { State: state(s) })] });
    expect(s3Path(net, 'subnet-a', false).reachable).toBe(false);
  });

  test('a state in other capitalisation still counts as available', () => {
    const net = network({ endpoints: [gatewayEndpoint('vpce-s3', 's3', ['rtb-a'], { State: state('Available') })] });
    expect(s3Path(net, 'subnet-a', false).reachable).toBe(true);
  });

  test('gateway endpoints for another service or another region do not carry S3', () => {
    const net = network({
      endpoints: [
        gatewayEndpoint('vpce-ddb', 'dynamodb', ['rtb-a']),
        gatewayEndpoint('vpce-other', 's3', ['rtb-a'], { ServiceName: 'com.amazonaws.us-east-1.s3' }),
      ],
    });
    expect(s3Path(net, 'subnet-a', false).reachable).toBe(false);
    expect(gatewayEndpointsFor(net, 's3')).toEqual([]);
  });

  test('an S3 interface endpoint with private DNS serves every subnet', () => {
    const net = network({ endpoints: [interfaceEndpoint('vpce-s3i', 's3', true)] });
    expect(s3Path(net, 'subnet-b', false)).toMatchObject({ reachable: true, via: 'interface-endpoint', resourceId: 'vpce-s3i' });
  });

  test('an S3 interface endpoint with private DNS off does not', () => {
    const net = network({ endpoints: [interfaceEndpoint('vpce-s3i', 's3', false)] });
    expect(s3Path(net, 'subnet-b', false).reachable).toBe(false);
  });

  test('a NAT default route reaches S3 over the internet', () => {
    const net = network({
      routeTables: [routeTable('rtb-main', { main: true }), routeTable('rtb-a', { subnets: ['subnet-a'] }, [natRoute('nat-1')])],
    });
    expect(s3Path(net, 'subnet-a', false)).toMatchObject({
      reachable: true,
      via: 'nat-gateway',
      resourceId: 'nat-1',
      routeTableId: 'rtb-a',
    });
  });

  test('an IGW default route reaches S3 only with a public IP', () => {
    const net = network({
      routeTables: [routeTable('rtb-main', { main: true }), routeTable('rtb-a', { subnets: ['subnet-a'] }, [igwRoute('igw-1')])],
    });
    expect(s3Path(net, 'subnet-a', true)).toMatchObject({ reachable: true, via: 'internet-gateway', resourceId: 'igw-1' });
    expect(s3Path(net, 'subnet-a', false)).toMatchObject({ reachable: false, via: 'none' });
  });

  test('a gateway endpoint is preferred over a NAT route', () => {
    const net = network({
      routeTables: [routeTable('rtb-main', { main: true }), routeTable('rtb-a', { subnets: ['subnet-a'] }, [natRoute('nat-1')])],
      endpoints: [gatewayEndpoint('vpce-s3', 's3', ['rtb-a'])],
    });
    expect(s3Path(net, 'subnet-a', false).via).toBe('gateway-endpoint');
  });

  test('a subnet with no route table at all', () => {
    const net = network({ routeTables: [] });
    expect(s3Path(net, 'subnet-a', false)).toEqual({ reachable: false, via: 'none', reason: 'Subnet subnet-a has no route table.' });
  });
});

describe('internetPath', () => {
  const withRoutes = (...routes: Route[]) => network({ routeTables: [routeTable('rtb-main', { main: true }, routes)] });

  test('a NAT gateway route', () => {
    expect(internetPath(withRoutes(natRoute('nat-9')), 'subnet-b', false)).toEqual({
      reachable: true,
      via: 'nat-gateway',
      resourceId: 'nat-9',
      routeTableId: 'rtb-main',
      reason: 'Route table rtb-main of subnet subnet-b sends 0.0.0.0/0 to NAT gateway nat-9.',
    });
  });

  test('an IGW route with and without a public IP', () => {
    expect(internetPath(withRoutes(igwRoute('igw-9')), 'subnet-b', true)).toMatchObject({
      reachable: true,
      via: 'internet-gateway',
      resourceId: 'igw-9',
    });
    expect(internetPath(withRoutes(igwRoute('igw-9')), 'subnet-b', false)).toEqual({
      reachable: false,
      via: 'none',
      routeTableId: 'rtb-main',
      reason: 'Route table rtb-main of subnet subnet-b has no NAT gateway route and no internet gateway route usable without a public IP.',
    });
  });

  test('a blackholed NAT route carries nothing', () => {
    expect(internetPath(withRoutes({ ...natRoute('nat-gone'), State: 'blackhole' }), 'subnet-b', true).reachable).toBe(false);
  });

  test('an egress-only IGW is IPv6-only egress, not an IPv4 path', () => {
    expect(
      internetPath(
        withRoutes({ DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1', State: 'active' }),
        'subnet-b',
        true,
      ).reachable,
    ).toBe(false);
  });
});

describe('interfacePath', () => {
  test('an available interface endpoint with private DNS serves every subnet of the VPC', () => {
    const net = network({ endpoints: [interfaceEndpoint('vpce-api', 'ecr.api', true)] });
    for (const subnet of ['subnet-a', 'subnet-b']) {
      expect(interfacePath(net, subnet, 'ecr.api')).toEqual({
        reachable: true,
        via: 'interface-endpoint',
        resourceId: 'vpce-api',
        reason: `Interface endpoint vpce-api (com.amazonaws.${REGION}.ecr.api, private DNS on) serves ${subnet === 'subnet-a' ? 'subnet subnet-a' : 'subnet subnet-b'}.`,
      });
    }
  });

  test('private DNS off: the public hostname still resolves, so it is unreachable', () => {
    const net = network({ endpoints: [interfaceEndpoint('vpce-api', 'ecr.api', false)] });
    expect(interfacePath(net, 'subnet-a', 'ecr.api')).toEqual({
      reachable: false,
      via: 'none',
      reason: `Interface endpoint vpce-api for com.amazonaws.${REGION}.ecr.api has private DNS off, so the service hostname still resolves to public addresses; subnet subnet-a has no other route to it.`,
    });
  });

  test('private DNS off but a NAT route: reachable over the internet', () => {
    const net = network({
      endpoints: [interfaceEndpoint('vpce-api', 'ecr.api', false)],
      routeTables: [routeTable('rtb-main', { main: true }, [natRoute('nat-1')])],
    });
    expect(interfacePath(net, 'subnet-b', 'ecr.api')).toMatchObject({ reachable: true, via: 'nat-gateway' });
  });

  test('an endpoint that is not yet available', () => {
    const net = network({ endpoints: [interfaceEndpoint('vpce-api', 'ecr.api', true, { State: state('pendingAcceptance') })] });
    expect(interfacePath(net, 'subnet-a', 'ecr.api')).toMatchObject({
      reachable: false,
      reason: expect.stringMatching(/^Interface endpoint vpce-api for com\.amazonaws\.eu-west-1\.ecr\.api is pendingAcceptance;/),
    });
  });

  test('an endpoint for another service does not count', () => {
    const net = network({ endpoints: [interfaceEndpoint('vpce-dkr', 'ecr.dkr', true)] });
    expect(interfacePath(net, 'subnet-a', 'ecr.api')).toEqual({
      reachable: false,
      via: 'none',
      reason: `VPC vpc-1 has no interface endpoint for com.amazonaws.${REGION}.ecr.api, and subnet subnet-a has no NAT or internet gateway route.`,
    });
  });

  test('an IGW route without a public IP is no path to an AWS API', () => {
    const net = network({ routeTables: [routeTable('rtb-main', { main: true }, [igwRoute()])] });
    expect(interfacePath(net, 'subnet-b', 'logs').reachable).toBe(false);
  });

  test('an endpoint with no type reported is treated as an interface endpoint; a gateway endpoint is not one', () => {
    const untyped = interfaceEndpoint('vpce-logs', 'logs', true, { VpcEndpointType: undefined });
    const net = network({ endpoints: [untyped, gatewayEndpoint('vpce-s3', 's3', ['rtb-a'])] });
    expect(interfaceEndpointsFor(net, 'logs').map((e) => e.VpcEndpointId)).toEqual(['vpce-logs']);
    expect(interfaceEndpointsFor(net, 's3')).toEqual([]);
  });
});
