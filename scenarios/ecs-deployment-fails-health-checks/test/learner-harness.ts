/**
 * The one place the learner-behaviour suite touches breakfix's code, so a
 * later refactor changes this file only. Everything else in the suite acts as
 * a learner would: the aws CLI or the SDK v3 with the lab's clients.
 */
import scenario from '../index';
import { startTestMoto, type TestMoto } from '../../../test/support/moto';
import { awsCli, cdkDeploy, labContext } from '../../../test/support/lab';
import type { HealthCheckStack } from '../stack';
import { deployScenario } from '../../../lib/ops/deploy';
import { checkScenario } from '../../../lib/ops/check';
import { resetScenario } from '../../../lib/ops/reset';
import { destroyScenario } from '../../../lib/ops/destroy';
import type { ScenarioContext } from '../../../lib/scenario/types';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclEntryCommand,
  DeleteNetworkAclCommand,
  DeleteNetworkAclEntryCommand,
  DeleteSecurityGroupCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  type IpPermission,
  type NetworkAcl,
  type NetworkAclEntry,
  ReplaceNetworkAclAssociationCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';

export { scenario, awsCli };
export type { TestMoto, ScenarioContext };

export function startMoto(): Promise<TestMoto> {
  return startTestMoto();
}

/** A lab context for one learner and an explicit variant. */
export function lab(endpoint: string, learner: string, variant: string): ScenarioContext {
  return labContext(scenario, endpoint, { learner, variant });
}

export async function deploy(ctx: ScenarioContext): Promise<void> {
  await deployScenario(scenario, ctx);
}

export interface Verdict {
  readonly verdict: 'fixed' | 'not-fixed';
  /** IDs of the required criteria that fail or error. */
  readonly failing: string[];
  readonly messages: Record<string, string>;
}

export async function check(ctx: ScenarioContext): Promise<Verdict> {
  const report = await checkScenario(scenario, ctx);
  const blocking = report.criteria.filter((c) => c.kind !== 'advice' && (c.status === 'fail' || c.status === 'error'));
  return {
    verdict: report.verdict,
    failing: blocking.map((c) => c.id),
    messages: Object.fromEntries(blocking.map((c) => [c.id, c.message])),
  };
}

export async function reset(ctx: ScenarioContext): Promise<void> {
  await resetScenario(scenario, ctx);
}

/** Destroys the lab; what the listing shows left behind (and what it could not prove gone). */
export async function destroy(ctx: ScenarioContext): Promise<{ leftovers: unknown[]; unproven: unknown[] }> {
  const r = await destroyScenario(scenario, ctx);
  return { leftovers: [...r.leftovers], unproven: [...r.unproven] };
}

/**
 * `cdk deploy` of the lab's stack after the learner edited it (the plain CDK
 * deploy, no breakfix post-deploy steps); without an edit, the stack as shipped.
 */
export async function redeployStack(ctx: ScenarioContext, edit?: (stack: HealthCheckStack) => void): Promise<void> {
  await cdkDeploy(scenario, ctx, (scope, props) => {
    const stack = scenario.buildStack(scope, props) as HealthCheckStack;
    edit?.(stack);
    return stack;
  });
}

export function closeClients(ctx: ScenarioContext): void {
  ctx.clients.destroy();
}

// ---------- learner-side state: finding the lab and undoing a case (was learner-state.ts) ----------

/*
 * Learner-side helpers for the learner-behaviour suite: finding the lab's
 * resources as a learner would (the stack's resource list, Describe calls),
 * and putting the lab back the way it was armed between cases by undoing
 * whatever a case changed (target group, service, security groups, network
 * ACLs), so each variant's lab is deployed once. Only SDK calls a learner
 * could make; nothing here reads breakfix's scenario code.
 */
export interface LabNames {
  readonly stack: string;
  readonly cluster: string;
  readonly service: string;
  readonly family: string;
  readonly vpcId: string;
  readonly targetGroupArn: string;
  readonly loadBalancerArn: string;
  readonly lbSg: string;
  readonly appSg: string;
  readonly appSubnets: string[];
  readonly edgeSubnets: string[];
  /** The first (armed) and release revisions' ARNs. */
  readonly firstRevision: string;
}

