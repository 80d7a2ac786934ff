import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LabVpc } from './lab-vpc';

function synth(props: ConstructorParameters<typeof LabVpc>[2]): { vpc: LabVpc; t: Template } {
  const stack = new Stack(new App(), 'LabVpcTest', { env: { region: 'us-east-1', account: '111122223333' } });
  const vpc = new LabVpc(stack, 'LabVpc', props);
  return { vpc, t: Template.fromStack(stack) };
}

test('defaults: isolated subnets named app in two AZs, DNS on, no NAT, no internet gateway', () => {
  const { vpc, t } = synth({ cidr: '10.50.0.0/16' });
  t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.50.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
  t.resourceCountIs('AWS::EC2::Subnet', 2);
  t.resourceCountIs('AWS::EC2::NatGateway', 0);
  t.resourceCountIs('AWS::EC2::InternetGateway', 0);
  t.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.50.0.0/24', MapPublicIpOnLaunch: false });
  expect(vpc.labSubnets).toEqual({ subnetGroupName: 'app' });
  expect(vpc.selectSubnets(vpc.labSubnets).subnetIds).toHaveLength(2);
  // The default security group is left alone: restricting it needs a Lambda-backed custom resource.
  expect(Object.keys(t.findResources('Custom::VpcRestrictDefaultSG'))).toEqual([]);
});

test('public reach: an internet gateway and a default route to it, still no NAT', () => {
  const { vpc, t } = synth({ cidr: '10.51.0.0/16', reach: 'public', subnetGroupName: 'public', maxAzs: 3, cidrMask: 26 });
  t.resourceCountIs('AWS::EC2::InternetGateway', 1);
  t.resourceCountIs('AWS::EC2::NatGateway', 0);
  t.resourceCountIs('AWS::EC2::Subnet', 3);
  t.hasResourceProperties('AWS::EC2::Route', { DestinationCidrBlock: '0.0.0.0/0', GatewayId: Match.anyValue() });
  t.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.51.0.0/26' });
  expect(vpc.labSubnets).toEqual({ subnetGroupName: 'public' });
});

test('a subnet size AWS would refuse is a sentence, up front', () => {
  expect(() => synth({ cidr: '10.52.0.0/16', cidrMask: 29 })).toThrow(
    'LabVpc LabVpc: cidrMask must be between 16 and 28 (a subnet AWS accepts), not 29.',
  );
});
