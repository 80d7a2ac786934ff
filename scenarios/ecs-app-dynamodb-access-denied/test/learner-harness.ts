/**
 * The one place the learner-behaviour suite touches breakfix's code. A later
 * refactor of the ops layer or the test support changes this file only; the
 * suite itself speaks AWS (the CLI and SDK v3) and the public verdict.
 */
import type { CheckReport } from '../../../checkers/criterion';
import { checkScenario } from '../../../lib/ops/check';
import { deployScenario } from '../../../lib/ops/deploy';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { awsCli, labContext } from '../../../test/support/lab';
import { startTestMoto, TestMoto } from '../../../test/support/moto';
import scenario from '../index';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** Variant IDs as scenario.json lists them. */
export const VARIANTS: readonly string[] = scenario.meta.variants.map((v) => v.id);

export type GraderMoto = TestMoto;

export function startGraderMoto(): Promise<GraderMoto> {
  return startTestMoto();
}

/** What a learner finds by looking at the deployed stack; nothing read from the scenario's code. */
export interface Lab {
  readonly learner: string;
  readonly variant: string;
  readonly endpoint: string;
  readonly ctx: ScenarioContext;
  readonly stackName: string;
  readonly tableName: string;
  readonly tableArn: string;
  readonly taskRole: { readonly name: string; readonly arn: string; readonly id: string };
  readonly executionRole: { readonly name: string; readonly arn: string };
  readonly cluster: string;
  readonly service: string;
  readonly taskDefinitionArn: string;
  readonly family: string;
  readonly vpcId: string;
  /** Route tables of the subnets the service's tasks run in. */
  readonly taskRouteTableIds: string[];
}

export interface Grade {
  readonly verdict: 'fixed' | 'not-fixed';
  /** IDs of criteria whose status is `fail`. */
  readonly failing: string[];
  /** IDs of criteria that threw (`error`). */
  readonly errored: string[];
  readonly report: CheckReport;
}

/** The AWS CLI against this lab's emulator, JSON output parsed. */
export function cli(endpoint: string, args: string[]): Promise<any> {
  return awsCli(endpoint, args);
}

/** Deploys a fresh lab for one learner and variant, then looks it over as a learner would. */
export async function deployFreshLab(endpoint: string, learner: string, variant: string): Promise<Lab> {
  const ctx = labContext(scenario, endpoint, { learner, variant });
  await deployScenario(scenario, ctx);
  return inspectLab(endpoint, ctx, learner, variant);
}

async function inspectLab(endpoint: string, ctx: ScenarioContext, learner: string, variant: string): Promise<Lab> {
  const aws = (args: string[]) => awsCli(endpoint, args);
  const resources: { ResourceType: string; PhysicalResourceId: string }[] = (
    await aws(['cloudformation', 'list-stack-resources', '--stack-name', ctx.stackName])
  ).StackResourceSummaries;
  const physical = (type: string) => resources.filter((r) => r.ResourceType === type).map((r) => r.PhysicalResourceId);
  const [tableName] = physical('AWS::DynamoDB::Table');
  const tableArn = (await aws(['dynamodb', 'describe-table', '--table-name', tableName])).Table.TableArn;
  const [cluster] = physical('AWS::ECS::Cluster');
  const [serviceArn] = physical('AWS::ECS::Service');
  const service = (await aws(['ecs', 'describe-services', '--cluster', cluster, '--services', serviceArn])).services[0];
  const td = (await aws(['ecs', 'describe-task-definition', '--task-definition', service.taskDefinition])).taskDefinition;
  const roleOf = async (arn: string) => (await aws(['iam', 'get-role', '--role-name', arn.split('/').pop()!])).Role;
  const task = await roleOf(td.taskRoleArn);
  const exec = await roleOf(td.executionRoleArn);
  const subnets: string[] = service.networkConfiguration.awsvpcConfiguration.subnets;
  const rts = await aws(['ec2', 'describe-route-tables', '--filters', `Name=association.subnet-id,Values=${subnets.join(',')}`]);
  const [vpcId] = physical('AWS::EC2::VPC');
  return {
    learner,
    variant,
    endpoint,
    ctx,
    stackName: ctx.stackName,
    tableName,
    tableArn,
    taskRole: { name: task.RoleName, arn: task.Arn, id: task.RoleId },
    executionRole: { name: exec.RoleName, arn: exec.Arn },
    cluster,
    service: service.serviceName,
    taskDefinitionArn: td.taskDefinitionArn,
    family: td.family,
    vpcId,
    taskRouteTableIds: [...new Set<string>(rts.RouteTables.map((r: { RouteTableId: string }) => r.RouteTableId))],
  };
}