export interface Snapshot {
  readonly service: Service;
  readonly targetGroup: TargetGroup;
  readonly groups: SecurityGroup[];
  readonly acls: NetworkAcl[];
}

export function elbv2(ctx: ScenarioContext): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client(ctx.clients.clientConfig());
}

export async function findNames(ctx: ScenarioContext): Promise<LabNames> {
  const stack = ctx.stackName;
  const res = (await ctx.clients.cloudformation.send(new ListStackResourcesCommand({ StackName: stack }))).StackResourceSummaries ?? [];
  const of = (type: string, logical?: RegExp): string[] =>
    res.filter((r) => r.ResourceType === type && (!logical || logical.test(r.LogicalResourceId ?? ''))).map((r) => r.PhysicalResourceId!);
  const cluster = of('AWS::ECS::Cluster')[0];
  // The tasks' security group is the one the service puts on their ENIs (awsvpcConfiguration.securityGroups,
  // ECS API Reference, AwsVpcConfiguration): after a release it need not be the stack's AppSg.
  const svc = (await ctx.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [`${stack}-orders`] }))).services?.[0];
  return {
    stack,
    cluster,
    service: `${stack}-orders`,
    family: `${stack}-orders`,
    vpcId: of('AWS::EC2::VPC')[0],
    targetGroupArn: of('AWS::ElasticLoadBalancingV2::TargetGroup')[0],
    loadBalancerArn: of('AWS::ElasticLoadBalancingV2::LoadBalancer')[0],
    lbSg: of('AWS::EC2::SecurityGroup', /^LoadBalancerSg/)[0],
    appSg: svc?.networkConfiguration?.awsvpcConfiguration?.securityGroups?.[0] ?? of('AWS::EC2::SecurityGroup', /^AppSg/)[0],
    appSubnets: of('AWS::EC2::Subnet', /appSubnet/),
    edgeSubnets: of('AWS::EC2::Subnet', /edgeSubnet/),
    firstRevision: of('AWS::ECS::TaskDefinition')[0],
  };
}

export async function describeService(ctx: ScenarioContext, n: LabNames): Promise<Service> {
  return (await ctx.clients.ecs.send(new DescribeServicesCommand({ cluster: n.cluster, services: [n.service] }))).services![0];
}

async function vpcGroups(ctx: ScenarioContext, n: LabNames): Promise<SecurityGroup[]> {
  return (
    (await ctx.clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [n.vpcId] }] }))).SecurityGroups ??
    []
  );
}

export async function vpcAcls(ctx: ScenarioContext, n: LabNames): Promise<NetworkAcl[]> {
  return (
    (await ctx.clients.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [n.vpcId] }] }))).NetworkAcls ?? []
  );
}

export async function snapshot(ctx: ScenarioContext, n: LabNames): Promise<Snapshot> {
  const tg = (await elbv2(ctx).send(new DescribeTargetGroupsCommand({ TargetGroupArns: [n.targetGroupArn] }))).TargetGroups![0];
  return { service: await describeService(ctx, n), targetGroup: tg, groups: await vpcGroups(ctx, n), acls: await vpcAcls(ctx, n) };
}

/**
 * Only the fields Authorize/Revoke accept, descriptions kept: AWS matches a revoked rule without its
 * description, but moto 5.2.1 compares a group source's description too, so a learner rule with a
 * description could not be revoked without it.
 */
function clean(perms: IpPermission[] | undefined): IpPermission[] {
  return (perms ?? []).map((p) => ({
    IpProtocol: p.IpProtocol,
    FromPort: p.IpProtocol === '-1' ? undefined : p.FromPort,
    ToPort: p.IpProtocol === '-1' ? undefined : p.ToPort,
    IpRanges: p.IpRanges?.length ? p.IpRanges.map((r) => ({ CidrIp: r.CidrIp, Description: r.Description })) : undefined,
    Ipv6Ranges: p.Ipv6Ranges?.length ? p.Ipv6Ranges.map((r) => ({ CidrIpv6: r.CidrIpv6, Description: r.Description })) : undefined,
    UserIdGroupPairs: p.UserIdGroupPairs?.length
      ? p.UserIdGroupPairs.map((g) => ({ GroupId: g.GroupId, Description: g.Description }))
      : undefined,
    PrefixListIds: p.PrefixListIds?.length
      ? p.PrefixListIds.map((l) => ({ PrefixListId: l.PrefixListId, Description: l.Description }))
      : undefined,
  }));
}

