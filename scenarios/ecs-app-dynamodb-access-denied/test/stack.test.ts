import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import scenario from '..';
import { OrdersAppStack } from '../stack';
import { APP_IMAGE, EXECUTION_INLINE_POLICY, SPOILER_WORDS } from '../lab';
import type { TargetKind } from '../../../lib/targets/target';

function build(targetKind: TargetKind, learner?: string): { stack: OrdersAppStack; t: Template } {
  const app = new App();
  const stackName = learner ? `${learner}-${scenario.id}` : scenario.id;
  const stack = scenario.buildStack(app, {
    stackName,
    scenarioId: scenario.id,
    learner,
    variant: 'task-role-without-dynamodb',
    targetKind,
  });
  expect(stack).toBeInstanceOf(OrdersAppStack);
  return { stack: stack as OrdersAppStack, t: Template.fromStack(stack) };
}

describe('ecs-app-dynamodb-access-denied stack', () => {
  test.each(['moto', 'aws'] as const)('%s: an on-demand orders table keyed by customer and order, removed with the stack', (kind) => {
    const { t } = build(kind);
    t.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        TableName: 'ecs-app-dynamodb-access-denied-orders',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'customerId', KeyType: 'HASH' },
          { AttributeName: 'orderId', KeyType: 'RANGE' },
        ],
      },
      DeletionPolicy: 'Delete',
    });
  });

  test('the execution role has the managed execution policy plus GetItem/Query on the table', () => {
    const { stack, t } = build('moto');
    const roles = t.findResources('AWS::IAM::Role');
    const exec = roles[stack.getLogicalId(stack.executionRole.node.defaultChild as never)];
    expect(JSON.stringify(exec.Properties.ManagedPolicyArns)).toContain(':iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy');
    const inline = exec.Properties.Policies.find((p: { PolicyName: string }) => p.PolicyName === EXECUTION_INLINE_POLICY);
    expect(inline.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersTable/), 'Arn'] },
      }),
    ]);
  });

  test('the task role exists, is distinct, trusts ECS tasks and carries no policy', () => {
    const { stack, t } = build('moto');
    const taskRoleId = stack.getLogicalId(stack.taskRole.node.defaultChild as never);
    const taskRole = t.findResources('AWS::IAM::Role')[taskRoleId];
    expect(taskRole.Properties.RoleName).toBe('ecs-app-dynamodb-access-denied-task');
    expect(taskRole.Properties.Policies).toBeUndefined();
    expect(taskRole.Properties.ManagedPolicyArns).toBeUndefined();
    expect(taskRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
    // No AWS::IAM::Policy at all: the execution role holds the managed policy and its inline grant, nothing else.
    t.resourceCountIs('AWS::IAM::Policy', 0);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      TaskRoleArn: { 'Fn::GetAtt': [taskRoleId, 'Arn'] },
      ExecutionRoleArn: { 'Fn::GetAtt': [stack.getLogicalId(stack.executionRole.node.defaultChild as never), 'Arn'] },
    });
  });

  test('the container is the public AWS CLI image running GetItem and Query in a loop, logging with awslogs', () => {
    const { t } = build('aws');
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'ecs-app-dynamodb-access-denied-app',
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      ContainerDefinitions: [
        Match.objectLike({
          Image: APP_IMAGE,
          EntryPoint: ['/bin/sh', '-c'],
          Command: [Match.stringLikeRegexp('aws dynamodb get-item[\\s\\S]*aws dynamodb query')],
          Environment: Match.arrayWith([Match.objectLike({ Name: 'TABLE_NAME' })]),
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        }),
      ],
    });
    expect(APP_IMAGE.startsWith('public.ecr.aws/')).toBe(true);
  });

  test.each(['moto', 'aws'] as const)('%s: public subnets, no NAT, a public IP per task, a circuit breaker, no Lambda', (kind) => {
    const { t } = build(kind);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    t.resourceCountIs('AWS::EC2::InternetGateway', 1);
    t.resourceCountIs('AWS::Lambda::Function', 0);
    t.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 1,
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
    });
    const groups = Object.values(t.findResources('AWS::EC2::SecurityGroup'));
    for (const g of groups) expect(g.Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('learner prefix reaches physical names', () => {
    const { t } = build('moto', 'ana');
    t.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'ana-ecs-app-dynamodb-access-denied-orders' });
    t.hasResourceProperties('AWS::IAM::Role', { RoleName: 'ana-ecs-app-dynamodb-access-denied-task' });
    t.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'ana-ecs-app-dynamodb-access-denied-cluster' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/breakfix/ana-ecs-app-dynamodb-access-denied/orders-app' });
  });
});

describe('learner-visible text', () => {
  test.each(['moto', 'aws'] as const)('%s: no description, output or tag the stack sets names the cause', (kind) => {
    const { t } = build(kind);
    const json = t.toJSON() as {
      Description?: string;
      Resources: Record<string, { Properties?: Record<string, unknown> }>;
      Outputs?: object;
    };
    const visible = [
      json.Description ?? '',
      ...Object.values(json.Resources).flatMap((r) => [
        JSON.stringify(r.Properties?.Description ?? ''),
        JSON.stringify(r.Properties?.Tags ?? []),
      ]),
      JSON.stringify(json.Outputs ?? {}),
    ].join('\n');
    expect(json.Description).toMatch(/orders app/);
    expect(SPOILER_WORDS.filter((w) => visible.toLowerCase().includes(w))).toEqual([]);
  });
});
