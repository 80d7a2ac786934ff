/**
 * patch_ec2_internet_gateway_cfn_delete: deleting a stack with public
 * subnets (an internet gateway, its VPC attachment and a default route)
 * removes the gateway and the VPC, as CloudFormation does.
 */
import { DescribeInternetGatewaysCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { clientConfig, deletionOnBothFlavours, Template } from './cfn-harness';

const STACK = 'fidelity-igw-delete';
const TEMPLATE: Template = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.61.0.0/16' } },
    Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.61.1.0/24', MapPublicIpOnLaunch: true } },
    RouteTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
    Assoc: {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: { SubnetId: { Ref: 'Subnet' }, RouteTableId: { Ref: 'RouteTable' } },
    },
    Igw: { Type: 'AWS::EC2::InternetGateway', Properties: {} },
    Attach: { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: { Ref: 'Vpc' }, InternetGatewayId: { Ref: 'Igw' } } },
    DefaultRoute: {
      Type: 'AWS::EC2::Route',
      Properties: { RouteTableId: { Ref: 'RouteTable' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } },
      DependsOn: ['Attach'],
    },
  },
};

describe('AWS::EC2::InternetGateway deletion with its stack', () => {
  const outcome = deletionOnBothFlavours(
    STACK,
    TEMPLATE,
    (endpoint) => ({ ec2: new EC2Client(clientConfig(endpoint)) }),
    async ({ ec2 }, ids) => {
      const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [ids.Vpc] }] }));
      const igws = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'internet-gateway-id', Values: [ids.Igw] }] }));
      return { vpcLeft: (vpcs.Vpcs ?? []).length > 0, igwLeft: (igws.InternetGateways ?? []).length > 0 };
    },
  );

  test('stock moto cannot delete the stack: the attached gateway stays and blocks the VPC (patch still needed)', () => {
    expect(outcome.stock.igwLeft).toBe(true);
    expect(outcome.stock.vpcLeft).toBe(true);
    expect(outcome.stock.deleteError).toBe('DependencyViolation');
  });

  test('patched moto detaches and deletes the gateway, then the VPC', () => {
    expect(outcome.patched).toEqual({ deleteError: undefined, vpcLeft: false, igwLeft: false });
  });
});