const key = (e: NetworkAclEntry): string => `${e.Egress}/${e.RuleNumber}`;
const same = (a: NetworkAclEntry, b: NetworkAclEntry): boolean =>
  JSON.stringify([a.Protocol, a.RuleAction, a.CidrBlock, a.PortRange?.From, a.PortRange?.To]) ===
  JSON.stringify([b.Protocol, b.RuleAction, b.CidrBlock, b.PortRange?.From, b.PortRange?.To]);

/**
 * Creates each entry again in ACL `aclId`, as read from DescribeNetworkAcls: same rule number, direction,
 * protocol, action, CIDR and ports. The ones numbered above 32766 are skipped: that range is reserved for
 * AWS's own catch-all `*` rule, which every ACL already has and CreateNetworkAclEntry refuses.
 */
export async function recreateAclEntries(ctx: ScenarioContext, aclId: string, entries: Iterable<NetworkAclEntry>): Promise<void> {
  for (const e of entries) {
    if ((e.RuleNumber ?? 0) > 32766) continue;
    await ctx.clients.ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: aclId,
        RuleNumber: e.RuleNumber,
        Egress: e.Egress,
        Protocol: e.Protocol,
        RuleAction: e.RuleAction,
        CidrBlock: e.CidrBlock,
        PortRange: e.PortRange,
      }),
    );
  }
}

/** Undoes whatever a case changed, back to the snapshot taken when the lab was armed. */
export async function restore(ctx: ScenarioContext, n: LabNames, s: Snapshot): Promise<void> {
  const tg = s.targetGroup;
  await elbv2(ctx).send(
    new ModifyTargetGroupCommand({
      TargetGroupArn: tg.TargetGroupArn,
      HealthCheckPath: tg.HealthCheckPath,
      HealthCheckPort: tg.HealthCheckPort,
      HealthCheckProtocol: tg.HealthCheckProtocol,
      HealthCheckIntervalSeconds: tg.HealthCheckIntervalSeconds,
      HealthCheckTimeoutSeconds: tg.HealthCheckTimeoutSeconds,
      HealthyThresholdCount: tg.HealthyThresholdCount,
      UnhealthyThresholdCount: tg.UnhealthyThresholdCount,
      Matcher: tg.Matcher,
    }),
  );
  const svc = s.service;
  await ctx.clients.ecs.send(
    new UpdateServiceCommand({
      cluster: n.cluster,
      service: n.service,
      taskDefinition: svc.taskDefinition,
      desiredCount: svc.desiredCount,
      deploymentConfiguration: {
        deploymentCircuitBreaker: svc.deploymentConfiguration?.deploymentCircuitBreaker,
        maximumPercent: svc.deploymentConfiguration?.maximumPercent,
        minimumHealthyPercent: svc.deploymentConfiguration?.minimumHealthyPercent,
        alarms: svc.deploymentConfiguration?.alarms,
      },
      networkConfiguration: svc.networkConfiguration,
      loadBalancers: svc.loadBalancers,
    }),
  );
  // Network ACLs: associations back, then entries back, then learner ACLs gone.
  let acls = await vpcAcls(ctx, n);
  for (const was of s.acls) {
    for (const assoc of was.Associations ?? []) {
      const now = acls
        .flatMap((a) => (a.Associations ?? []).map((x) => ({ acl: a.NetworkAclId, ...x })))
        .find((x) => x.SubnetId === assoc.SubnetId);
      if (now && now.acl !== was.NetworkAclId)
        await ctx.clients.ec2.send(
          new ReplaceNetworkAclAssociationCommand({ AssociationId: now.NetworkAclAssociationId, NetworkAclId: was.NetworkAclId }),
        );
    }
  }
  acls = await vpcAcls(ctx, n);
  for (const was of s.acls) {
    const now = acls.find((a) => a.NetworkAclId === was.NetworkAclId);
    if (!now) continue;
    const wanted = new Map((was.Entries ?? []).filter((e) => e.RuleNumber !== 32767).map((e) => [key(e), e]));
    for (const e of (now.Entries ?? []).filter((x) => x.RuleNumber !== 32767)) {
      const w = wanted.get(key(e));
      if (w && same(w, e)) {
        wanted.delete(key(e));
        continue;
      }
      await ctx.clients.ec2.send(
        new DeleteNetworkAclEntryCommand({ NetworkAclId: was.NetworkAclId, RuleNumber: e.RuleNumber, Egress: e.Egress }),
      );
    }
    await recreateAclEntries(ctx, was.NetworkAclId!, wanted.values());
  }
  for (const a of acls)
    if (!s.acls.some((w) => w.NetworkAclId === a.NetworkAclId))
      await ctx.clients.ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: a.NetworkAclId }));
  // Security groups: rules back; learner groups gone.
  const groups = await vpcGroups(ctx, n);
  for (const g of groups) {
    const was = s.groups.find((w) => w.GroupId === g.GroupId);
    if (!was) continue;
    if (JSON.stringify(clean(g.IpPermissions)) !== JSON.stringify(clean(was.IpPermissions))) {
      if (g.IpPermissions?.length)
        await ctx.clients.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: clean(g.IpPermissions) }));
      if (was.IpPermissions?.length)
        await ctx.clients.ec2.send(
          new AuthorizeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: clean(was.IpPermissions) }),
        );
    }
    if (JSON.stringify(clean(g.IpPermissionsEgress)) !== JSON.stringify(clean(was.IpPermissionsEgress))) {
      if (g.IpPermissionsEgress?.length)
        await ctx.clients.ec2.send(
          new RevokeSecurityGroupEgressCommand({ GroupId: g.GroupId, IpPermissions: clean(g.IpPermissionsEgress) }),
        );
      if (was.IpPermissionsEgress?.length)
        await ctx.clients.ec2.send(
          new AuthorizeSecurityGroupEgressCommand({ GroupId: g.GroupId, IpPermissions: clean(was.IpPermissionsEgress) }),
        );
    }
  }
  for (const g of groups)
    if (!s.groups.some((w) => w.GroupId === g.GroupId) && g.GroupName !== 'default')
      await ctx.clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId }));
}

