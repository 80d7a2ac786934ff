/**
 * What the learner may have created around the lab, removed before the stack
 * goes: task-definition revisions (the release breakfix registered is one of
 * them too), IAM changes, and anything added inside the lab VPC (security
 * groups, network ACLs, endpoints) that would block the VPC's deletion. On
 * AWS the pull-through cache creates a repository on first pull, which the
 * stack does not own: it goes after the stack.
 */
import { DeleteRepositoryCommand, DescribePullThroughCacheRulesCommand } from '@aws-sdk/client-ecr';
import {
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  paginateDescribeTargetGroups,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeleteNetworkAclCommand, DescribeNetworkAclsCommand, ReplaceNetworkAclAssociationCommand } from '@aws-sdk/client-ec2';
import type { ScenarioContext } from '../../lib/scenario/types';
import type { Probes } from '../../lib/cleanup/inventory';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { sweepLearnerIam } from '../../lib/cleanup/iam-sweeper';
import { familyOf, sweepLearnerTaskDefinitions } from '../../lib/cleanup/task-definition-sweeper';
import { sweepLearnerVpcResources } from '../../lib/cleanup/vpc-sweeper';
import { waitsOf } from '../../lib/targets/target';
import { ignoring } from '../../lib/toolkit/aws-errors';
import { collectPages } from '../../lib/core/paging';
import { cachePrefixOf, ordersFamily } from './lab';
import { SOURCE_IMAGE } from './lab';

export async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const stackOwned = new Set(resources.map((r) => r.PhysicalResourceId!).filter(Boolean));
  const removed: string[] = [];
  const [taskDefinitionArn] = physicalIdsOfType(resources, 'AWS::ECS::TaskDefinition');
  if (taskDefinitionArn) removed.push(...(await sweepLearnerTaskDefinitions(ctx.clients.ecs, familyOf(taskDefinitionArn), stackOwned)));
  removed.push(...(await sweepLearnerIam(ctx.clients, ctx.stackName, resources)));
  const [vpcId] = physicalIdsOfType(resources, 'AWS::EC2::VPC');
  if (vpcId)
    removed.push(
      ...(await sweepLearnerTargetGroups(
        ctx,
        vpcId,
        stackOwned,
        physicalIdsOfType(resources, 'AWS::ElasticLoadBalancingV2::LoadBalancer'),
      )),
    );
  if (vpcId) removed.push(...(await sweepNetworkAcls(ctx, vpcId)));
  if (vpcId)
    removed.push(
      ...(await sweepLearnerVpcResources(ctx.clients.ec2, vpcId, { stackOwned, progress: ctx.progress, waits: waitsOf(ctx.target) })),
    );
  return removed;
}

/**
 * Target groups a learner made in the lab VPC, and the rules on the lab's listeners that forward to them
 * (a target group referenced by a rule cannot be deleted). They go while the stack still names the VPC,
 * so a destroy running at the same time for another lab never sees them as nobody's.
 */
async function sweepLearnerTargetGroups(
  ctx: ScenarioContext,
  vpcId: string,
  stackOwned: ReadonlySet<string>,
  loadBalancerArns: readonly string[],
): Promise<string[]> {
  const elb = ctx.clients.client(ElasticLoadBalancingV2Client);
  const groups = (await collectPages(paginateDescribeTargetGroups({ client: elb }, {}), (p) => p.TargetGroups)).filter(
    (tg) => tg.VpcId === vpcId && !stackOwned.has(tg.TargetGroupArn!),
  );
  if (!groups.length) return [];
  const learnerArns = new Set(groups.map((tg) => tg.TargetGroupArn!));
  const removed: string[] = [];
  for (const lb of loadBalancerArns) {
    const listeners =
      (await ignoring(['LoadBalancerNotFoundException'], elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb }))))?.Listeners ?? [];
    for (const listener of listeners) {
      const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules ?? [];
      for (const rule of rules.filter((r) => !r.IsDefault)) {
        const targets = (rule.Actions ?? []).flatMap((a) => [
          a.TargetGroupArn,
          ...(a.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn),
        ]);
        if (!targets.some((t) => t && learnerArns.has(t))) continue;
        await ignoring(['RuleNotFoundException'], elb.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn })));
        removed.push(`listener rule ${rule.Priority} forwarding to a learner target group`);
      }
    }
  }
  for (const tg of groups) {
    await ignoring(['TargetGroupNotFoundException'], elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn })));
    removed.push(`target group ${tg.TargetGroupName}`);
  }
  return removed;
}

