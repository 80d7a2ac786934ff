/**
 * patch_ec2_modify_vpc_endpoint_private_dns: ModifyVpcEndpoint's
 * PrivateDnsEnabled reaches DescribeVpcEndpoints.
 */
import {
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcEndpointCommand,
} from '@aws-sdk/client-ec2';
import { clientConfig, Flavour, FLAVOURS, MotoPair, startMotoPair } from './cfn-harness';

describe('ModifyVpcEndpoint PrivateDnsEnabled', () => {
  let motos: MotoPair;
  const after = {} as Record<Flavour, boolean | undefined>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const ec2 = new EC2Client(clientConfig(motos[flavour].endpoint));
      const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.70.0.0/16' }));
      const ep = await ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: vpc.Vpc!.VpcId,
          VpcEndpointType: 'Interface',
          ServiceName: 'com.amazonaws.us-east-1.ecr.dkr',
          PrivateDnsEnabled: true,
        }),
      );
      await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep.VpcEndpoint!.VpcEndpointId, PrivateDnsEnabled: false }));
      const out = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpoint!.VpcEndpointId!] }));
      after[flavour] = out.VpcEndpoints?.[0]?.PrivateDnsEnabled;
      ec2.destroy();
    }
  });

  afterAll(async () => {
    await motos?.stop();
  });

  test('stock moto ignores the change (patch still needed)', () => {
    expect(after.stock).toBe(true);
  });

  test('patched moto reports private DNS off', () => {
    expect(after.patched).toBe(false);
  });
});
