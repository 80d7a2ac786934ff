/**
 * patch_ec2_vpc_endpoint_route_tables: ModifyVpcEndpoint's route-table
 * changes add and remove the gateway endpoint's prefix-list routes, and
 * DeleteVpcEndpoints deletes the endpoint (no longer listed) even when a
 * route it expects is gone.
 *
 * AWS sources: "ModifyVpcEndpoint" and "DeleteVpcEndpoints" (Amazon EC2 API
 * Reference), "Gateway endpoints" (AWS PrivateLink guide, Routing).
 */
import {
  CreateRouteTableCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteRouteCommand,
  DeleteVpcEndpointsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcEndpointCommand,
  Route,
} from '@aws-sdk/client-ec2';
import { clientConfig, Flavour, FLAVOURS, MotoPair, startMotoPair } from './cfn-harness';

interface Outcome {
  /** Routes to the endpoint per route table, after each step. */
  afterCreate: Record<string, Route[]>;
  afterAdd: Record<string, Route[]>;
  afterRemove: Record<string, Route[]>;
  deleteError?: string;
  /** Endpoints DescribeVpcEndpoints lists after the delete (all states). */
  listedAfterDelete: { id: string; state?: string }[];
  /** Routes to the endpoint left in either table after the delete. */
  routesAfterDelete: number;
}

async function routesTo(ec2: EC2Client, endpointId: string, tables: string[]): Promise<Record<string, Route[]>> {
  const out = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: tables }));
  return Object.fromEntries(
    (out.RouteTables ?? []).map((t) => [t.RouteTableId!, (t.Routes ?? []).filter((r) => r.GatewayId === endpointId)]),
  );
}

describe('ModifyVpcEndpoint route tables and DeleteVpcEndpoints on a gateway endpoint', () => {
  let motos: MotoPair;
  const outcome = {} as Record<Flavour, Outcome & { first: string; second: string; endpoint: string }>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const ec2 = new EC2Client(clientConfig(motos[flavour].endpoint));
      const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.71.0.0/16' }))).Vpc!.VpcId!;
      const first = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
      const second = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
      const endpoint = (
        await ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: vpcId,
            ServiceName: 'com.amazonaws.us-east-1.s3',
            VpcEndpointType: 'Gateway',
            RouteTableIds: [first],
          }),
        )
      ).VpcEndpoint!.VpcEndpointId!;
      const tables = [first, second];
      const afterCreate = await routesTo(ec2, endpoint, tables);
      await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpoint, AddRouteTableIds: [second] }));
      const afterAdd = await routesTo(ec2, endpoint, tables);
      await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpoint, RemoveRouteTableIds: [first] }));
      const afterRemove = await routesTo(ec2, endpoint, tables);
      let deleteError: string | undefined;
      try {
        const out = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpoint] }));
        expect(out.Unsuccessful ?? []).toEqual([]);
      } catch (err) {
        deleteError = (err as Error).name;
      }
      const listed = await ec2.send(new DescribeVpcEndpointsCommand({}));
      const left = await routesTo(ec2, endpoint, tables);
      outcome[flavour] = {
        first,
        second,
        endpoint,
        afterCreate,
        afterAdd,
        afterRemove,
        deleteError,
        listedAfterDelete: (listed.VpcEndpoints ?? []).map((e) => ({ id: e.VpcEndpointId!, state: e.State })),
        routesAfterDelete: Object.values(left).flat().length,
      };
      ec2.destroy();
    }
  });

  afterAll(async () => {
    await motos?.stop();
  });

  test.each(FLAVOURS)('%s moto: CreateVpcEndpoint routes the S3 prefix list to the endpoint in its route table', (flavour) => {
    const o = outcome[flavour];
    expect(o.afterCreate[o.first]).toHaveLength(1);
    expect(o.afterCreate[o.first][0].DestinationPrefixListId).toMatch(/^pl-/);
    expect(o.afterCreate[o.second]).toEqual([]);
  });

  test('stock moto adds no route, keeps the removed one, fails the delete and keeps listing the endpoint (patch still needed)', () => {
    const o = outcome.stock;
    expect(o.afterAdd[o.second]).toEqual([]);
    expect(o.afterRemove[o.first]).toHaveLength(1);
    expect(o.deleteError).toBe('InvalidRoute.NotFound');
    expect(o.listedAfterDelete).toEqual([{ id: o.endpoint, state: 'available' }]);
  });

  test('patched moto: AddRouteTableIds adds the prefix-list route to the endpoint', () => {
    const o = outcome.patched;
    expect(o.afterAdd[o.second]).toHaveLength(1);
    expect(o.afterAdd[o.second][0]).toMatchObject({
      DestinationPrefixListId: o.afterCreate[o.first][0].DestinationPrefixListId,
      State: 'active',
    });
    expect(o.afterAdd[o.first]).toHaveLength(1);
  });

  test('patched moto: RemoveRouteTableIds removes the route from that table only', () => {
    const o = outcome.patched;
    expect(o.afterRemove[o.first]).toEqual([]);
    expect(o.afterRemove[o.second]).toHaveLength(1);
  });

  test('patched moto: DeleteVpcEndpoints deletes the remaining routes and the endpoint leaves the listing', () => {
    const o = outcome.patched;
    expect(o.deleteError).toBeUndefined();
    expect(o.routesAfterDelete).toBe(0);
    expect(o.listedAfterDelete).toEqual([]);
  });
});

