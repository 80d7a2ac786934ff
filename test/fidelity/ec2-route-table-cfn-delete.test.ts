/**
 * patch_ec2_route_table_cfn_delete: deleting a stack with a VPC and a route
 * table removes both, as CloudFormation does.
 */
import { DescribeRouteTablesCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { clientConfig, deletionOnBothFlavours, Template } from './cfn-harness';

const STACK = 'fidelity-route-table-delete';
const TEMPLATE: Template = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.60.0.0/16' } },
    Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.60.1.0/24' } },
    RouteTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
    Assoc: {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: { SubnetId: { Ref: 'Subnet' }, RouteTableId: { Ref: 'RouteTable' } },
    },
  },
};

describe('AWS::EC2::RouteTable deletion with its stack', () => {
  const outcome = deletionOnBothFlavours(
    STACK,
    TEMPLATE,
    (endpoint) => ({ ec2: new EC2Client(clientConfig(endpoint)) }),
    async ({ ec2 }, ids) => {
      const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [ids.Vpc] }] }));
      const rts = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route-table-id', Values: [ids.RouteTable] }] }));
      return { vpcLeft: (vpcs.Vpcs ?? []).length > 0, routeTableLeft: (rts.RouteTables ?? []).length > 0 };
    },
  );

  test('stock moto cannot delete the stack: the route table stays and blocks the VPC (patch still needed)', () => {
    expect(outcome.stock.routeTableLeft).toBe(true);
    expect(outcome.stock.vpcLeft).toBe(true);
    expect(outcome.stock.deleteError).toBe('DependencyViolation');
  });

  test('patched moto deletes the route table and the VPC', () => {
    expect(outcome.patched).toEqual({ deleteError: undefined, vpcLeft: false, routeTableLeft: false });
  });
});
