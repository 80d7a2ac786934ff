import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import scenario from '..';
import { FargatePullStack } from '../stack';
import type { TargetKind } from '../../../lib/targets/target';

function synth(targetKind: TargetKind): Template {
  const app = new App();
  const stack = scenario.buildStack(app, {
    stackName: 'fargate-cannot-pull-image',
    scenarioId: scenario.id,
    variant: 'no-s3-path',
    targetKind,
  });
  expect(stack).toBeInstanceOf(FargatePullStack);
  return Template.fromStack(stack);
}

describe('fargate-cannot-pull-image stack', () => {
  test.each(['moto', 'aws'] as const)('%s: isolated subnets in two AZs, no NAT, no IGW', (kind) => {
    const t = synth(kind);
    t.resourceCountIs('AWS::EC2::Subnet', 2);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::InternetGateway', 0);
    t.resourceCountIs('AWS::EC2::RouteTable', 2);
    t.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    t.hasResourceProperties('AWS::EC2::VPC', { EnableDnsHostnames: true, EnableDnsSupport: true });
  });

  test.each(['moto', 'aws'] as const)('%s: ECR and Logs interface endpoints with private DNS, and no S3 endpoint', (kind) => {
    const t = synth(kind);
    const endpoints = t.findResources('AWS::EC2::VPCEndpoint');
    const services = Object.values(endpoints).map((r) => JSON.stringify(r.Properties.ServiceName));
    expect(services).toHaveLength(3);
    expect(services.join(' ')).toMatch(/ecr\.api/);
    expect(services.join(' ')).toMatch(/ecr\.dkr/);
    expect(services.join(' ')).toMatch(/\.logs/);
    expect(services.join(' ')).not.toMatch(/\.s3/);
    for (const r of Object.values(endpoints)) {
      expect(r.Properties.VpcEndpointType).toBe('Interface');
      expect(r.Properties.PrivateDnsEnabled).toBe(true);
    }
  });

  test('Fargate service in the private subnets without public IPs, execution role with the managed policy', () => {
    const t = synth('moto');
    t.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
      DesiredCount: 1,
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      ExecutionRoleArn: Match.anyValue(),
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.arrayWith([
        Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith([':iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'])]),
        }),
      ]),
    });
    t.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'fargate-cannot-pull-image-app', EmptyOnDelete: true });
  });

  test('on AWS the service is created empty and an inline custom resource seeds the image and asks for one task', () => {
    const t = synth('aws');
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
    t.hasResourceProperties('AWS::Lambda::Function', { Code: { ZipFile: Match.stringLikeRegexp('cfnresponse') } });
    t.hasResourceProperties('AWS::CloudFormation::CustomResource', { DesiredCount: '1', SourceRepository: 'docker/library/busybox' });
    const zip = Object.values(t.findResources('AWS::Lambda::Function'))[0].Properties.Code.ZipFile as string;
    expect(zip.length).toBeLessThan(4096);
  });

  test('emulator templates have no Lambda (moto would need Docker to run it)', () => {
    synth('moto').resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('learner prefix reaches physical names', () => {
    const app = new App();
    const stack = scenario.buildStack(app, {
      stackName: 'ana-fargate-cannot-pull-image',
      scenarioId: scenario.id,
      learner: 'ana',
      variant: 'no-s3-path',
      targetKind: 'moto',
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'ana-fargate-cannot-pull-image-app' });
    t.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'ana-fargate-cannot-pull-image-cluster' });
  });
});
