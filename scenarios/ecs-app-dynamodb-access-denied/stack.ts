import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ScenarioStack } from '../../lib/constructs/scenario-stack';
import type { ScenarioStackProps } from '../../lib/scenario/types';

/** The public AWS CLI image: the "app" is a shell loop of CLI calls, so nothing is built or pushed. */
export const APP_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:latest';
/** The inline policy the stack puts on the execution role (the misplaced DynamoDB grant). */
export const EXECUTION_INLINE_POLICY = 'OrdersTableRead';
/** The customer whose orders the app reads, and one of that customer's orders. */
export const APP_CUSTOMER = 'C-1001';
export const APP_ORDER = 'O-5001';
/** Items afterDeploy writes into the table (the same on every target). */
export const SEED_ITEMS: readonly { customerId: string; orderId: string; status: string; totalCents: number }[] = [
  { customerId: APP_CUSTOMER, orderId: APP_ORDER, status: 'SHIPPED', totalCents: 4599 },
  { customerId: APP_CUSTOMER, orderId: 'O-5002', status: 'PENDING', totalCents: 1250 },
  { customerId: 'C-2002', orderId: 'O-6001', status: 'DELIVERED', totalCents: 8900 },
];

/**
 * The container's loop: one GetItem and one Query every 30 seconds with the
 * task's own credentials. The CLI prints AWS's error to stderr, which the
 * awslogs driver ships like stdout, so the log shows AWS's message verbatim.
 */
export function appScript(): string {
  const key = JSON.stringify({ customerId: { S: APP_CUSTOMER }, orderId: { S: APP_ORDER } });
  const values = JSON.stringify({ ':c': { S: APP_CUSTOMER } });
  return [
    'echo "orders-app: starting; table $TABLE_NAME"',
    'while true; do',
    `  if aws dynamodb get-item --table-name "$TABLE_NAME" --key '${key}' --query Item.status.S --output text; then echo "orders-app: GetItem ${APP_ORDER} ok"; fi`,
    `  if aws dynamodb query --table-name "$TABLE_NAME" --key-condition-expression 'customerId = :c' --expression-attribute-values '${values}' --select COUNT --query Count --output text; then echo "orders-app: Query ${APP_CUSTOMER} ok"; fi`,
    '  sleep 30',
    'done',
  ].join('\n');
}

/**
 * An orders table, and a Fargate service whose container reads it with the
 * task role. The DynamoDB grant sits on the execution role; the task role has
 * none.
 *
 * Network: two public subnets (internet gateway, no NAT) and a public IP per
 * task, so the task can pull the public image and reach DynamoDB and
 * CloudWatch Logs without NAT gateways or interface endpoints. The security
 * group allows no inbound traffic.
 */
export class OrdersAppStack extends ScenarioStack {
  readonly vpc: ec2.Vpc;
  readonly table: dynamodb.Table;
  readonly cluster: ecs.Cluster;
  readonly executionRole: iam.Role;
  readonly taskRole: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly service: ecs.FargateService;

  constructor(scope: Construct, props: ScenarioStackProps) {
    super(
      scope,
      props,
      'breakfix scenario ecs-app-dynamodb-access-denied: a Fargate app denied by DynamoDB because its grant sits on the execution role',
    );

    this.vpc = new ec2.Vpc(this, 'LabVpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.44.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
    });

    this.table = new dynamodb.Table(this, 'OrdersTable', {
      tableName: this.physicalName('orders'),
      partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, clusterName: this.physicalName('cluster') });

    const readOrders = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({ sid: 'ReadOrders', actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [this.table.tableArn] }),
      ],
    });
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: this.physicalName('execution'),
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonECSTaskExecutionRolePolicy')],
      inlinePolicies: { [EXECUTION_INLINE_POLICY]: readOrders },
    });
    this.taskRole = new iam.Role(this, 'TaskRole', {
      roleName: this.physicalName('task'),
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Role the orders app container uses for its AWS calls',
    });

    this.logGroup = new logs.LogGroup(this, 'AppLogs', {
      logGroupName: `/breakfix/${props.stackName}/orders-app`,
      retention: logs.RetentionDays.ONE_DAY,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'AppTask', {
      family: this.physicalName('app'),
      cpu: 256,
      memoryLimitMiB: 512,
      // Immutable here: the awslogs driver would otherwise add its own logs grant
      // beside the managed policy, which already allows CreateLogStream/PutLogEvents.
      executionRole: this.executionRole.withoutPolicyUpdates(),
      taskRole: this.taskRole,
    });
    this.taskDefinition.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry(APP_IMAGE),
      essential: true,
      entryPoint: ['/bin/sh', '-c'],
      command: [appScript()],
      environment: { TABLE_NAME: this.table.tableName, AWS_DEFAULT_REGION: Stack.of(this).region },
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'orders-app' }),
    });

    // The container keeps running whatever DynamoDB answers, so the service
    // stabilises and CloudFormation does not wait on it for long; the circuit
    // breaker turns a task that cannot start into a failed deploy, not a hang.
    this.service = new ecs.FargateService(this, 'AppService', {
      serviceName: this.physicalName('app'),
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      vpcSubnets: { subnetGroupName: 'public' },
      assignPublicIp: true,
      desiredCount: 1,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
    });
  }
}
