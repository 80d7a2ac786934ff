/**
 * patch_ecs_task_definition_cfn: AWS::ECS::TaskDefinition from CloudFormation
 * keeps ExecutionRoleArn, TaskRoleArn, NetworkMode, RequiresCompatibilities,
 * Cpu and Memory, on create and on update (a new revision).
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeTaskDefinitionCommand, ECSClient, TaskDefinition } from '@aws-sdk/client-ecs';
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

const STACK = 'fidelity-ecs-taskdef';

const TEMPLATE: Template = {
  Resources: {
    ExecRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
      },
    },
    TaskRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
      },
    },
    TaskDef: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Family: 'fidelity-web',
        Cpu: '256',
        Memory: '512',
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        ExecutionRoleArn: { 'Fn::GetAtt': ['ExecRole', 'Arn'] },
        TaskRoleArn: { 'Fn::GetAtt': ['TaskRole', 'Arn'] },
        ContainerDefinitions: [
          {
            Name: 'web',
            Image: 'public.ecr.aws/nginx/nginx:latest',
            Essential: true,
            PortMappings: [{ ContainerPort: 80, Protocol: 'tcp' }],
          },
        ],
      },
    },
  },
};

describe('AWS::ECS::TaskDefinition via CloudFormation', () => {
  let motos: MotoPair;
  const taskDefs = {} as Record<Flavour, TaskDefinition>;
  const roleArns = {} as Record<Flavour, { exec: string; task: string }>;
  const clients = {} as Record<Flavour, { cfn: CloudFormationClient; ecs: ECSClient }>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const endpoint = motos[flavour].endpoint;
      const cfn = new CloudFormationClient(clientConfig(endpoint));
      const ecs = new ECSClient(clientConfig(endpoint));
      clients[flavour] = { cfn, ecs };
      const { status } = await createStack(cfn, STACK, TEMPLATE);
      expect(status).toBe('CREATE_COMPLETE');
      const ids = await physicalIds(cfn, STACK);
      const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ids.TaskDef }));
      taskDefs[flavour] = out.taskDefinition!;
      roleArns[flavour] = {
        exec: `arn:aws:iam::123456789012:role/${ids.ExecRole}`,
        task: `arn:aws:iam::123456789012:role/${ids.TaskRole}`,
      };
    }
  });

  afterAll(async () => {
    for (const c of Object.values(clients)) {
      c.cfn.destroy();
      c.ecs.destroy();
    }
    await motos?.stop();
  });

  test('stock moto drops the roles, network mode, compatibilities and cpu (patch still needed)', () => {
    const td = taskDefs.stock;
    expect(td.executionRoleArn).toBeUndefined();
    expect(td.taskRoleArn).toBeUndefined();
    expect(td.networkMode).toBe('bridge');
    expect(td.requiresCompatibilities).toBeUndefined();
    expect(td.cpu).toBeUndefined();
  });

  test('patched moto returns every property as DescribeTaskDefinition does on AWS', () => {
    const td = taskDefs.patched;
    expect(td.family).toBe('fidelity-web');
    expect(td.revision).toBe(1);
    expect(td.executionRoleArn).toBe(roleArns.patched.exec);
    expect(td.taskRoleArn).toBe(roleArns.patched.task);
    expect(td.networkMode).toBe('awsvpc');
    expect(td.requiresCompatibilities).toEqual(['FARGATE']);
    expect(td.cpu).toBe('256');
    expect(td.memory).toBe('512');
    expect(td.containerDefinitions?.[0]).toMatchObject({
      name: 'web',
      image: 'public.ecr.aws/nginx/nginx:latest',
      essential: true,
      portMappings: [{ containerPort: 80, protocol: 'tcp' }],
    });
  });

  test('an update registers a new complete revision and deregisters the old one', async () => {
    const updated = cloneTemplate(TEMPLATE);
    updated.Resources.TaskDef.Properties!.Cpu = '512';
    updated.Resources.TaskDef.Properties!.Memory = '1024';
    const after = {} as Record<Flavour, TaskDefinition>;
    for (const flavour of FLAVOURS) {
      const { cfn, ecs } = clients[flavour];
      expect(await updateStack(cfn, STACK, updated)).toBe('UPDATE_COMPLETE');
      const ids = await physicalIds(cfn, STACK);
      after[flavour] = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ids.TaskDef }))).taskDefinition!;
    }
    // Stock moto's update re-registers without the roles and cpu.
    expect(after.stock.executionRoleArn).toBeUndefined();
    expect(after.stock.cpu).toBeUndefined();

    expect(after.patched.revision).toBe(2);
    expect(after.patched.cpu).toBe('512');
    expect(after.patched.memory).toBe('1024');
    expect(after.patched.executionRoleArn).toBe(roleArns.patched.exec);
    expect(after.patched.networkMode).toBe('awsvpc');
    expect(after.patched.containerDefinitions?.[0]?.name).toBe('web');
    const old = await clients.patched.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'fidelity-web:1' }));
    expect(old.taskDefinition?.status).toBe('INACTIVE');
  });
});
