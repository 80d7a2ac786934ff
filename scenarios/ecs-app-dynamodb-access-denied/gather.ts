import { DescribeTableCommand, GetResourcePolicyCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import type { RouteTable } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ListTasksCommand, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { ScenarioContext } from '../../lib/scenario/types';
import { ReadView, withReadView } from '../../lib/scenario/read-view';
import { roleNameOf } from '../../lib/toolkit/arn';
import { NOT_FOUND, errorName, ignoring } from '../../lib/toolkit/aws-errors';
import { physicalIdByLogicalPrefix, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import type { NamedPolicy, ScpLevel } from '../../lib/engines/iam';
import { RolePolicies } from '../../lib/live-policies';
import type { TargetKind } from '../../lib/targets/target';

/** A role as a criterion sees it: its live policies, or why they could not be read. */
export interface RoleState {
  readonly arn: string;
  readonly policies?: RolePolicies;
  readonly error?: string;
}

/** Live state the criteria and the symptom read; gathered once per check. */
export interface OrdersAppSnapshot {
  readonly target: TargetKind;
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  readonly stackName: string;
  readonly tableName: string;
  readonly tableArn: string;
  /** The table's resource-based policy, when it has one. */
  readonly tablePolicy?: NamedPolicy;
  /** The table's tags (aws:ResourceTag/*). */
  readonly tableTags: Record<string, string>;
  /** How the tasks' DynamoDB requests leave each subnet the service runs tasks in. */
  readonly paths: readonly SubnetPath[];
  /**
   * The SCP levels over the account, root first; [] when the account is in no organization or the target
   * has none; undefined when they could not be read (then `scpNote` says why).
   */
  readonly scps?: ScpLevel[];
  readonly scpNote?: string;
  readonly clusterName: string;
  readonly service: Service;
  /** The task definition the service runs, as DescribeServices names it (ARN, or family:revision on moto after update-service). */
  readonly liveRef: string;
  readonly live?: TaskDefinition;
  /** The newest ACTIVE revision of the live task definition's family. */
  readonly latest?: TaskDefinition;
  readonly taskRole?: RoleState;
  readonly executionRole?: RoleState;
  /** The awslogs group of the app container in the live task definition. */
  readonly logGroupName?: string;
  /** The role session name the app's calls carry: ECS uses the task ID. */
  readonly sessionName: string;
  /** The ARN of that task (aws:SourceArn when ECS assumes the task role for it). */
  readonly taskArn: string;
}

/**
 * The route a subnet's DynamoDB traffic takes. A gateway endpoint adds a prefix-list route to the route
 * tables it is associated with, and that route is more specific than 0.0.0.0/0, so every request to
 * DynamoDB in the endpoint's Region goes through it (Amazon VPC User Guide, "Gateway endpoints for Amazon
 * DynamoDB": "the route ... to the prefix list ... takes precedence").
 */
export interface SubnetPath {
  readonly subnetId: string;
  readonly routeTableId?: string;
  /** The gateway endpoint for DynamoDB on the subnet's route table, with its policy. */
  readonly endpoint?: { readonly id: string; readonly vpcId: string; readonly policy?: NamedPolicy };
}

export class SnapshotError extends Error {}

/** "family:revision" of a task definition, for messages. */
export function revisionLabel(td: TaskDefinition | undefined, fallback = 'unknown'): string {
  return td?.family && td.revision !== undefined ? `${td.family}:${td.revision}` : fallback;
}

async function readRole(view: ReadView, arn: string | undefined): Promise<RoleState | undefined> {
  if (!arn) return undefined;
  try {
    return { arn, policies: await view.rolePolicies(roleNameOf(arn)) };
  } catch (err) {
    const e = err as { name?: string; message?: string };
    return { arn, error: `${e.name ?? 'Error'}: ${e.message ?? String(err)}` };
  }
}

async function readTablePolicy(ctx: ScenarioContext, tableArn: string): Promise<NamedPolicy | undefined> {
  const out = await ignoring(
    ['PolicyNotFoundException', ...NOT_FOUND.resource],
    ctx.clients.dynamodb.send(new GetResourcePolicyCommand({ ResourceArn: tableArn })),
  );
  return out?.Policy ? { name: tableArn.split('/').pop(), kind: 'table resource policy', document: out.Policy } : undefined;
}

/** ECS answers an unknown task definition with a ClientException ("Unable to describe task definition."). */
async function describeTaskDefinition(ctx: ScenarioContext, ref: string): Promise<TaskDefinition | undefined> {
  return (await ignoring(['ClientException'], ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref }))))
    ?.taskDefinition;
}

/**
 * A running task's ARN and ID (the ID is the session name of its task-role credentials); a placeholder task
 * of the cluster when none runs (emulators run no containers).
 */
async function taskOf(ctx: ScenarioContext, cluster: string, serviceName: string, prefix: string): Promise<{ arn: string; id: string }> {
  const tasks = await ignoring(
    NOT_FOUND.ecsService,
    ctx.clients.ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: 'RUNNING', maxResults: 1 })),
  );
  const arn = tasks?.taskArns?.[0];
  if (arn) return { arn, id: arn.split('/').pop()! };
  return { arn: `${prefix}task/${cluster}/ecs-task-id`, id: 'ecs-task-id' };
}

async function readTableTags(ctx: ScenarioContext, tableArn: string): Promise<Record<string, string>> {
  const out = await ctx.clients.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: tableArn }));
  return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** The route table of a subnet: its explicit association, else the VPC's main route table. */
function routeTableOf(tables: readonly RouteTable[], subnetId: string): RouteTable | undefined {
  return (
    tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId)) ?? tables.find((t) => t.Associations?.some((a) => a.Main))
  );
}

