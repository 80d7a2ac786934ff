import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import scenario from '..';
import { HealthCheckStack } from '../stack';
import type { TargetKind } from '../../../lib/targets/target';
import { APP, CURRENT_VERSION, HealthCheckVariant, SECURITY_GROUP_IDS, VARIANTS } from '../lab';

function synth(targetKind: TargetKind, variant: HealthCheckVariant = 'health-path'): Template {
  const app = new App();
  const stack = scenario.buildStack(app, { stackName: scenario.id, scenarioId: scenario.id, variant, targetKind });
  expect(stack).toBeInstanceOf(HealthCheckStack);
  return Template.fromStack(stack);
}

describe('ecs-deployment-fails-health-checks stack', () => {
  test('every variant in scenario.json has a stack', () => {
    expect(scenario.meta.variants.map((v) => v.id)).toEqual([...VARIANTS]);
  });

  test.each(['moto', 'aws'] as const)(
    '%s: private subnets in three AZs for the load balancer and the tasks; no NAT, no internet gateway',
    (kind) => {
      const t = synth(kind);
      t.resourceCountIs('AWS::EC2::Subnet', 6);
      t.resourceCountIs('AWS::EC2::NatGateway', 0);
      t.resourceCountIs('AWS::EC2::InternetGateway', 0);
      t.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal', Type: 'application' });
    },
  );

  test('the target group health-checks the app health endpoint on the traffic port, success only', () => {
    synth('moto').hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Port: APP.defaultPort,
      HealthCheckPath: APP.defaultHealthPath,
      Matcher: { HttpCode: '200' },
    });
  });

  test('the service runs the current version with the circuit breaker and rollback on, behind the target group', () => {
    const t = synth('moto');
    t.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 3,
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      }),
      LoadBalancers: [Match.objectLike({ ContainerName: 'app', ContainerPort: APP.defaultPort })],
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Environment: [{ Name: 'APP_VERSION', Value: CURRENT_VERSION }],
          PortMappings: [Match.objectLike({ ContainerPort: APP.defaultPort })],
        }),
      ],
    });
  });

  test('the tasks admit the load balancer by its security group on the app port; no CIDR rule', () => {
    const t = synth('moto');
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: APP.defaultPort,
      ToPort: APP.defaultPort,
      SourceSecurityGroupId: Match.anyValue(),
    });
  });

  test('only the security-group variant has a release security group; no stack has a network ACL of its own (subnet-acl restricts its subnet at arm time)', () => {
    expect(
      Object.keys(synth('moto', 'security-group').findResources('AWS::EC2::SecurityGroup')).some((k) =>
        k.startsWith(SECURITY_GROUP_IDS.release),
      ),
    ).toBe(true);
    expect(
      Object.keys(synth('moto', 'health-path').findResources('AWS::EC2::SecurityGroup')).some((k) =>
        k.startsWith(SECURITY_GROUP_IDS.release),
      ),
    ).toBe(false);
    synth('moto', 'subnet-acl').resourceCountIs('AWS::EC2::NetworkAcl', 0);
    synth('moto', 'container-port').resourceCountIs('AWS::EC2::NetworkAcl', 0);
  });

  test('AWS only: the image comes through a pull-through cache for ECR Public, which the execution role may fill', () => {
    synth('moto').resourceCountIs('AWS::ECR::PullThroughCacheRule', 0);
    const t = synth('aws');
    t.hasResourceProperties('AWS::ECR::PullThroughCacheRule', { UpstreamRegistryUrl: 'public.ecr.aws' });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'] })]),
      },
    });
  });
});
