/**
 * patch_ec2_vpc_dns_attributes_cfn: AWS::EC2::VPC EnableDnsHostnames and
 * EnableDnsSupport reach DescribeVpcAttribute, on create and on update.
 */
import { DescribeVpcAttributeCommand, EC2Client } from '@aws-sdk/client-ec2';
import { clientConfig, cloneTemplate, FLAVOURS, physicalIds, stackOnBothFlavours, Template, updateStack } from './cfn-harness';

const STACK = 'fidelity-vpc-dns';

const TEMPLATE: Template = {
  Resources: {
    // What an interface endpoint with private DNS needs: both on.
    DnsVpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.50.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true } },
    // The classic break: Route 53 Resolver turned off.
    NoDnsVpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.51.0.0/16', EnableDnsSupport: false } },
  },
};

async function dns(ec2: EC2Client, vpcId: string): Promise<{ hostnames?: boolean; support?: boolean }> {
  const h = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }));
  const s = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' }));
  return { hostnames: h.EnableDnsHostnames?.Value, support: s.EnableDnsSupport?.Value };
}

describe('AWS::EC2::VPC DNS attributes via CloudFormation', () => {
  const { clients, ids } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({ ec2: new EC2Client(clientConfig(endpoint)) }));

  test('stock moto ignores both properties (patch still needed)', async () => {
    const { ec2 } = clients.stock;
    expect(await dns(ec2, ids.stock.DnsVpc)).toEqual({ hostnames: false, support: true });
    expect(await dns(ec2, ids.stock.NoDnsVpc)).toEqual({ hostnames: false, support: true });
  });

  test('patched moto reports what the template set, with the documented defaults otherwise', async () => {
    const { ec2 } = clients.patched;
    expect(await dns(ec2, ids.patched.DnsVpc)).toEqual({ hostnames: true, support: true });
    // EnableDnsHostnames absent: false for a nondefault VPC.
    expect(await dns(ec2, ids.patched.NoDnsVpc)).toEqual({ hostnames: false, support: false });
  });

  test('a stack update changes the attributes in place (update without interruption)', async () => {
    const updated = cloneTemplate(TEMPLATE);
    updated.Resources.NoDnsVpc.Properties = { CidrBlock: '10.51.0.0/16', EnableDnsSupport: true, EnableDnsHostnames: true };
    // Removing the properties restores the defaults.
    updated.Resources.DnsVpc.Properties = { CidrBlock: '10.50.0.0/16' };
    for (const flavour of FLAVOURS) {
      expect(await updateStack(clients[flavour].cfn, STACK, updated)).toBe('UPDATE_COMPLETE');
    }
    expect(await dns(clients.stock.ec2, ids.stock.NoDnsVpc)).toEqual({ hostnames: false, support: true });

    const { cfn, ec2 } = clients.patched;
    const after = await physicalIds(cfn, STACK);
    expect(after.NoDnsVpc).toBe(ids.patched.NoDnsVpc);
    expect(after.DnsVpc).toBe(ids.patched.DnsVpc);
    expect(await dns(ec2, ids.patched.NoDnsVpc)).toEqual({ hostnames: true, support: true });
    expect(await dns(ec2, ids.patched.DnsVpc)).toEqual({ hostnames: false, support: true });
  });
});