describe('DeleteVpcEndpoints when a route the endpoint expects is already gone, and the default endpoint type', () => {
  let motos: MotoPair;
  const result = {} as Record<
    Flavour,
    { routeGone: { deleteError?: string; listed: number }; untyped: { type?: string; deleteStatus?: number } }
  >;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const ec2 = new EC2Client(clientConfig(motos[flavour].endpoint));
      const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.72.0.0/16' }))).Vpc!.VpcId!;
      const rt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
      const ep = (
        await ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: vpcId,
            ServiceName: 'com.amazonaws.us-east-1.dynamodb',
            VpcEndpointType: 'Gateway',
            RouteTableIds: [rt],
          }),
        )
      ).VpcEndpoint!.VpcEndpointId!;
      const pl = (await routesTo(ec2, ep, [rt]))[rt][0].DestinationPrefixListId!;
      // The route goes first (a cleanup that deletes routes before endpoints, say).
      await ec2.send(new DeleteRouteCommand({ RouteTableId: rt, DestinationPrefixListId: pl }));
      let deleteError: string | undefined;
      try {
        await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [ep] }));
      } catch (err) {
        deleteError = (err as Error).name;
      }
      const listed = (await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? [];

      // No VpcEndpointType: CreateVpcEndpoint's documented default is Gateway.
      const untyped = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3' })))
        .VpcEndpoint!;
      let deleteStatus: number | undefined = 200;
      try {
        await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [untyped.VpcEndpointId!] }));
      } catch (err) {
        deleteStatus = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      }
      result[flavour] = {
        routeGone: { deleteError, listed: listed.filter((e) => String(e.State).toLowerCase() !== 'deleted').length },
        untyped: { type: untyped.VpcEndpointType, deleteStatus },
      };
      ec2.destroy();
    }
  });

  afterAll(async () => {
    await motos?.stop();
  });

  test('stock moto fails with InvalidRoute.NotFound and keeps the endpoint available (patch still needed)', () => {
    expect(result.stock.routeGone).toEqual({ deleteError: 'InvalidRoute.NotFound', listed: 1 });
  });

  test('stock moto leaves an untyped endpoint without a type and answers its delete with HTTP 500 (patch still needed)', () => {
    expect(result.stock.untyped).toEqual({ type: undefined, deleteStatus: 500 });
  });

  test('patched moto deletes the endpoint whose route is gone', () => {
    expect(result.patched.routeGone).toEqual({ deleteError: undefined, listed: 0 });
  });

  test('patched moto types an untyped endpoint Gateway and deletes it', () => {
    expect(result.patched.untyped).toEqual({ type: 'Gateway', deleteStatus: 200 });
  });
});
