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
import { ScenarioStack } from '../../lib/constructs/scenario-stack';
import type { ScenarioStackProps } from '../../lib/scenario/types';

/** The tag the repository holds; afterDeploy (emulators) or the seeding Lambda (AWS) puts it there. */
export const APP_IMAGE_TAG = 'v1';
/** The tag the `image-tag` variant's task definition asks for, which no one ever pushed. */
export const MISSING_IMAGE_TAG = 'v2';

/** The causes of the same CannotPullContainerError, following the guide's CHECK 1-4. */
export type FargatePullVariant = 'no-s3-path' | 'execution-role-ecr' | 'image-tag';
/** A small public image copied into the private repository on real AWS. */
export const SOURCE_IMAGE = { registry: 'public.ecr.aws', repository: 'docker/library/busybox', tag: 'stable' } as const;

export interface FargatePullStackProps extends ScenarioStackProps {
  /** Where the scenario's docs and the Lambda source live. */
  readonly sourceDir: string;
}

/**
 * A Fargate service in isolated private subnets (no NAT, no IGW) with ECR and
 * CloudWatch Logs interface endpoints, and no path to S3.
 */
export class FargatePullStack extends ScenarioStack {
  readonly vpc: ec2.Vpc;
  readonly repository: ecr.Repository;
  readonly cluster: ecs.Cluster;
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly executionRole: iam.Role;

  constructor(scope: Construct, props: FargatePullStackProps) {
    super(scope, props, 'breakfix scenario fargate-cannot-pull-image: a private Fargate service that cannot pull its image');

    this.vpc = new ec2.Vpc(this, 'LabVpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.42.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    const appSubnets = { subnetGroupName: 'app' };
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
      code: lambda.Code.fromInline(readFileSync(join(sourceDir, 'seed-and-start.py'), 'utf8')),
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