/**
 * Each task subnet's route to DynamoDB: through the gateway endpoint on its route table, else the internet.
 * Route tables and endpoints come from the account-wide listings; the filters are the ones EC2 would apply
 * (association.subnet-id; vpc-id with association.main; vpc-id with service-name).
 */
async function readPaths(view: ReadView, subnets: readonly string[], region: string): Promise<SubnetPath[]> {
  if (subnets.length === 0) return [];
  const [tables, endpoints] = await Promise.all([view.routeTables(), view.vpcEndpoints()]);
  const bySubnet = tables.filter((t) => t.Associations?.some((a) => a.SubnetId !== undefined && subnets.includes(a.SubnetId)));
  const vpcIds = [...new Set(bySubnet.map((t) => t.VpcId).filter((v): v is string => Boolean(v)))];
  const main = tables.filter((t) => t.VpcId !== undefined && vpcIds.includes(t.VpcId) && t.Associations?.some((a) => a.Main === true));
  const service = `com.amazonaws.${region}.dynamodb`;
  const live = endpoints.filter(
    (e) =>
      e.VpcId !== undefined &&
      vpcIds.includes(e.VpcId) &&
      e.ServiceName === service &&
      (e.VpcEndpointType ?? 'Gateway').toLowerCase() === 'gateway' &&
      !['deleted', 'deleting', 'failed', 'rejected'].includes((e.State ?? '').toLowerCase()),
  );
  return subnets.map((subnetId) => {
    const table = routeTableOf([...bySubnet, ...main], subnetId);
    const endpoint = table?.RouteTableId ? live.find((e) => e.RouteTableIds?.includes(table.RouteTableId!)) : undefined;
    return {
      subnetId,
      routeTableId: table?.RouteTableId,
      endpoint: endpoint?.VpcEndpointId
        ? {
            id: endpoint.VpcEndpointId,
            vpcId: endpoint.VpcId ?? '',
            policy: endpoint.PolicyDocument
              ? { name: endpoint.VpcEndpointId, kind: 'VPC endpoint policy', document: endpoint.PolicyDocument }
              : undefined,
          }
        : undefined,
    };
  });
}

/** The SCPs over the account; none outside an organization; on emulators the lab has none to read. */
async function readScps(
  ctx: ScenarioContext & { readonly view: ReadView },
  account: string,
): Promise<{ scps?: ScpLevel[]; scpNote?: string }> {
  if (ctx.target.kind !== 'aws')
    return { scps: [], scpNote: `${ctx.target.kind} runs no organization, so no service control policies apply` };
  try {
    return { scps: await ctx.view.scpLevels(account) };
  } catch (err) {
    if (errorName(err) === 'AWSOrganizationsNotInUseException') return { scps: [] };
    return { scpNote: `service control policies could not be read (${errorName(err) ?? String(err)})` };
  }
}

export async function gatherOrdersApp(scenarioCtx: ScenarioContext): Promise<OrdersAppSnapshot> {
  const ctx = withReadView(scenarioCtx);
  const view = ctx.view;
  const resources = await view.stackResources(ctx.stackName);
  const [tableName] = physicalIdsOfType(resources, 'AWS::DynamoDB::Table');
  const [clusterName] = physicalIdsOfType(resources, 'AWS::ECS::Cluster');
  const serviceId = physicalIdByLogicalPrefix(resources, 'AppService', 'AWS::ECS::Service');
  if (!tableName || !clusterName || !serviceId) {
    throw new SnapshotError(
      `Stack ${ctx.stackName} does not list its table, cluster and service; it is not a complete ${ctx.scenarioId} lab.`,
    );
  }
  const [services, table, identity] = await Promise.all([
    ctx.clients.ecs.send(new DescribeServicesCommand({ cluster: clusterName, services: [serviceId] })),
    ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName })),
    view.callerIdentity(),
  ]);
  const service = services.services?.find((s) => s.status !== 'INACTIVE');
  if (!service) throw new SnapshotError(`ECS service ${serviceId} in cluster ${clusterName} does not exist (or is INACTIVE).`);
  const tableArn = table.Table?.TableArn;
  if (!tableArn) throw new SnapshotError(`DynamoDB table ${tableName} reports no ARN.`);
  const partition = identity.Arn?.split(':')[1] ?? 'aws';

  // What the service runs, not the family's newest revision. moto keeps the
  // string given to update-service (often family:revision); both forms work here.
  const liveRef = service.taskDefinition ?? '';
  const live = liveRef ? await describeTaskDefinition(ctx, liveRef) : undefined;
  const account = identity.Account ?? tableArn.split(':')[4];
  const subnets = service.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
  const [latest, taskRole, executionRole, tablePolicy, tableTags, task, paths, scps] = await Promise.all([
    live?.family ? describeTaskDefinition(ctx, live.family) : Promise.resolve(undefined),
    readRole(view, live?.taskRoleArn),
    readRole(view, live?.executionRoleArn),
    readTablePolicy(ctx, tableArn),
    readTableTags(ctx, tableArn),
    taskOf(ctx, clusterName, service.serviceName!, `arn:${partition}:ecs:${ctx.target.region}:${account}:`),
    readPaths(view, subnets, ctx.target.region),
    readScps(ctx, account),
  ]);
  const container = live?.containerDefinitions?.find((c) => c.logConfiguration?.logDriver === 'awslogs');
  return {
    target: ctx.target.kind,
    region: ctx.target.region,
    account,
    partition,
    stackName: ctx.stackName,
    tableName,
    tableArn,
    tablePolicy,
    tableTags,
    paths,
    ...scps,
    clusterName,
    service,
    liveRef,
    live,
    latest,
    taskRole,
    executionRole,
    logGroupName: container?.logConfiguration?.options?.['awslogs-group'],
    sessionName: task.id,
    taskArn: task.arn,
  };
}
