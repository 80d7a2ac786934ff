import { DescribeTableCommand, GetResourcePolicyCommand } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ListTasksCommand, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { ScenarioContext } from '../../lib/scenario/types';
import { roleNameOf } from '../../lib/toolkit/arn';
import { NOT_FOUND, ignoring } from '../../lib/toolkit/aws-errors';
import { listStackResources, physicalIdByLogicalPrefix, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import type { NamedPolicy } from '../../lib/engines/iam';
import { readRolePolicies, RolePolicies } from '../../lib/live-policies';
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
}

export class SnapshotError extends Error {}

/** "family:revision" of a task definition, for messages. */
export function revisionLabel(td: TaskDefinition | undefined, fallback = 'unknown'): string {
  return td?.family && td.revision !== undefined ? `${td.family}:${td.revision}` : fallback;
}

async function readRole(ctx: ScenarioContext, arn: string | undefined): Promise<RoleState | undefined> {
  if (!arn) return undefined;
  try {
    return { arn, policies: await readRolePolicies(ctx.clients.iam, roleNameOf(arn)) };
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

/** A running task's ID, which is the session name of its task-role credentials; a placeholder when none runs (emulators). */
async function sessionNameOf(ctx: ScenarioContext, cluster: string, serviceName: string): Promise<string> {
  const tasks = await ignoring(
    NOT_FOUND.ecsService,
    ctx.clients.ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: 'RUNNING', maxResults: 1 })),
  );
  const arn = tasks?.taskArns?.[0];
  return arn ? arn.split('/').pop()! : 'ecs-task-id';
}

export async function gatherOrdersApp(ctx: ScenarioContext): Promise<OrdersAppSnapshot> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
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
    ctx.clients.sts.send(new GetCallerIdentityCommand({})),
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
  const [latest, taskRole, executionRole, tablePolicy, sessionName] = await Promise.all([
    live?.family ? describeTaskDefinition(ctx, live.family) : Promise.resolve(undefined),
    readRole(ctx, live?.taskRoleArn),
    readRole(ctx, live?.executionRoleArn),
    readTablePolicy(ctx, tableArn),
    sessionNameOf(ctx, clusterName, service.serviceName!),
  ]);
  const container = live?.containerDefinitions?.find((c) => c.logConfiguration?.logDriver === 'awslogs');
  return {
    target: ctx.target.kind,
    region: ctx.target.region,
    account: identity.Account ?? tableArn.split(':')[4],
    partition,
    stackName: ctx.stackName,
    tableName,
    tableArn,
    tablePolicy,
    clusterName,
    service,
    liveRef,
    live,
    latest,
    taskRole,
    executionRole,
    logGroupName: container?.logConfiguration?.options?.['awslogs-group'],
    sessionName,
  };
}
