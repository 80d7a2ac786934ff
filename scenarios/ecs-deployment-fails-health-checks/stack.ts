import { Aws, Duration, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ScenarioStack } from '../../lib/constructs/scenario-stack';
import type { ScenarioStackProps } from '../../lib/scenario/types';
import {
  APP,
  APP_PROGRAM,
  CIDR,
  CONTAINER_NAME,
  CURRENT_VERSION,
  DEPLOYMENT,
  DESIRED_COUNT,
  ENV,
  HealthCheckVariant,
  SECURITY_GROUP_IDS,
  SOURCE_IMAGE,
  STALE_PORT,
  cachePrefixOf,
  ordersFamily,
} from './lab';

/**
 * An internal Application Load Balancer in front of a Fargate service that
 * runs the current release healthily in two AZs, with the deployment circuit
 * breaker and rollback on. Nothing here is broken: the fault arrives with the
 * release, which arm.ts ships the way CI would. Everything is private: the
 * image comes through an ECR pull-through cache and the ECR interface
 * endpoints, so there is no NAT gateway and no public IP.
 */
export class HealthCheckStack extends ScenarioStack {
  readonly vpc: ec2.Vpc;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly loadBalancerSg: ec2.SecurityGroup;
  readonly appSg: ec2.SecurityGroup;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly service: ecs.FargateService;

  constructor(scope: Construct, props: ScenarioStackProps) {
    super(scope, props, `breakfix scenario ${props.scenarioId}: a Fargate service behind a load balancer, before its next release`);
    const variant = props.variant as HealthCheckVariant;

    // Env-agnostic stacks get two AZs from CDK; the release needs a third, so the AZs are picked by index.
    this.vpc = new ec2.Vpc(this, 'LabVpc', {
      ipAddresses: ec2.IpAddresses.cidr(CIDR.vpc),
      availabilityZones: [0, 1, 2].map((i) => Fn.select(i, Fn.getAzs())),
      natGateways: 0,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'edge', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    const appSubnets = this.vpc.selectSubnets({ subnetGroupName: 'app' }).subnets;
    const edgeSubnets = this.vpc.selectSubnets({ subnetGroupName: 'edge' }).subnets;

    // Image layers come from S3 (gateway endpoint, free); ECR's API and registry through one AZ's interface endpoints.
    this.vpc.addGatewayEndpoint('S3Gateway', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'app' }] });
    const endpointSg = new ec2.SecurityGroup(this, 'EndpointSg', { vpc: this.vpc, description: 'ECR endpoints' });
    // The endpoints admit HTTPS from the VPC's range themselves (open: true).
    for (const [id, service] of [
      ['EcrApiEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDkrEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
    ] as const) {
      this.vpc.addInterfaceEndpoint(id, {
        service,
        privateDnsEnabled: true,
        subnets: { subnets: [appSubnets[0]] },
        securityGroups: [endpointSg],
      });
    }

    this.loadBalancerSg = new ec2.SecurityGroup(this, 'LoadBalancerSg', { vpc: this.vpc, description: 'orders load balancer' });
    this.loadBalancerSg.addIngressRule(ec2.Peer.ipv4(CIDR.vpc), ec2.Port.tcp(80), 'HTTP from inside the VPC');
    this.appSg = new ec2.SecurityGroup(this, SECURITY_GROUP_IDS.app, { vpc: this.vpc, description: 'orders tasks' });
    this.appSg.addIngressRule(this.loadBalancerSg, ec2.Port.tcp(APP.defaultPort), 'the load balancer, on the app port');
    if (variant === 'security-group') {
      const releaseSg = new ec2.SecurityGroup(this, SECURITY_GROUP_IDS.release, {
        vpc: this.vpc,
        description: 'orders tasks (release config)',
      });
      releaseSg.addIngressRule(this.loadBalancerSg, ec2.Port.tcp(STALE_PORT), 'the load balancer');
    }
    // subnet-acl: the third app subnet's network ACL is set up at arm time (arm.ts), as a network team's change would be.

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      internetFacing: false,
      vpcSubnets: { subnets: edgeSubnets },
      securityGroup: this.loadBalancerSg,
    });
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: this.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: APP.defaultPort,
      deregistrationDelay: Duration.seconds(5),
      healthCheck: {
        path: APP.defaultHealthPath,
        healthyHttpCodes: '200',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 2,
      },
    });
    const listener = this.loadBalancer.addListener('Http', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultTargetGroups: [this.targetGroup],
    });

    const cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, clusterName: this.physicalName('cluster') });
    const executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonECSTaskExecutionRolePolicy')],
    });
    const prefix = cachePrefixOf(this.scenario.stackName);
    if (props.targetKind === 'aws') {
      new ecr.CfnPullThroughCacheRule(this, 'PublicImageCache', {
        ecrRepositoryPrefix: prefix,
        upstreamRegistryUrl: SOURCE_IMAGE.registry,
      });
      // The first pull through a cache rule creates the repository and imports the image (ECR User Guide, pull through cache IAM).
      executionRole.addToPolicy(
        new iam.PolicyStatement({
          actions: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
          resources: [`arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/${prefix}/*`],
        }),
      );
    }
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'AppTask', {
      family: ordersFamily(this.scenario.stackName),
      cpu: 256,
      memoryLimitMiB: 512,
      executionRole,
    });
    this.taskDefinition.addContainer(CONTAINER_NAME, {
      image: ecs.ContainerImage.fromRegistry(
        `${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}/${prefix}/${SOURCE_IMAGE.repository}:${SOURCE_IMAGE.tag}`,
      ),
      essential: true,
      command: ['python3', '-u', '-c', APP_PROGRAM],
      environment: { [ENV.version]: CURRENT_VERSION },
      portMappings: [{ containerPort: APP.defaultPort, protocol: ecs.Protocol.TCP }],
    });

    this.service = new ecs.FargateService(this, 'AppService', {
      serviceName: this.physicalName('orders'),
      cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: DESIRED_COUNT,
      // The current release runs in two AZs; the release spreads it to the third.
      vpcSubnets: { subnets: appSubnets.slice(0, 2) },
      securityGroups: [this.appSg],
      assignPublicIp: false,
      minHealthyPercent: DEPLOYMENT.minimumHealthyPercent,
      maxHealthyPercent: DEPLOYMENT.maximumPercent,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(10),
    });
    // Attached by hand: attachToApplicationTargetGroup would also write security-group rules behind the lab's back.
    const cfnService = this.service.node.defaultChild as ecs.CfnService;
    cfnService.loadBalancers = [
      { containerName: CONTAINER_NAME, containerPort: APP.defaultPort, targetGroupArn: this.targetGroup.targetGroupArn },
    ];
    this.service.node.addDependency(listener);
  }
}
