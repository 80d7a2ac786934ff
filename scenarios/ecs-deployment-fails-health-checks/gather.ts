import { DescribeServicesCommand, DescribeTaskDefinitionCommand, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  LoadBalancer,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { NetworkAcl, SecurityGroup, Subnet } from '@aws-sdk/client-ec2';
import type { ScenarioContext } from '../../lib/scenario/types';
import type { TargetKind } from '../../lib/targets/target';
import { withReadView } from '../../lib/scenario/read-view';
import { listStackResources, physicalIdByLogicalPrefix, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { familyOf } from '../../lib/cleanup/task-definition-sweeper';
import { NOT_FOUND, ignoring } from '../../lib/toolkit/aws-errors';
import { APP, appVersionOf, CONTAINER_NAME, ENV, RELEASE_VERSION } from './lab';

/** Live state the criteria and the symptom read; gathered once per check. */
export interface HealthCheckSnapshot {
  readonly target: TargetKind;
  readonly region: string;
  readonly stackName: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly clusterName: string;
  readonly service: Service;
  /** The revision the service runs. */
  readonly serviceTaskDefinition?: TaskDefinition;
  /**
   * The release under test: the service's revision when it is the release, else the newest
   * registered revision of the family that is (after a rollback, the one ECS rolled back from).
   */
  readonly release?: TaskDefinition;
  /** The target group the stack made, and the one the service registers with (normally the same). */
  readonly stackTargetGroupArn: string;
  readonly targetGroup?: TargetGroup;
  /** The load balancer in front of that target group. */
  readonly loadBalancer?: LoadBalancer;
  readonly subnets: readonly Subnet[];
  readonly acls: readonly NetworkAcl[];
  readonly securityGroups: readonly SecurityGroup[];
  /** The stack's three app subnets, one per AZ: the subnets the release deploys the service to. */
  readonly appSubnetIds: readonly string[];
  /** subnet-acl variant: the app subnet the lab put under a restricted network ACL (the third one). */
  readonly restrictedSubnetId?: string;
  /** Real AWS only: the target group's live target health. */
  readonly targetHealth: readonly TargetHealthDescription[];
}

export class SnapshotError extends Error {}

/** Whether a revision is the release: its app container says APP_VERSION = the release's version. */
export function isRelease(td: TaskDefinition | undefined): boolean {
  return appVersionOf(appContainer(td)?.environment) === RELEASE_VERSION;
}

/** The app's container in a revision (by name, else the essential one). */
export function appContainer(td: TaskDefinition | undefined) {
  const cds = td?.containerDefinitions ?? [];
  return cds.find((c) => c.name === CONTAINER_NAME) ?? cds.find((c) => c.essential !== false) ?? cds[0];
}

/** What the app in a revision does, per its declared contract: the port it listens on and its health endpoint. */
export function appBehaviour(td: TaskDefinition | undefined): { port: number; healthPath: string } {
  const env = appContainer(td)?.environment ?? [];
  const get = (name: string) => env.find((e) => e.name === name)?.value;
  const port = Number(get(ENV.port) ?? APP.defaultPort);
  return { port: Number.isInteger(port) ? port : NaN, healthPath: get(ENV.healthPath) ?? APP.defaultHealthPath };
}

async function describeTd(ctx: ScenarioContext, arn: string): Promise<TaskDefinition | undefined> {
  const out = await ignoring(
    ['ClientException', ...NOT_FOUND.resource],
    ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })),
  );
  return out?.taskDefinition;
}

/**
 * The newest ACTIVE release revision of a family, if any. DescribeTaskDefinition
 * with the bare family answers its latest ACTIVE revision; older ones are read
 * by number, newest first. This keeps grading to ecs:DescribeTaskDefinition
 * (no ecs:ListTaskDefinitions in the grader policy), and a lab's family holds
 * a handful of revisions.
 */
async function newestRelease(ctx: ScenarioContext, family: string): Promise<TaskDefinition | undefined> {
  const latest = await describeTd(ctx, family);
  for (let revision = latest?.revision ?? 0; revision >= 1; revision--) {
    const td = revision === latest?.revision ? latest : await describeTd(ctx, `${family}:${revision}`);
    if (td?.status === 'ACTIVE' && isRelease(td)) return td;
  }
  return undefined;
}

