import {
  DescribeImagesCommand,
  GetRepositoryPolicyCommand,
  ImageDetail,
  ListTagsForResourceCommand,
  Repository,
} from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  Service,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand, PrefixList, SecurityGroup } from '@aws-sdk/client-ec2';
import type { ScenarioContext } from '../../lib/scenario/types';
import { ReadView, withReadView } from '../../lib/scenario/read-view';
import { NOT_FOUND, ignoring } from '../../lib/toolkit/aws-errors';
import { physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import type { VpcNetwork } from '../../lib/engines/network';
import type { TargetKind } from '../../lib/targets/target';
import type { RolePolicies } from '../../lib/live-policies';

/**
 * An image reference split the way a registry reads it: `[registry/]repository[:tag][@digest]`
 * (Docker's reference grammar; ECS "image" parameter: "repository-url/image:tag" or
 * "repository-url/image@digest"). A digest pins the manifest; a tag is read only when there is no digest.
 */
export interface ImageRef {
  readonly ref: string;
  readonly registry: string;
  readonly repository: string;
  /** The tag, when the reference names one (`latest` when it names neither tag nor digest). */
  readonly tag?: string;
  /** `sha256:...` when the reference is by digest. */
  readonly digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const slash = name.indexOf('/');
  // The first component is a registry only when it looks like a host (has a dot or a port, or is localhost).
  const first = slash > 0 ? name.slice(0, slash) : '';
  const hasRegistry = slash > 0 && (/[.:]/.test(first) || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  const rest = hasRegistry ? name.slice(slash + 1) : name;
  const colon = rest.lastIndexOf(':');
  const repository = colon > 0 ? rest.slice(0, colon) : rest;
  const tag = colon > 0 ? rest.slice(colon + 1) : digest ? undefined : 'latest';
  return { ref, registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** How a reference names its image, for sentences: "tag v1" or "digest sha256:...". */
export function imageSelector(ref: ImageRef): string {
  return ref.digest ? `digest ${ref.digest}` : `tag ${ref.tag}`;
}

/** One VPC's network with what its security groups need: the groups and S3's prefix list. */
export interface LabNetwork extends VpcNetwork {
  readonly securityGroups: SecurityGroup[];
  /** The Region's S3 prefix list (com.amazonaws.<region>.s3), the destination of a gateway endpoint's routes. */
  readonly s3PrefixList?: PrefixList;
}

/** Live state the criteria and the symptom read; gathered once per check. */
export interface FargatePullSnapshot {
  readonly target: TargetKind;
  readonly region: string;
  readonly stackName: string;
  /** The lab's own VPC, from the stack. */
  readonly labVpcId: string;
  /** Each VPC the service's subnets live in (normally just the lab VPC), with its security groups. */
  readonly networks: Record<string, LabNetwork>;
  /** The ECS cluster the service runs in (its name), for the task ARN ECS assumes roles on behalf of. */
  readonly clusterName: string;
  readonly service: Service;
  readonly taskDefinition?: TaskDefinition;
  readonly repositoryName: string;
  readonly repository?: Repository;
  /** The repository policy of the lab repository; undefined when it has none. */
  readonly repositoryPolicy?: string;
  /** The lab repository's tags (aws:ResourceTag/*). */
  readonly repositoryTags?: Record<string, string>;
  /** The essential container's image, as the live task definition names it. */
  readonly imageRef?: ImageRef;
  /** True when that image is in the lab's own private repository. */
  readonly imageFromLabRepository: boolean;
  /** The image the task definition asks for (by tag or digest), if the lab repository has it. */
  readonly image?: ImageDetail;
  /** The live task definition's execution role and its policies. */
  readonly executionRole?: RolePolicies;
  /** Why the execution role could not be read, if it could not. */
  readonly executionRoleError?: string;
  /** Real AWS only: recently stopped tasks, newest first. */
  readonly stoppedTasks: Task[];
}

export class SnapshotError extends Error {}

/** The VPC that holds a subnet, per EC2: from the account's subnet listing, else DescribeSubnets by ID (which fails on an unknown one). */
async function vpcOfSubnets(ctx: ScenarioContext, view: ReadView, subnetIds: string[]): Promise<Record<string, string>> {
  if (subnetIds.length === 0) return {};
  const listed = await view.vpcOfSubnets(subnetIds);
  if (subnetIds.every((id) => id in listed)) return listed;
  const out = await ctx.clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds }));
  return Object.fromEntries((out.Subnets ?? []).map((s) => [s.SubnetId!, s.VpcId!]));
}

export async function gatherFargatePull(scenarioCtx: ScenarioContext): Promise<FargatePullSnapshot> {
  const ctx = withReadView(scenarioCtx);
  const view = ctx.view;
  const resources = await view.stackResources(ctx.stackName);
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
    view.repository(repositoryName),
    vpcOfSubnets(ctx, view, subnetIds),
    ctx.target.kind === 'aws' ? readStoppedTasks(ctx, clusterId, service.serviceName!) : Promise.resolve([] as Task[]),
  ]);
  const container = taskDef?.containerDefinitions?.find((c) => c.essential !== false) ?? taskDef?.containerDefinitions?.[0];
  const imageRef = container?.image ? parseImageRef(container.image) : undefined;
  const imageFromLabRepository = Boolean(
    imageRef && repository?.repositoryUri && `${imageRef.registry}/${imageRef.repository}` === repository.repositoryUri,
  );
  const vpcIds = [...new Set([labVpcId, ...Object.values(subnetVpcs)])];
  const roleName = taskDef?.executionRoleArn ? roleNameOf(taskDef.executionRoleArn) : undefined;
  const imageId = imageRef?.digest ? { imageDigest: imageRef.digest } : { imageTag: imageRef?.tag };
  const [image, role, networkList, repositoryPolicy, repositoryTags] = await Promise.all([
    imageFromLabRepository
      ? ignoring(NOT_FOUND.ecrImage, ctx.clients.ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [imageId] }))).then(
          (o) => o?.imageDetails?.[0],
        )
      : Promise.resolve(undefined),
    roleName
      ? view.rolePolicies(roleName).then(
          (r) => ({ role: r, error: undefined }),
          (err: Error) => ({ role: undefined, error: `${err.name}: ${err.message}` }),
        )
      : Promise.resolve({ role: undefined, error: 'the task definition names no execution role' }),
    Promise.all(vpcIds.map(async (id) => [id, await readLabNetwork(view, id)] as const)),
    repository
      ? ignoring(['RepositoryPolicyNotFoundException'], ctx.clients.ecr.send(new GetRepositoryPolicyCommand({ repositoryName }))).then(
          (o) => o?.policyText,
        )
      : Promise.resolve(undefined),
    repository?.repositoryArn
      ? ctx.clients.ecr
          .send(new ListTagsForResourceCommand({ resourceArn: repository.repositoryArn }))
          .then((o) => Object.fromEntries((o.tags ?? []).map((t) => [t.Key!, t.Value ?? ''])))
      : Promise.resolve(undefined),
  ]);
  const networks = Object.fromEntries(networkList);
  return {
    target: ctx.target.kind,
    region: ctx.target.region,
    stackName: ctx.stackName,
    labVpcId,
    networks,
    clusterName: clusterId.split('/').pop()!,
    service,
    taskDefinition: taskDef,
    repositoryName,
    repository,
    repositoryPolicy,
    repositoryTags,
    imageRef,
    imageFromLabRepository,
    image,
    executionRole: role.role,
    executionRoleError: role.error,
    stoppedTasks,
  };
}

