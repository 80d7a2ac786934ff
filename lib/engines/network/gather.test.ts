/**
 * readVpcNetwork against recorded describe answers: what it asks for, and
 * which resources it leaves out because they no longer carry traffic.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { readVpcNetwork } from './gather';

type Answers = Record<string, unknown>;

/** An EC2 client stand-in answering each command from a recording, and noting what it was asked. */
function recordedEc2(answers: Answers): { ec2: EC2Client; asked: { command: string; input: unknown }[] } {
  const asked: { command: string; input: unknown }[] = [];
  const ec2 = {
    send: async (cmd: { constructor: { name: string }; input: unknown }) => {
      const command = cmd.constructor.name;
      asked.push({ command, input: cmd.input });
      if (!(command in answers)) throw new Error(`no recorded answer for ${command}`);
      return answers[command];
    },
  } as unknown as EC2Client;
  return { ec2, asked };
}

const RECORDED: Answers = {
  DescribeVpcsCommand: { Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' }] },
  DescribeSubnetsCommand: { Subnets: [{ SubnetId: 'subnet-a', VpcId: 'vpc-1' }] },
  DescribeRouteTablesCommand: { RouteTables: [{ RouteTableId: 'rtb-main', Associations: [{ Main: true }] }] },
  DescribeVpcEndpointsCommand: {
    VpcEndpoints: [
      { VpcEndpointId: 'vpce-live', State: 'available' },
      { VpcEndpointId: 'vpce-pending', State: 'pending' },
      { VpcEndpointId: 'vpce-deleted', State: 'deleted' },
      { VpcEndpointId: 'vpce-deleting', State: 'Deleting' },
      { VpcEndpointId: 'vpce-rejected', State: 'rejected' },
      { VpcEndpointId: 'vpce-failed', State: 'failed' },
    ],
  },
  DescribeNatGatewaysCommand: {
    NatGateways: [
      { NatGatewayId: 'nat-live', State: 'available' },
      { NatGatewayId: 'nat-deleted', State: 'deleted' },
      { NatGatewayId: 'nat-deleting', State: 'deleting' },
    ],
  },
  DescribeInternetGatewaysCommand: {
    InternetGateways: [{ InternetGatewayId: 'igw-1', Attachments: [{ VpcId: 'vpc-1', State: 'available' }] }],
  },
  DescribeEgressOnlyInternetGatewaysCommand: {
    EgressOnlyInternetGateways: [
      { EgressOnlyInternetGatewayId: 'eigw-mine', Attachments: [{ VpcId: 'vpc-1', State: 'attached' }] },
      { EgressOnlyInternetGatewayId: 'eigw-other', Attachments: [{ VpcId: 'vpc-2', State: 'attached' }] },
    ],
  },
};

test('reads the VPC with seven describe calls, each scoped to the VPC', async () => {
  const { ec2, asked } = recordedEc2(RECORDED);
  await readVpcNetwork(ec2, 'eu-west-1', 'vpc-1');
  expect(asked.map((a) => a.command).sort()).toEqual(Object.keys(RECORDED).sort());
  const byVpc = [{ Name: 'vpc-id', Values: ['vpc-1'] }];
  const input = (c: string) => asked.find((a) => a.command === c)!.input;
  expect(input('DescribeVpcsCommand')).toEqual({ VpcIds: ['vpc-1'] });
  expect(input('DescribeSubnetsCommand')).toEqual({ Filters: byVpc });
  expect(input('DescribeRouteTablesCommand')).toEqual({ Filters: byVpc });
  expect(input('DescribeVpcEndpointsCommand')).toEqual({ Filters: byVpc });
  expect(input('DescribeNatGatewaysCommand')).toEqual({ Filter: byVpc });
  expect(input('DescribeInternetGatewaysCommand')).toEqual({ Filters: [{ Name: 'attachment.vpc-id', Values: ['vpc-1'] }] });
  expect(asked.every((a) => a.command.startsWith('Describe'))).toBe(true);
});

test('keeps what can carry traffic, drops what is gone or going', async () => {
  const { ec2 } = recordedEc2(RECORDED);
  const net = await readVpcNetwork(ec2, 'eu-west-1', 'vpc-1');
  expect(net.region).toBe('eu-west-1');
  expect(net.vpc.VpcId).toBe('vpc-1');
  expect(net.endpoints.map((e) => e.VpcEndpointId)).toEqual(['vpce-live', 'vpce-pending']);
  expect(net.natGateways.map((n) => n.NatGatewayId)).toEqual(['nat-live']);
  expect(net.internetGateways.map((g) => g.InternetGatewayId)).toEqual(['igw-1']);
  expect(net.egressOnlyInternetGateways.map((g) => g.EgressOnlyInternetGatewayId)).toEqual(['eigw-mine']);
});

test('empty answers give empty lists', async () => {
  const { ec2 } = recordedEc2({
    ...Object.fromEntries(Object.keys(RECORDED).map((k) => [k, {}])),
    DescribeVpcsCommand: RECORDED.DescribeVpcsCommand,
  });
  const net = await readVpcNetwork(ec2, 'eu-west-1', 'vpc-1');
  expect([net.subnets, net.routeTables, net.endpoints, net.natGateways, net.internetGateways, net.egressOnlyInternetGateways]).toEqual([
    [],
    [],
    [],
    [],
    [],
    [],
  ]);
});

test('a VPC that does not exist is an error naming it', async () => {
  const { ec2 } = recordedEc2({ ...RECORDED, DescribeVpcsCommand: { Vpcs: [] } });
  await expect(readVpcNetwork(ec2, 'eu-west-1', 'vpc-1')).rejects.toThrow('VPC vpc-1 does not exist');
});

test('an API error is passed on, not swallowed', async () => {
  const { ec2 } = recordedEc2({ ...RECORDED, DescribeRouteTablesCommand: undefined });
  const failing = {
    send: async (cmd: { constructor: { name: string } }) => {
      if (cmd.constructor.name === 'DescribeRouteTablesCommand')
        throw Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' });
      return ec2.send(cmd as never);
    },
  } as unknown as EC2Client;
  await expect(readVpcNetwork(failing, 'eu-west-1', 'vpc-1')).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
});