export async function gatherHealthCheck(scenarioCtx: ScenarioContext): Promise<HealthCheckSnapshot> {
  const ctx = withReadView(scenarioCtx);
  const view = ctx.view;
  const resources = await view.stackResources(ctx.stackName);
  const [vpcId] = physicalIdsOfType(resources, 'AWS::EC2::VPC');
  const [clusterId] = physicalIdsOfType(resources, 'AWS::ECS::Cluster');
  const [serviceId] = physicalIdsOfType(resources, 'AWS::ECS::Service');
  const [stackTargetGroupArn] = physicalIdsOfType(resources, 'AWS::ElasticLoadBalancingV2::TargetGroup');
  const [stackTd] = physicalIdsOfType(resources, 'AWS::ECS::TaskDefinition');
  if (!vpcId || !clusterId || !serviceId || !stackTargetGroupArn || !stackTd) {
    throw new SnapshotError(
      `Stack ${ctx.stackName} does not list its VPC, cluster, service, target group and task definition; it is not a complete ${ctx.scenarioId} lab.`,
    );
  }
  // Per lab: ECS describes services per cluster, and every lab has its own cluster.
  const services = await ctx.clients.ecs.send(new DescribeServicesCommand({ cluster: clusterId, services: [serviceId] }));
  const service = services.services?.find((s) => s.status !== 'INACTIVE');
  if (!service) throw new SnapshotError(`ECS service ${serviceId} in cluster ${clusterId} does not exist (or is INACTIVE).`);
  const targetGroupArn = service.loadBalancers?.find((l) => l.targetGroupArn)?.targetGroupArn ?? stackTargetGroupArn;

  // The VPC, its subnets, network ACLs and security groups, and the target group: from the account-wide listings.
  const [serviceTaskDefinition, vpc, subnets, networkAcls, securityGroups, targetGroup] = await Promise.all([
    service.taskDefinition ? describeTd(ctx, service.taskDefinition) : Promise.resolve(undefined),
    view.vpc(vpcId),
    view.subnetsOf(vpcId),
    view.networkAclsOf(vpcId),
    view.securityGroupsOf(vpcId),
    ignoring(['TargetGroupNotFoundException'], view.targetGroup(targetGroupArn)),
  ]);
  const release = isRelease(serviceTaskDefinition) ? serviceTaskDefinition : await newestRelease(ctx, familyOf(stackTd));
  const [loadBalancer, targetHealth] = await Promise.all([
    targetGroup?.LoadBalancerArns?.length
      ? ignoring(['LoadBalancerNotFoundException'], view.loadBalancer(targetGroup.LoadBalancerArns[0]))
      : Promise.resolve(undefined),
    // Per lab: target health is read per target group.
    ctx.target.kind === 'aws' && targetGroup
      ? ctx.clients
          .client(ElasticLoadBalancingV2Client)
          .send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroup.TargetGroupArn }))
          .then((o) => o.TargetHealthDescriptions ?? [])
      : Promise.resolve([] as TargetHealthDescription[]),
  ]);
  return {
    target: ctx.target.kind,
    region: ctx.target.region,
    stackName: ctx.stackName,
    vpcId,
    vpcCidr: vpc?.CidrBlock ?? '',
    clusterName: clusterId.split('/').pop()!,
    service,
    serviceTaskDefinition,
    release,
    stackTargetGroupArn,
    targetGroup,
    loadBalancer,
    subnets,
    acls: networkAcls,
    securityGroups,
    appSubnetIds: appSubnetsOf(resources),
    restrictedSubnetId: ctx.variant === 'subnet-acl' ? thirdAppSubnetOf(resources) : undefined,
    targetHealth,
  };
}

/** The stack's app subnets, by logical ID, in AZ order. */
export function appSubnetsOf(resources: Awaited<ReturnType<typeof listStackResources>>): string[] {
  return [1, 2, 3].flatMap((i) => physicalIdByLogicalPrefix(resources, `LabVpcappSubnet${i}Subnet`, 'AWS::EC2::Subnet') ?? []);
}

/** The third app subnet, by logical ID (the one the subnet-acl variant restricts). */
export function thirdAppSubnetOf(resources: Awaited<ReturnType<typeof listStackResources>>): string | undefined {
  return physicalIdByLogicalPrefix(resources, 'LabVpcappSubnet3Subnet', 'AWS::EC2::Subnet');
}

/** The subnets the service's tasks launch into. */
export function taskSubnetIds(s: HealthCheckSnapshot): string[] {
  return s.service.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
}

/** The security groups on the tasks' ENIs. */
export function taskSecurityGroupIds(s: HealthCheckSnapshot): string[] {
  return s.service.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [];
}
