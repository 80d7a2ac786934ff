/**
 * patch_ecs_service_deployment_configuration: a service created by
 * CreateService or by CloudFormation keeps its deployment configuration
 * (circuit breaker, rollback, minimum healthy and maximum percent), with
 * ECS's defaults for what was not given; a stack update applies a change.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreateServiceCommand, DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  clientConfig,
  cloneTemplate,
  createStack,
  Flavour,
  FLAVOURS,
  MotoPair,
  physicalIds,
  startMotoPair,
  Template,
  updateStack,
} from './cfn-harness';

const STACK = 'fidelity-ecs-deployment-configuration';
const CLUSTER = 'fidelity-dc-cluster';

const TEMPLATE: Template = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.31.0.0/16' } },
    Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.31.1.0/24', AvailabilityZone: 'us-east-1a' } },
    Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'service', VpcId: { Ref: 'Vpc' } } },
    Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: CLUSTER } },
    TaskDef: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Family: 'fidelity-dc',
        Cpu: '256',
        Memory: '512',
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: [{ Name: 'web', Image: 'public.ecr.aws/nginx/nginx:latest' }],
      },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        ServiceName: 'fidelity-dc-cfn',
        Cluster: { Ref: 'Cluster' },
        TaskDefinition: { Ref: 'TaskDef' },
        LaunchType: 'FARGATE',
        DesiredCount: 1,
        DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 50 },
        NetworkConfiguration: {
          AwsvpcConfiguration: { Subnets: [{ Ref: 'Subnet' }], SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] },
        },
      },
    },
  },
};

describe('ECS service deployment configuration', () => {
  let motos: MotoPair;
  const clients = {} as Record<Flavour, { cfn: CloudFormationClient; ecs: ECSClient; ec2: EC2Client }>;
  const ids = {} as Record<Flavour, Record<string, string>>;
  const describe1 = async (flavour: Flavour, name: string) =>
    (await clients[flavour].ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }))).services![0];

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const endpoint = motos[flavour].endpoint;
      clients[flavour] = {
        cfn: new CloudFormationClient(clientConfig(endpoint)),
        ecs: new ECSClient(clientConfig(endpoint)),
        ec2: new EC2Client(clientConfig(endpoint)),
      };
      expect((await createStack(clients[flavour].cfn, STACK, TEMPLATE)).status).toBe('CREATE_COMPLETE');
      ids[flavour] = await physicalIds(clients[flavour].cfn, STACK);
      // The same service through the API, with only part of the configuration given.
      await clients[flavour].ecs.send(
        new CreateServiceCommand({
          cluster: CLUSTER,
          serviceName: 'fidelity-dc-api',
          taskDefinition: ids[flavour].TaskDef,
          desiredCount: 1,
          launchType: 'FARGATE',
          deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
          networkConfiguration: { awsvpcConfiguration: { subnets: [ids[flavour].Subnet], securityGroups: [ids[flavour].Sg] } },
        }),
      );
    }
  });

  afterAll(async () => {
    for (const c of Object.values(clients)) {
      c.cfn.destroy();
      c.ecs.destroy();
      c.ec2.destroy();
    }
    await motos?.stop();
  });

  test('stock moto returns no deployment configuration for either service (patch still needed)', async () => {
    expect((await describe1('stock', 'fidelity-dc-cfn')).deploymentConfiguration).toBeUndefined();
    expect((await describe1('stock', 'fidelity-dc-api')).deploymentConfiguration).toBeUndefined();
  });

  test('patched moto returns what the template gave, with the defaults for the rest', async () => {
    expect((await describe1('patched', 'fidelity-dc-cfn')).deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 50,
    });
  });

  test('patched moto returns what CreateService gave, with the defaults for the rest', async () => {
    expect((await describe1('patched', 'fidelity-dc-api')).deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: true, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
  });

  test('a stack update applies a changed configuration in place; removing it restores the defaults', async () => {
    const updated = cloneTemplate(TEMPLATE);
    updated.Resources.Service.Properties!.DeploymentConfiguration = { MaximumPercent: 150, MinimumHealthyPercent: 100 };
    const before = await describe1('patched', 'fidelity-dc-cfn');
    expect(await updateStack(clients.patched.cfn, STACK, updated)).toBe('UPDATE_COMPLETE');
    const after = await describe1('patched', 'fidelity-dc-cfn');
    expect(after.serviceArn).toBe(before.serviceArn);
    expect(after.deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 150,
      minimumHealthyPercent: 100,
    });
    delete updated.Resources.Service.Properties!.DeploymentConfiguration;
    expect(await updateStack(clients.patched.cfn, STACK, updated)).toBe('UPDATE_COMPLETE');
    expect((await describe1('patched', 'fidelity-dc-cfn')).deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
  });
});
