import { DescribeImagesCommand, ImageDetail } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTasksCommand, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import type { ScenarioContext } from '../../lib/scenario/types';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { readVpcNetwork, VpcNetwork } from '../../lib/engines/network';
import type { TargetKind } from '../../lib/targets/target';
import { APP_IMAGE_TAG } from './stack';

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
  readonly image?: ImageDetail;
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
    throw new SnapshotError(`Stack ${ctx.stackName} does not list its VPC, cluster, service and repository; it is not a complete ${ctx.scenarioId} lab.`);
  }
  const services = await ctx.clients.ecs.send(new DescribeServicesCommand({ cluster: clusterId, services: [serviceId] }));
  const service = services.services?.find((s) => s.status !== 'INACTIVE');
  if (!service) throw new SnapshotError(`ECS service ${serviceId} in cluster ${clusterId} does not exist (or is INACTIVE).`);
  const subnetIds = service.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];

  const [taskDef, images, subnetVpcs, stoppedTasks] = await Promise.all([
    service.taskDefinition
      ? ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition })).then((o) => o.taskDefinition)
      : Promise.resolve(undefined),
    ctx.clients.ecr
      .send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: APP_IMAGE_TAG }] }))
      .then((o) => o.imageDetails?.[0])
      .catch((err: { name?: string }) => {
        if (err.name === 'ImageNotFoundException') return undefined;
        throw err;
      }),
    vpcOfSubnets(ctx, subnetIds),
    ctx.target.kind === 'aws' ? readStoppedTasks(ctx, clusterId, service.serviceName!) : Promise.resolve([] as Task[]),
  ]);
  const vpcIds = [...new Set([labVpcId, ...Object.values(subnetVpcs)])];
  const networks = Object.fromEntries(
    await Promise.all(vpcIds.map(async (id) => [id, await readVpcNetwork(ctx.clients.ec2, ctx.target.region, id)] as const)),
  );
  return { target: ctx.target.kind, region: ctx.target.region, stackName: ctx.stackName, labVpcId, networks, service, taskDefinition: taskDef, repositoryName, image: images, stoppedTasks };
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
