/**
 * patch_ec2_route_table_cfn_delete: deleting a stack with a VPC and a route
 * table removes both, as CloudFormation does.
 */
import { CloudFormationClient, DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeRouteTablesCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { clientConfig, createStack, Flavour, FLAVOURS, MotoPair, physicalIds, startMotoPair, Template } from './cfn-harness';

const STACK = 'fidelity-route-table-delete';
const TEMPLATE: Template = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.60.0.0/16' } },
    Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.60.1.0/24' } },
    RouteTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
    Assoc: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'Subnet' }, RouteTableId: { Ref: 'RouteTable' } } },
  },
};

describe('AWS::EC2::RouteTable deletion with its stack', () => {
  let motos: MotoPair;
  const outcome = {} as Record<Flavour, { deleteError?: string; vpcLeft: boolean; routeTableLeft: boolean }>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const cfg = clientConfig(motos[flavour].endpoint);
      const cfn = new CloudFormationClient(cfg);
      const ec2 = new EC2Client(cfg);
      expect((await createStack(cfn, STACK, TEMPLATE)).status).toBe('CREATE_COMPLETE');
      const ids = await physicalIds(cfn, STACK);
      let deleteError: string | undefined;
      try {
        await cfn.send(new DeleteStackCommand({ StackName: STACK }));
        await cfn.send(new DescribeStacksCommand({ StackName: STACK })).catch(() => undefined);
      } catch (err) {
        deleteError = (err as Error).name;
      }
      const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [ids.Vpc] }] }));
      const rts = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route-table-id', Values: [ids.RouteTable] }] }));
      outcome[flavour] = { deleteError, vpcLeft: (vpcs.Vpcs ?? []).length > 0, routeTableLeft: (rts.RouteTables ?? []).length > 0 };
      cfn.destroy();
      ec2.destroy();
    }
  });

  afterAll(async () => {
    await motos?.stop();
  });

  test('stock moto cannot delete the stack: the route table stays and blocks the VPC (patch still needed)', () => {
    expect(outcome.stock.routeTableLeft).toBe(true);
    expect(outcome.stock.vpcLeft).toBe(true);
    expect(outcome.stock.deleteError).toBe('DependencyViolation');
  });

  test('patched moto deletes the route table and the VPC', () => {
    expect(outcome.patched).toEqual({ deleteError: undefined, vpcLeft: false, routeTableLeft: false });
  });
});
