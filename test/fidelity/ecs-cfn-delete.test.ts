/**
 * patch_ecs_cfn_delete: DeleteStack removes ECS clusters and services and
 * deregisters task definitions, as CloudFormation does.
 */
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { clientConfig, deletionOnBothFlavours, Template } from './cfn-harness';

const STACK = 'fidelity-ecs-delete';
const TEMPLATE: Template = {
  Resources: {
    Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: 'fidelity-cluster' } },
    TaskDef: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: { Family: 'fidelity-app', ContainerDefinitions: [{ Name: 'app', Image: 'busybox', Memory: 128 }] },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: { Cluster: { Ref: 'Cluster' }, ServiceName: 'fidelity-svc', TaskDefinition: { Ref: 'TaskDef' }, DesiredCount: 1 },
    },
  },
};

describe('ECS resources are removed with their stack', () => {
  const after = deletionOnBothFlavours(
    STACK,
    TEMPLATE,
    (endpoint) => ({ ecs: new ECSClient(clientConfig(endpoint)) }),
    async ({ ecs }, ids) => {
      const clusters = await ecs.send(new DescribeClustersCommand({ clusters: ['fidelity-cluster'] }));
      const services = await ecs.send(new DescribeServicesCommand({ cluster: 'fidelity-cluster', services: ['fidelity-svc'] }));
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ids.TaskDef }));
      return {
        cluster: clusters.clusters?.[0]?.status,
        service: services.services?.[0]?.status,
        taskDefinition: td.taskDefinition?.status,
      };
    },
  );

  test('stock moto leaves the cluster, service and task definition ACTIVE (patch still needed)', () => {
    expect(after.stock).toEqual({ cluster: 'ACTIVE', service: 'ACTIVE', taskDefinition: 'ACTIVE' });
  });

  test('patched moto marks all three INACTIVE, as AWS does', () => {
    expect(after.patched).toEqual({ cluster: 'INACTIVE', service: 'INACTIVE', taskDefinition: 'INACTIVE' });
  });
});
