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
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
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
import { cachePrefixOf } from './lab';
import { SOURCE_IMAGE } from './lab';

export async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const stackOwned = new Set(resources.map((r) => r.PhysicalResourceId!).filter(Boolean));
  const removed: string[] = [];
  const [taskDefinitionArn] = physicalIdsOfType(resources, 'AWS::ECS::TaskDefinition');
  if (taskDefinitionArn) removed.push(...(await sweepLearnerTaskDefinitions(ctx.clients.ecs, familyOf(taskDefinitionArn), stackOwned)));
  removed.push(...(await sweepLearnerIam(ctx.clients, ctx.stackName, resources)));
  const [vpcId] = physicalIdsOfType(resources, 'AWS::EC2::VPC');
  if (vpcId) removed.push(...(await sweepNetworkAcls(ctx, vpcId)));
  if (vpcId)
    removed.push(
      ...(await sweepLearnerVpcResources(ctx.clients.ec2, vpcId, { stackOwned, progress: ctx.progress, waits: waitsOf(ctx.target) })),
    );
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

/** After the stack: the repository the pull-through cache created on the first pull (AWS only; emulators pull nothing). */
export async function afterStackDeleted(ctx: ScenarioContext): Promise<string[]> {
  const name = `${cachePrefixOf(ctx.stackName)}/${SOURCE_IMAGE.repository}`;
  const gone = await ignoring(
    ['RepositoryNotFoundException'],
    ctx.clients.ecr.send(new DeleteRepositoryCommand({ repositoryName: name, force: true })),
  );
  return gone ? [`ECR repository ${name} (created by the pull-through cache)`] : [];
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