/** `breakfix check`, in process. */
export async function gradeLab(lab: Lab): Promise<Grade> {
  const report = await checkScenario(scenario, lab.ctx);
  return {
    verdict: report.verdict,
    failing: report.criteria.filter((c) => c.status === 'fail').map((c) => c.id),
    errored: report.criteria.filter((c) => c.status === 'error').map((c) => c.id),
    report,
  };
}

/** `breakfix reset`, in process. */
export async function resetLab(lab: Lab): Promise<void> {
  await resetScenario(scenario, lab.ctx);
}

/** `breakfix destroy`, in process; rejects when breakfix itself reports leftovers. */
export async function destroyLab(lab: Lab): Promise<void> {
  await destroyScenario(scenario, lab.ctx);
}

/**
 * What the region holds, one line per resource, sorted: compared before a lab
 * is deployed and after it is destroyed. Clusters and task definitions count
 * while ACTIVE: AWS keeps deleted clusters and deregistered revisions as
 * INACTIVE, and breakfix's own leftover probe counts INACTIVE as gone.
 */
export async function regionListing(endpoint: string): Promise<string[]> {
  const aws = (args: string[]) => awsCli(endpoint, args);
  const lines: string[] = [];
  const add = (kind: string, ids: string[]) => lines.push(...ids.map((id) => `${kind} ${id}`));
  const stacks = (await aws(['cloudformation', 'list-stacks'])).StackSummaries ?? [];
  add(
    'stack',
    stacks.filter((s: { StackStatus: string }) => s.StackStatus !== 'DELETE_COMPLETE').map((s: { StackName: string }) => s.StackName),
  );
  add(
    'iam-role',
    ((await aws(['iam', 'list-roles'])).Roles ?? []).map((r: { RoleName: string }) => r.RoleName),
  );
  add(
    'iam-policy',
    ((await aws(['iam', 'list-policies', '--scope', 'Local'])).Policies ?? []).map((p: { Arn: string }) => p.Arn),
  );
  add('dynamodb-table', (await aws(['dynamodb', 'list-tables'])).TableNames ?? []);
  // Deleted clusters stay describable as INACTIVE (moto even lists them); only ACTIVE ones are still there.
  const clusterArns: string[] = (await aws(['ecs', 'list-clusters'])).clusterArns ?? [];
  const clusters = clusterArns.length ? ((await aws(['ecs', 'describe-clusters', '--clusters', ...clusterArns])).clusters ?? []) : [];
  add(
    'ecs-cluster',
    clusters.filter((c: { status: string }) => c.status === 'ACTIVE').map((c: { clusterArn: string }) => c.clusterArn),
  );
  add('ecs-task-definition', (await aws(['ecs', 'list-task-definitions', '--status', 'ACTIVE'])).taskDefinitionArns ?? []);
  add(
    'log-group',
    ((await aws(['logs', 'describe-log-groups'])).logGroups ?? []).map((g: { logGroupName: string }) => g.logGroupName),
  );
  add(
    'vpc',
    ((await aws(['ec2', 'describe-vpcs'])).Vpcs ?? []).map((v: { VpcId: string }) => v.VpcId),
  );
  add(
    'subnet',
    ((await aws(['ec2', 'describe-subnets'])).Subnets ?? []).map((s: { SubnetId: string }) => s.SubnetId),
  );
  add(
    'security-group',
    ((await aws(['ec2', 'describe-security-groups'])).SecurityGroups ?? []).map((g: { GroupId: string }) => g.GroupId),
  );
  add(
    'route-table',
    ((await aws(['ec2', 'describe-route-tables'])).RouteTables ?? []).map((r: { RouteTableId: string }) => r.RouteTableId),
  );
  add(
    'internet-gateway',
    ((await aws(['ec2', 'describe-internet-gateways'])).InternetGateways ?? []).map(
      (g: { InternetGatewayId: string }) => g.InternetGatewayId,
    ),
  );
  add(
    'vpc-endpoint',
    ((await aws(['ec2', 'describe-vpc-endpoints'])).VpcEndpoints ?? [])
      .filter((e: { State?: string }) => !['deleted', 'deleting'].includes((e.State ?? '').toLowerCase()))
      .map((e: { VpcEndpointId: string }) => e.VpcEndpointId),
  );
  return lines.sort();
}
