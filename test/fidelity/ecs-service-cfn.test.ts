/**
 * patch_ecs_service_cfn: AWS::ECS::Service from CloudFormation keeps
 * LaunchType, NetworkConfiguration, LoadBalancers and the CloudFormation
 * DesiredCount default, and stack updates apply NetworkConfiguration.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, ECSClient, Service } from '@aws-sdk/client-ecs';
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

const STACK = 'fidelity-ecs-service';
const CLUSTER = 'fidelity-cluster';
const SERVICE = 'fidelity-web';

const TEMPLATE: Template = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.30.0.0/16' } },
    SubnetA: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.30.1.0/24', AvailabilityZone: 'us-east-1a' } },
    SubnetB: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.30.2.0/24', AvailabilityZone: 'us-east-1b' } },
    ServiceSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'service', VpcId: { Ref: 'Vpc' } } },
    OtherSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'other', VpcId: { Ref: 'Vpc' } } },
    TargetGroup: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: { Port: 80, Protocol: 'HTTP', TargetType: 'ip', VpcId: { Ref: 'Vpc' } },
    },
    Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: CLUSTER } },
    TaskDef: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Family: 'fidelity-web',
        Cpu: '256',
        Memory: '512',
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: [{ Name: 'web', Image: 'public.ecr.aws/nginx/nginx:latest', PortMappings: [{ ContainerPort: 80 }] }],
      },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        ServiceName: SERVICE,
        Cluster: { Ref: 'Cluster' },
        TaskDefinition: { Ref: 'TaskDef' },
        LaunchType: 'FARGATE',
        // No DesiredCount: CloudFormation creates the service with 1.
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            AssignPublicIp: 'DISABLED',
            Subnets: [{ Ref: 'SubnetA' }, { Ref: 'SubnetB' }],
            SecurityGroups: [{ 'Fn::GetAtt': ['ServiceSg', 'GroupId'] }],
          },
        },
        LoadBalancers: [{ ContainerName: 'web', ContainerPort: 80, TargetGroupArn: { Ref: 'TargetGroup' } }],
      },
    },
  },
};

async function describeService(ecs: ECSClient): Promise<Service> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
  expect(out.services).toHaveLength(1);
  return out.services![0];
}

describe('AWS::ECS::Service via CloudFormation', () => {
  let motos: MotoPair;
  const services = {} as Record<Flavour, Service>;
  const ids = {} as Record<Flavour, Record<string, string>>;
  const clients = {} as Record<Flavour, { cfn: CloudFormationClient; ecs: ECSClient }>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const endpoint = motos[flavour].endpoint;
      clients[flavour] = { cfn: new CloudFormationClient(clientConfig(endpoint)), ecs: new ECSClient(clientConfig(endpoint)) };
      const { status } = await createStack(clients[flavour].cfn, STACK, TEMPLATE);
      expect(status).toBe('CREATE_COMPLETE');
      ids[flavour] = await physicalIds(clients[flavour].cfn, STACK);
      services[flavour] = await describeService(clients[flavour].ecs);
    }
  });

  afterAll(async () => {
    for (const c of Object.values(clients)) {
      c.cfn.destroy();
      c.ecs.destroy();
    }
    await motos?.stop();
  });

  test('stock moto reports EC2, no network configuration, no load balancer, 0 tasks (patch still needed)', () => {
    const svc = services.stock;
    expect(svc.launchType).toBe('EC2');
    expect(svc.networkConfiguration?.awsvpcConfiguration).toBeUndefined();
    expect(svc.loadBalancers ?? []).toEqual([]);
    expect(svc.desiredCount).toBe(0);
  });

  test('patched moto reports the template properties as DescribeServices does on AWS', () => {
    const svc = services.patched;
    const id = ids.patched;
    expect(svc.launchType).toBe('FARGATE');
    expect(svc.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: [id.SubnetA, id.SubnetB], securityGroups: [id.ServiceSg], assignPublicIp: 'DISABLED' },
    });
    expect(svc.loadBalancers).toEqual([{ targetGroupArn: id.TargetGroup, containerName: 'web', containerPort: 80 }]);
    expect(svc.desiredCount).toBe(1);
    expect(svc.taskDefinition).toBe(id.TaskDef);
    expect(svc.deployments?.[0]?.launchType).toBe('FARGATE');
  });

  test('AssignPublicIp defaults to DISABLED, as the AwsVpcConfiguration API documents', async () => {
    const id = ids.patched;
    const template: Template = {
      Resources: {
        Service: {
          Type: 'AWS::ECS::Service',
          Properties: {
            ServiceName: 'fidelity-default-ip',
            Cluster: CLUSTER,
            TaskDefinition: id.TaskDef,
            LaunchType: 'FARGATE',
            DesiredCount: 0,
            NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [id.SubnetA], SecurityGroups: [id.ServiceSg] } },
          },
        },
      },
    };
    const { cfn, ecs } = clients.patched;
    expect((await createStack(cfn, 'fidelity-ecs-service-default-ip', template)).status).toBe('CREATE_COMPLETE');
    const out = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['fidelity-default-ip'] }));
    expect(out.services?.[0]?.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: [id.SubnetA], securityGroups: [id.ServiceSg], assignPublicIp: 'DISABLED' },
    });
    expect(out.services?.[0]?.desiredCount).toBe(0);
  });

  test('a stack update changes the network configuration in place and keeps the desired count', async () => {
    const updated = cloneTemplate(TEMPLATE);
    updated.Resources.Service.Properties!.NetworkConfiguration = {
      AwsvpcConfiguration: {
        AssignPublicIp: 'ENABLED',
        Subnets: [{ Ref: 'SubnetB' }],
        SecurityGroups: [{ 'Fn::GetAtt': ['OtherSg', 'GroupId'] }],
      },
    };
    const after = {} as Record<Flavour, Service>;
    for (const flavour of FLAVOURS) {
      expect(await updateStack(clients[flavour].cfn, STACK, updated)).toBe('UPDATE_COMPLETE');
      after[flavour] = await describeService(clients[flavour].ecs);
    }
    expect(after.stock.networkConfiguration?.awsvpcConfiguration).toBeUndefined();

    expect(after.patched.status).toBe('ACTIVE');
    expect(after.patched.serviceArn).toBe(services.patched.serviceArn);
    expect(after.patched.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: [ids.patched.SubnetB], securityGroups: [ids.patched.OtherSg], assignPublicIp: 'ENABLED' },
    });
    expect(after.patched.launchType).toBe('FARGATE');
    expect(after.patched.desiredCount).toBe(1);
  });
});