/**
 * Network ACLs other than the VPC's default (the lab's restricted ACL, and any a learner made): their
 * subnets go back to the default ACL and the ACLs are deleted, since a VPC cannot go while it has them.
 */
async function sweepNetworkAcls(ctx: ScenarioContext, vpcId: string): Promise<string[]> {
  const ec2 = ctx.clients.ec2;
  const acls = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).NetworkAcls ?? [];
  const defaultAcl = acls.find((a) => a.IsDefault);
  const removed: string[] = [];
  for (const acl of acls.filter((a) => !a.IsDefault)) {
    for (const assoc of acl.Associations ?? []) {
      if (defaultAcl?.NetworkAclId && assoc.NetworkAclAssociationId)
        await ec2.send(
          new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc.NetworkAclAssociationId, NetworkAclId: defaultAcl.NetworkAclId }),
        );
    }
    await ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: acl.NetworkAclId }));
    removed.push(`network ACL ${acl.NetworkAclId}`);
  }
  return removed;
}

/**
 * After the stack (whether destroy deleted it or the learner did): every revision of the orders family still
 * ACTIVE, since CloudFormation deregistered its own (the release that arm registered, and the learner's, when
 * a learner's delete-stack meant the sweep before the stack never ran); then the repository the pull-through
 * cache created on the first pull (AWS only; emulators pull nothing).
 */
export async function afterStackDeleted(ctx: ScenarioContext): Promise<string[]> {
  const removed = await sweepLearnerTaskDefinitions(ctx.clients.ecs, ordersFamily(ctx.stackName), new Set());
  const name = `${cachePrefixOf(ctx.stackName)}/${SOURCE_IMAGE.repository}`;
  const gone = await ignoring(
    ['RepositoryNotFoundException'],
    ctx.clients.ecr.send(new DeleteRepositoryCommand({ repositoryName: name, force: true })),
  );
  return gone ? [...removed, `ECR repository ${name} (created by the pull-through cache)`] : removed;
}

/** Types breakfix's own probes do not know: the load balancer and target group (by ARN), and the pull-through cache rule (AWS only). */
export const probes: Probes = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': async (clients, arn) => {
    const out = await ignoring(
      ['LoadBalancerNotFoundException'],
      clients.client(ElasticLoadBalancingV2Client).send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })),
    );
    return out?.LoadBalancers?.length ? `load balancer ${out.LoadBalancers[0].LoadBalancerName}` : undefined;
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': async (clients, arn) => {
    const out = await ignoring(
      ['TargetGroupNotFoundException'],
      clients.client(ElasticLoadBalancingV2Client).send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })),
    );
    return out?.TargetGroups?.length ? `target group ${out.TargetGroups[0].TargetGroupName}` : undefined;
  },
  'AWS::ElasticLoadBalancingV2::Listener': { goneWith: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
  'AWS::EC2::SecurityGroupIngress': { goneWith: 'AWS::EC2::VPC' },
  'AWS::ECR::PullThroughCacheRule': async (clients, prefix) => {
    const out = await ignoring(
      ['PullThroughCacheRuleNotFoundException'],
      clients.ecr.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: [prefix] })),
    );
    return out?.pullThroughCacheRules?.length ? `ECR pull-through cache rule ${prefix}` : undefined;
  },
};
