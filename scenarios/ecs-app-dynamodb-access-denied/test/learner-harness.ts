/**
 * The one place the learner-behaviour suite touches breakfix's code. A later
 * refactor of the ops layer or the test support changes this file only; the
 * suite itself speaks AWS (the CLI and SDK v3) and the public verdict.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteResourcePolicyCommand } from '@aws-sdk/client-dynamodb';
import { DeleteVpcEndpointsCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { DeregisterTaskDefinitionCommand, ListTaskDefinitionsCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  AttachRolePolicyCommand,
  DeletePolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { sweepLearnerIam } from '../../../lib/cleanup/iam-sweeper';
import { listStackResources } from '../../../lib/engines/cfn/stack-state';
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

/** A lab role as deployed: what restoreLab puts back. */
interface RoleBaseline {
  readonly name: string;
  readonly trust: string;
  readonly inline: Record<string, string>;
  readonly attached: string[];
}

/** What the deployed lab looked like before any learner action, for restoreLab. */
export interface Baseline {
  readonly roles: RoleBaseline[];
  readonly taskDefinition: string;
  readonly templateBody: string;
}

async function roleBaseline(lab: Lab, name: string): Promise<RoleBaseline> {
  const iam = lab.ctx.clients.iam;
  const role = (await iam.send(new GetRoleCommand({ RoleName: name }))).Role!;
  const names = (await iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames ?? [];
  const inline: Record<string, string> = {};
  for (const n of names) {
    inline[n] = decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: n }))).PolicyDocument!);
  }
  const attached = ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))).AttachedPolicies ?? []).map(
    (p) => p.PolicyArn!,
  );
  return { name, trust: decodeURIComponent(role.AssumeRolePolicyDocument!), inline, attached };
}

/** Reads the freshly deployed lab's roles, live revision and template. */
export async function baselineOf(lab: Lab): Promise<Baseline> {
  const body = (await cli(lab.endpoint, ['cloudformation', 'get-template', '--stack-name', lab.stackName])).TemplateBody;
  return {
    roles: [await roleBaseline(lab, lab.taskRole.name), await roleBaseline(lab, lab.executionRole.name)],
    taskDefinition: lab.taskDefinitionArn,
    templateBody: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

/**
 * Undoes what a learner case did, with the SDK, so that one deployed lab serves every case of a variant:
 * the lab roles' policies, boundary, tags and trust as deployed, roles and policies named after the stack
 * removed, the service back on its revision and later revisions deregistered, the table's resource policy
 * and any VPC endpoint gone. The suite checks the lab is armed again before each case.
 */
export async function restoreLab(lab: Lab, base: Baseline): Promise<void> {
  const { iam, ecs, dynamodb, ec2 } = lab.ctx.clients;
  // An edited stack redeployed: put the deployed template back first, so CloudFormation removes what it added.
  const body = (await cli(lab.endpoint, ['cloudformation', 'get-template', '--stack-name', lab.stackName])).TemplateBody;
  if ((typeof body === 'string' ? body : JSON.stringify(body)) !== base.templateBody) {
    const file = join(mkdtempSync(join(tmpdir(), 'breakfix-restore-')), 'template.json');
    writeFileSync(file, base.templateBody);
    await cli(lab.endpoint, [
      'cloudformation',
      'update-stack',
      '--stack-name',
      lab.stackName,
      '--template-body',
      `file://${file}`,
      '--capabilities',
      'CAPABILITY_NAMED_IAM',
    ]);
    for (let i = 0; ; i++) {
      const status: string = (await cli(lab.endpoint, ['cloudformation', 'describe-stacks', '--stack-name', lab.stackName])).Stacks[0]
        .StackStatus;
      if (!status.endsWith('_IN_PROGRESS')) break;
      if (i > 600) throw new Error('restoring the template did not finish');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  for (const role of base.roles) {
    const live = await roleBaseline(lab, role.name);
    for (const n of Object.keys(live.inline))
      if (!(n in role.inline)) await iam.send(new DeleteRolePolicyCommand({ RoleName: role.name, PolicyName: n }));
    for (const [n, doc] of Object.entries(role.inline))
      if (live.inline[n] !== doc) await iam.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: n, PolicyDocument: doc }));
    for (const arn of live.attached)
      if (!role.attached.includes(arn)) await iam.send(new DetachRolePolicyCommand({ RoleName: role.name, PolicyArn: arn }));
    for (const arn of role.attached)
      if (!live.attached.includes(arn)) await iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: arn }));
    if (live.trust !== role.trust) await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role.name, PolicyDocument: role.trust }));
    const got = (await iam.send(new GetRoleCommand({ RoleName: role.name }))).Role!;
    if (got.PermissionsBoundary) await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: role.name }));
    if (got.Tags?.length) await iam.send(new UntagRoleCommand({ RoleName: role.name, TagKeys: got.Tags.map((t) => t.Key!) }));
  }
  await ecs.send(new UpdateServiceCommand({ cluster: lab.cluster, service: lab.service, taskDefinition: base.taskDefinition }));
  const revisions =
    (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: lab.family, status: 'ACTIVE' }))).taskDefinitionArns ?? [];
  for (const arn of revisions)
    if (arn !== base.taskDefinition) await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
  // Roles and customer-managed policies the learner named after the stack (the lab's own roles are kept).
  await sweepLearnerIam(lab.ctx.clients, lab.stackName, await listStackResources(lab.ctx.clients.cloudformation, lab.stackName));
  const policies = (await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? [];
  for (const p of policies)
    if (p.PolicyName?.startsWith(`${lab.stackName}-`)) await iam.send(new DeletePolicyCommand({ PolicyArn: p.Arn }));
  try {
    await dynamodb.send(new DeleteResourcePolicyCommand({ ResourceArn: lab.tableArn }));
  } catch (err) {
    if ((err as { name?: string }).name !== 'PolicyNotFoundException') throw err;
  }
  const endpoints =
    (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [lab.vpcId] }] }))).VpcEndpoints ?? [];
  const ids = endpoints.filter((e) => !['deleted', 'deleting'].includes((e.State ?? '').toLowerCase())).map((e) => e.VpcEndpointId!);
  if (ids.length) await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: ids }));
}

/** Re-reads a lab after reset redeployed it (role IDs and revision ARNs change). */
export function reinspectLab(lab: Lab): Promise<Lab> {
  return inspectLab(lab.endpoint, lab.ctx, lab.learner, lab.variant);
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
