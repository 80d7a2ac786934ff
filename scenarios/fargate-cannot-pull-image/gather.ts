import { DescribeImagesCommand, DescribeRepositoriesCommand, ImageDetail, Repository } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  Service,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import type { ScenarioContext } from '../../lib/scenario/types';
import { NOT_FOUND, ignoring } from '../../lib/toolkit/aws-errors';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { readVpcNetwork, VpcNetwork } from '../../lib/engines/network';
import type { TargetKind } from '../../lib/targets/target';
import { readRolePolicies, RolePolicies } from '../../lib/live-policies';

/** An image reference split the way a registry reads it. */
export interface ImageRef {
  readonly ref: string;
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
}

export function parseImageRef(ref: string): ImageRef {
  const slash = ref.indexOf('/');
  const registry = slash > 0 ? ref.slice(0, slash) : 'docker.io';
  const rest = slash > 0 ? ref.slice(slash + 1) : ref;
  const colon = rest.lastIndexOf(':');
  return colon > 0
    ? { ref, registry, repository: rest.slice(0, colon), tag: rest.slice(colon + 1) }
    : { ref, registry, repository: rest, tag: 'latest' };
}

/** Live state the criteria and the symptom read; gathered once per check. */
export interface FargatePullSnapshot {
  readonly target: TargetKind;
  readonly region: string;
  readonly stackName: string;
  /** The lab's own VPC, from the stack. */
  readonly labVpcId: string;
  /** Each VPC the service's subnets live in (normally just the lab VPC). */
  readonly networks: Record<string, VpcNetwork>;
  readonly service: Service;
  readonly taskDefinition?: TaskDefinition;
  readonly repositoryName: string;
  readonly repository?: Repository;
  /** The essential container's image, as the live task definition names it. */
  readonly imageRef?: ImageRef;
  /** True when that image is in the lab's own private repository. */
  readonly imageFromLabRepository: boolean;
  /** The image the task definition asks for, if the lab repository has it. */
  readonly image?: ImageDetail;
  /** The live task definition's execution role and its policies. */
  readonly executionRole?: RolePolicies;
  /** Why the execution role could not be read, if it could not. */
  readonly executionRoleError?: string;
  /** Real AWS only: recently stopped tasks, newest first. */
  readonly stoppedTasks: Task[];
}

export class SnapshotError extends Error {}

/** The VPC that holds a subnet, per EC2. */
async function vpcOfSubnets(ctx: ScenarioContext, subnetIds: string[]): Promise<Record<string, string>> {
  if (subnetIds.length === 0) return {};
  const out = await ctx.clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds }));
  return Object.fromEntries((out.Subnets ?? []).map((s) => [s.SubnetId!, s.VpcId!]));
}

export async function gatherFargatePull(ctx: ScenarioContext): Promise<FargatePullSnapshot> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const [labVpcId] = physicalIdsOfType(resources, 'AWS::EC2::VPC');
  const [clusterId] = physicalIdsOfType(resources, 'AWS::ECS::Cluster');
  const [serviceId] = physicalIdsOfType(resources, 'AWS::ECS::Service');
  const [repositoryName] = physicalIdsOfType(resources, 'AWS::ECR::Repository');
  if (!labVpcId || !clusterId || !serviceId || !repositoryName) {
    throw new SnapshotError(
      `Stack ${ctx.stackName} does not list its VPC, cluster, service and repository; it is not a complete ${ctx.scenarioId} lab.`,
    );
  }
  const services = await ctx.clients.ecs.send(new DescribeServicesCommand({ cluster: clusterId, services: [serviceId] }));
  const service = services.services?.find((s) => s.status !== 'INACTIVE');
  if (!service) throw new SnapshotError(`ECS service ${serviceId} in cluster ${clusterId} does not exist (or is INACTIVE).`);
  const subnetIds = service.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];

  const [taskDef, repository, subnetVpcs, stoppedTasks] = await Promise.all([
    service.taskDefinition
      ? ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition })).then((o) => o.taskDefinition)
      : Promise.resolve(undefined),
    ctx.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] })).then((o) => o.repositories?.[0]),
    vpcOfSubnets(ctx, subnetIds),
    ctx.target.kind === 'aws' ? readStoppedTasks(ctx, clusterId, service.serviceName!) : Promise.resolve([] as Task[]),
  ]);
  const container = taskDef?.containerDefinitions?.find((c) => c.essential !== false) ?? taskDef?.containerDefinitions?.[0];
  const imageRef = container?.image ? parseImageRef(container.image) : undefined;
  const imageFromLabRepository = Boolean(
    imageRef && repository?.repositoryUri && `${imageRef.registry}/${imageRef.repository}` === repository.repositoryUri,
  );
  const vpcIds = [...new Set([labVpcId, ...Object.values(subnetVpcs)])];
  const roleName = taskDef?.executionRoleArn?.split('/').pop();
  const [image, role, networkList] = await Promise.all([
    imageFromLabRepository
      ? ignoring(
          NOT_FOUND.ecrImage,
          ctx.clients.ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: imageRef!.tag }] })),
        ).then((o) => o?.imageDetails?.[0])
      : Promise.resolve(undefined),
    roleName
      ? readRolePolicies(ctx.clients.iam, roleName).then(
          (r) => ({ role: r, error: undefined }),
          (err: Error) => ({ role: undefined, error: `${err.name}: ${err.message}` }),
        )
      : Promise.resolve({ role: undefined, error: 'the task definition names no execution role' }),
    Promise.all(vpcIds.map(async (id) => [id, await readVpcNetwork(ctx.clients.ec2, ctx.target.region, id)] as const)),
  ]);
  const networks = Object.fromEntries(networkList);
  return {
    target: ctx.target.kind,
    region: ctx.target.region,
    stackName: ctx.stackName,
    labVpcId,
    networks,
    service,
    taskDefinition: taskDef,
    repositoryName,
    repository,
    imageRef,
    imageFromLabRepository,
    image,
    executionRole: role.role,
    executionRoleError: role.error,
    stoppedTasks,
  };
}

/** The service's recently stopped tasks, which carry AWS's stoppedReason. */
async function readStoppedTasks(ctx: ScenarioContext, cluster: string, serviceName: string): Promise<Task[]> {
  const list = await ctx.clients.ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: 'STOPPED', maxResults: 10 }));
  if (!list.taskArns?.length) return [];
  const tasks = await ctx.clients.ecs.send(new DescribeTasksCommand({ cluster, tasks: list.taskArns }));
  return (tasks.tasks ?? []).sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
}

/** The subnets the service's tasks launch into, with the VPC network of each. */
export function taskSubnets(s: FargatePullSnapshot): { subnetId: string; network?: VpcNetwork }[] {
  const ids = s.service.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
  return ids.map((subnetId) => ({
    subnetId,
    network: Object.values(s.networks).find((n) => n.subnets.some((sn) => sn.SubnetId === subnetId)),
  }));
}

export function assignsPublicIp(s: FargatePullSnapshot): boolean {
  return s.service.networkConfiguration?.awsvpcConfiguration?.assignPublicIp === 'ENABLED';
}
