import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import { ScenarioStack } from '../../lib/constructs/scenario-stack';
import type { ScenarioStackProps } from '../../lib/scenario/types';
import { APP_IMAGE, EXECUTION_INLINE_POLICY, appScript } from './lab';

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
  readonly vpc: LabVpc;
  readonly table: dynamodb.Table;
  readonly cluster: ecs.Cluster;
  readonly executionRole: iam.Role;
  readonly taskRole: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly service: ecs.FargateService;

  constructor(scope: Construct, props: ScenarioStackProps) {
    super(scope, props, 'breakfix scenario ecs-app-dynamodb-access-denied: an orders app on Fargate that reads its DynamoDB table');

    this.vpc = new LabVpc(this, 'LabVpc', { cidr: '10.44.0.0/16', reach: 'public', subnetGroupName: 'public' });

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
      vpcSubnets: this.vpc.labSubnets,
      assignPublicIp: true,
      desiredCount: 1,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
    });
  }
}