/** A role's name from its ARN (the part after the last slash, so paths are dropped). */
function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

async function readLabNetwork(view: ReadView, vpcId: string): Promise<LabNetwork> {
  const [network, securityGroups, s3PrefixList] = await Promise.all([
    view.vpcNetwork(vpcId),
    view.securityGroupsOf(vpcId),
    view.servicePrefixList('s3'),
  ]);
  return { ...network, securityGroups, s3PrefixList };
}

/** The service's recently stopped tasks, which carry AWS's stoppedReason. */
async function readStoppedTasks(ctx: ScenarioContext, cluster: string, serviceName: string): Promise<Task[]> {
  const list = await ctx.clients.ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: 'STOPPED', maxResults: 10 }));
  if (!list.taskArns?.length) return [];
  const tasks = await ctx.clients.ecs.send(new DescribeTasksCommand({ cluster, tasks: list.taskArns }));
  return (tasks.tasks ?? []).sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
}

/** The subnets the service's tasks launch into, with the VPC network of each. */
export function taskSubnets(s: FargatePullSnapshot): { subnetId: string; network?: LabNetwork }[] {
  const ids = s.service.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
  return ids.map((subnetId) => ({
    subnetId,
    network: Object.values(s.networks).find((n) => n.subnets.some((sn) => sn.SubnetId === subnetId)),
  }));
}

/** The security groups the service puts on its tasks' ENIs. */
export function taskSecurityGroups(s: FargatePullSnapshot): string[] {
  return s.service.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [];
}

export function assignsPublicIp(s: FargatePullSnapshot): boolean {
  return s.service.networkConfiguration?.awsvpcConfiguration?.assignPublicIp === 'ENABLED';
}
