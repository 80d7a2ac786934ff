import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import { ScenarioStack } from '../../lib/constructs/scenario-stack';
import type { ScenarioStackProps } from '../../lib/scenario/types';
import { APP_IMAGE_TAG, FargatePullVariant, MISSING_IMAGE_TAG, SOURCE_IMAGE } from './lab';

export interface FargatePullStackProps extends ScenarioStackProps {
  /** The scenario folder, whose assets/ holds the seeding Lambda's source. */
  readonly sourceDir: string;
}

/**
 * A Fargate service in isolated private subnets (no NAT, no IGW) with ECR and
 * CloudWatch Logs interface endpoints, and no path to S3.
 */
export class FargatePullStack extends ScenarioStack {
  readonly vpc: LabVpc;
  readonly repository: ecr.Repository;
  readonly cluster: ecs.Cluster;
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly executionRole: iam.Role;

  constructor(scope: Construct, props: FargatePullStackProps) {
    super(scope, props, 'breakfix scenario fargate-cannot-pull-image: a private Fargate service that cannot pull its image');

    this.vpc = new LabVpc(this, 'LabVpc', { cidr: '10.42.0.0/16', reach: 'private-isolated', subnetGroupName: 'app' });
    const appSubnets = this.vpc.labSubnets;
    const variant = props.variant as FargatePullVariant;
    if (variant !== 'no-s3-path') {
      // Other variants have the whole network path; their fault lies elsewhere.
      this.vpc.addGatewayEndpoint('S3Gateway', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [appSubnets] });
    }
    for (const [id, service] of [
      ['EcrApiEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDkrEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      ['LogsEndpoint', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
    ] as const) {
      this.vpc.addInterfaceEndpoint(id, { service, privateDnsEnabled: true, subnets: appSubnets });
    }

    this.repository = new ecr.Repository(this, 'AppRepository', {
      repositoryName: this.physicalName('app'),
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: true,
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, clusterName: this.physicalName('cluster') });

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      // The execution-role-ecr variant leaves out the managed policy: the role can ship logs but not pull.
      managedPolicies:
        variant === 'execution-role-ecr'
          ? []
          : [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonECSTaskExecutionRolePolicy')],
    });
    const logGroup = new logs.LogGroup(this, 'AppLogs', { retention: logs.RetentionDays.ONE_DAY, removalPolicy: RemovalPolicy.DESTROY });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'AppTask', {
      family: this.physicalName('app'),
      cpu: 256,
      memoryLimitMiB: 512,
      executionRole: this.executionRole,
    });
    this.taskDefinition.addContainer('app', {
      // By URI, not fromEcrRepository: that would add pull grants to the execution role behind the managed policy's back.
      image: ecs.ContainerImage.fromRegistry(
        `${this.repository.repositoryUri}:${variant === 'image-tag' ? MISSING_IMAGE_TAG : APP_IMAGE_TAG}`,
      ),
      essential: true,
      command: ['sh', '-c', 'echo started; while true; do sleep 3600; done'],
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'app' }),
    });

    const onAws = props.targetKind === 'aws';
    this.service = new ecs.FargateService(this, 'AppService', {
      serviceName: this.physicalName('app'),
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      vpcSubnets: appSubnets,
      assignPublicIp: false,
      // On AWS, CloudFormation would wait hours for a service that can never stabilise;
      // it creates the service empty and the custom resource below asks for one task.
      desiredCount: onAws ? 0 : 1,
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
    });
    // A circuit breaker would stop the failing deployment and hide the very symptom the lab teaches.
    Annotations.of(this.service).acknowledgeWarning(
      '@aws-cdk/aws-ecs:shouldUseCircuitBreaker',
      'the lab needs the failing deployment to keep retrying',
    );

    if (onAws) this.addSeedAndStart(props.sourceDir);
  }

  private addSeedAndStart(sourceDir: string): void {
    const fn = new lambda.Function(this, 'SeedAndStartFn', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'index.handler',
      timeout: Duration.minutes(5),
      memorySize: 512,
      code: lambda.Code.fromInline(readFileSync(join(sourceDir, 'assets', 'seed-and-start.py'), 'utf8')),
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:InitiateLayerUpload',
          'ecr:UploadLayerPart',
          'ecr:CompleteLayerUpload',
          'ecr:PutImage',
        ],
        resources: [this.repository.repositoryArn],
      }),
    );
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ecs:UpdateService'], resources: [this.service.serviceArn] }));
    const seed = new CustomResource(this, 'SeedAndStart', {
      serviceToken: fn.functionArn,
      properties: {
        SourceRegistry: SOURCE_IMAGE.registry,
        SourceRepository: SOURCE_IMAGE.repository,
        SourceTag: SOURCE_IMAGE.tag,
        RepositoryName: this.repository.repositoryName,
        TargetTag: APP_IMAGE_TAG,
        Cluster: this.cluster.clusterName,
        Service: this.service.serviceName,
        DesiredCount: '1',
      },
    });
    seed.node.addDependency(this.service);
  }
}
