/**
 * patch_ec2_subnet_route_table_association_cfn: a CloudFormation
 * AWS::EC2::SubnetRouteTableAssociation shows in DescribeRouteTables, its
 * Ref is the rtbassoc- ID, and an update moves the subnet.
 */
import { DescribeRouteTablesCommand, EC2Client, RouteTable } from '@aws-sdk/client-ec2';
import { clientConfig, cloneTemplate, physicalIds, stackOnBothFlavours, Template, updateStack } from './cfn-harness';

const STACK = 'fidelity-rt-assoc';

const TEMPLATE: Template = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.40.0.0/16' } },
    PrivateSubnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.40.1.0/24' } },
    PrivateRt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
    OtherRt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
    PrivateAssoc: {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: { SubnetId: { Ref: 'PrivateSubnet' }, RouteTableId: { Ref: 'PrivateRt' } },
    },
  },
};

async function routeTable(ec2: EC2Client, id: string): Promise<RouteTable> {
  const out = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] }));
  return out.RouteTables![0];
}

describe('AWS::EC2::SubnetRouteTableAssociation via CloudFormation', () => {
  const { clients, ids } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({ ec2: new EC2Client(clientConfig(endpoint)) }));

  test('stock moto never associates the subnet (patch still needed)', async () => {
    const rt = await routeTable(clients.stock.ec2, ids.stock.PrivateRt);
    expect(rt.Associations ?? []).toEqual([]);
    const bySubnet = await clients.stock.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [ids.stock.PrivateSubnet] }] }),
    );
    expect(bySubnet.RouteTables ?? []).toEqual([]);
    expect(ids.stock.PrivateAssoc).toBe(ids.stock.PrivateRt);
  });

  test('patched moto lists the association as DescribeRouteTables does on AWS', async () => {
    const id = ids.patched;
    expect(id.PrivateAssoc).toMatch(/^rtbassoc-[0-9a-f]+$/);
    const rt = await routeTable(clients.patched.ec2, id.PrivateRt);
    expect(rt.Associations).toEqual([
      {
        Main: false,
        RouteTableAssociationId: id.PrivateAssoc,
        RouteTableId: id.PrivateRt,
        SubnetId: id.PrivateSubnet,
        AssociationState: { State: 'associated' },
      },
    ]);
    const bySubnet = await clients.patched.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [id.PrivateSubnet] }] }),
    );
    expect(bySubnet.RouteTables?.map((t) => t.RouteTableId)).toEqual([id.PrivateRt]);
  });

  test('changing RouteTableId replaces the association: the subnet moves to the new table', async () => {
    const updated = cloneTemplate(TEMPLATE);
    updated.Resources.PrivateAssoc.Properties!.RouteTableId = { Ref: 'OtherRt' };
    const { cfn, ec2 } = clients.patched;
    expect(await updateStack(cfn, STACK, updated)).toBe('UPDATE_COMPLETE');
    const id = await physicalIds(cfn, STACK);
    expect(id.PrivateAssoc).toMatch(/^rtbassoc-/);
    expect(id.PrivateAssoc).not.toBe(ids.patched.PrivateAssoc);
    expect((await routeTable(ec2, id.PrivateRt)).Associations ?? []).toEqual([]);
    expect((await routeTable(ec2, id.OtherRt)).Associations?.map((a) => [a.SubnetId, a.RouteTableAssociationId])).toEqual([
      [id.PrivateSubnet, id.PrivateAssoc],
    ]);
  });
});
