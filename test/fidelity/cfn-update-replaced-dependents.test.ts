/**
 * patch_cfn_update_replaced_dependents: when a stack update replaces a
 * resource (a changed task definition is a new revision), the resources that
 * refer to it (the service's TaskDefinition Ref) are updated to the new one,
 * also when the update rolls back.
 */
import { DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { clientConfig, cloneTemplate, FLAVOURS, physicalIds, stackOnBothFlavours, Template, updateStack } from './cfn-harness';

const STACK = 'fidelity-cfn-replaced-dependents';
const CLUSTER = 'fidelity-dependents';
const SERVICE = 'fidelity-dependents-web';

const TEMPLATE: Template = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.64.0.0/16' } },
    SubnetA: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.64.1.0/24', AvailabilityZone: 'us-east-1a' } },
    Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: CLUSTER } },
    TaskDef: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Family: 'fidelity-dependents',
        Cpu: '256',
        Memory: '512',
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: [{ Name: 'web', Image: 'public.ecr.aws/nginx/nginx:1.26', PortMappings: [{ ContainerPort: 80 }] }],
      },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        ServiceName: SERVICE,
        Cluster: { Ref: 'Cluster' },
        TaskDefinition: { Ref: 'TaskDef' },
        LaunchType: 'FARGATE',
        DesiredCount: 1,
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: [{ Ref: 'SubnetA' }] } },
      },
    },
  },
};

function withImage(image: string): Template {
  const t = cloneTemplate(TEMPLATE);
  (t.Resources.TaskDef.Properties!.ContainerDefinitions as { Image: string }[])[0].Image = image;
  return t;
}

describe('resources that refer to a replaced resource, on a stack update', () => {
  const { clients, ids } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({ ecs: new ECSClient(clientConfig(endpoint)) }));
  const after = {} as Record<'stock' | 'patched', { status: string; taskDef: string; serviceRuns: string | undefined }>;

  async function serviceRevision(flavour: 'stock' | 'patched'): Promise<string | undefined> {
    const out = await clients[flavour].ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
    return out.services?.[0]?.taskDefinition;
  }

  beforeAll(async () => {
    for (const flavour of FLAVOURS) {
      const status = await updateStack(clients[flavour].cfn, STACK, withImage('public.ecr.aws/nginx/nginx:1.27'));
      const now = await physicalIds(clients[flavour].cfn, STACK);
      after[flavour] = { status, taskDef: now.TaskDef, serviceRuns: await serviceRevision(flavour) };
    }
  });

  test('stock moto registers the new revision but leaves the service on the old one (patch still needed)', () => {
    expect(after.stock.status).toBe('UPDATE_COMPLETE');
    expect(after.stock.taskDef).not.toBe(ids.stock.TaskDef);
    expect(after.stock.serviceRuns).toBe(ids.stock.TaskDef);
  });

  test('patched moto moves the service to the new revision, with the service update in the stack events', async () => {
    expect(after.patched.status).toBe('UPDATE_COMPLETE');
    expect(after.patched.taskDef).not.toBe(ids.patched.TaskDef);
    expect(after.patched.serviceRuns).toBe(after.patched.taskDef);
    const events = (await clients.patched.cfn.send(new DescribeStackEventsCommand({ StackName: STACK }))).StackEvents ?? [];
    const serviceEvents = events
      .filter((e) => e.LogicalResourceId === 'Service')
      .reverse() // DescribeStackEvents lists the newest first
      .map((e) => e.ResourceStatus);
    expect(serviceEvents.slice(-2)).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);
  });

  test('patched moto: an update that fails after replacing the revision rolls the service back onto a revision of the old image', async () => {
    const { cfn, ecs } = clients.patched;
    const before = await physicalIds(cfn, STACK);
    const failing = withImage('public.ecr.aws/nginx/nginx:1.28');
    // Created after the service (DependsOn) and refused by EC2: its CIDR is outside the VPC.
    failing.Resources.Broken = {
      Type: 'AWS::EC2::Subnet',
      DependsOn: 'Service',
      Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.99.1.0/24', AvailabilityZone: 'us-east-1a' },
    };
    expect(await updateStack(cfn, STACK, failing)).toBe('UPDATE_ROLLBACK_COMPLETE');
    const now = await physicalIds(cfn, STACK);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0];
    expect(service.taskDefinition).toBe(now.TaskDef);
    expect(now.TaskDef).not.toBe(before.TaskDef); // rolling back a revision registers another one
    const revision = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: now.TaskDef }));
    expect(revision.taskDefinition?.containerDefinitions?.[0]?.image).toBe('public.ecr.aws/nginx/nginx:1.27');
  });
});