/**
 * What restore() must have put back, in a form two snapshots can be compared by: the target group's health
 * check, the service's revision, network and deployment settings, each ACL's entries and subnets, and each
 * security group's rules (order-free). The per-case test compares the restored lab with the armed one, so
 * a restore that silently misses something fails the case instead of leaking into the next one.
 */
export function restorable(s: Snapshot): unknown {
  const sorted = (xs: unknown[]): string[] => xs.map((x) => JSON.stringify(x)).sort();
  const tg = s.targetGroup;
  const svc = s.service;
  return {
    targetGroup: [
      tg.HealthCheckPath,
      tg.HealthCheckPort,
      tg.HealthCheckProtocol,
      tg.HealthCheckIntervalSeconds,
      tg.HealthCheckTimeoutSeconds,
      tg.HealthyThresholdCount,
      tg.UnhealthyThresholdCount,
      tg.Matcher,
    ],
    service: {
      taskDefinition: svc.taskDefinition,
      desiredCount: svc.desiredCount,
      network: svc.networkConfiguration,
      deployment: svc.deploymentConfiguration,
      loadBalancers: svc.loadBalancers,
    },
    acls: Object.fromEntries(
      s.acls.map((a) => [
        a.NetworkAclId,
        {
          subnets: (a.Associations ?? []).map((x) => x.SubnetId).sort(),
          entries: sorted(
            (a.Entries ?? []).map((e) => [
              e.Egress,
              e.RuleNumber,
              e.Protocol,
              e.RuleAction,
              e.CidrBlock,
              e.PortRange?.From,
              e.PortRange?.To,
            ]),
          ),
        },
      ]),
    ),
    groups: Object.fromEntries(
      s.groups.map((g) => [g.GroupId, { in: sorted(clean(g.IpPermissions)), out: sorted(clean(g.IpPermissionsEgress)) }]),
    ),
  };
}
