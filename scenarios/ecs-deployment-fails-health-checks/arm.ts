/**
 * After the CDK deploy, ship the release the way CI would: register a new
 * task-definition revision from the running one with the release's changes,
 * and UpdateService to it with the release's network configuration, without
 * waiting for the deployment (on AWS it cannot stabilise; the circuit breaker
 * rolls it back). Then prove the lab is armed: the release's tasks fail the
 * health check for this variant's reason, and nothing else is wrong.
 */
import {
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  ReplaceNetworkAclAssociationCommand,
} from '@aws-sdk/client-ec2';
import { RegisterTaskDefinitionCommand, RegisterTaskDefinitionCommandInput, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { Criterion } from '../../checkers/criterion';
import { exactlyBlocking } from '../../lib/toolkit/armed';
import type { ArmedResult, ScenarioContext } from '../../lib/scenario/types';
import { listStackResources, physicalIdByLogicalPrefix, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { appContainer, gatherHealthCheck, HealthCheckSnapshot } from './gather';
import {
  APP,
  CIDR,
  ENV,
  EPHEMERAL,
  HealthCheckVariant,
  RELEASE_CHANGES,
  RELEASE_VERSION,
  restrictedAclName,
  SECURITY_GROUP_IDS,
} from './lab';
import { deriveTargetHealth, HealthLayer } from './symptom';

/** The criteria that fail on a freshly armed lab, per variant, and the layer that fails the health check. */
export const ARMED: Record<HealthCheckVariant, { failing: readonly string[]; layer: HealthLayer }> = {
  'health-path': { failing: ['health-check-targets-app-health-endpoint', 'release-tasks-pass-health-checks'], layer: 'response-code' },
  'container-port': { failing: ['load-balancer-traffic-reaches-app-port', 'release-tasks-pass-health-checks'], layer: 'listener' },
  'security-group': { failing: ['release-tasks-pass-health-checks'], layer: 'security-group' },
  'subnet-acl': { failing: ['release-tasks-pass-health-checks'], layer: 'network-acl' },
};

/** The release's revision, as CI registers it: the running revision with APP_VERSION and the variant's environment changed. */
export function releaseRevision(s: HealthCheckSnapshot, variant: HealthCheckVariant): RegisterTaskDefinitionCommandInput {
  const td = s.serviceTaskDefinition;
  if (!td) throw new Error(`ECS service ${s.service.serviceName} runs no task definition breakfix can read.`);
  const changes = { [ENV.version]: RELEASE_VERSION, ...RELEASE_CHANGES[variant].env };
  const containerDefinitions = (td.containerDefinitions ?? []).map((c) => {
    if (c.name !== appContainer(td)?.name) return c;
    const env = (c.environment ?? []).filter((e) => !(e.name! in changes));
    return { ...c, environment: [...env, ...Object.entries(changes).map(([name, value]) => ({ name, value }))] };
  });
  return {
    family: td.family!,
    containerDefinitions,
    cpu: td.cpu,
    memory: td.memory,
    networkMode: td.networkMode,
    requiresCompatibilities: td.requiresCompatibilities,
    executionRoleArn: td.executionRoleArn,
    taskRoleArn: td.taskRoleArn,
  };
}

export async function shipRelease(ctx: ScenarioContext): Promise<void> {
  const variant = ctx.variant as HealthCheckVariant;
  const s = await gatherHealthCheck(ctx);
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const appSubnets = ['LabVpcappSubnet1Subnet', 'LabVpcappSubnet2Subnet', 'LabVpcappSubnet3Subnet'].map((p) =>
    physicalIdByLogicalPrefix(resources, p, 'AWS::EC2::Subnet'),
  );
  if (appSubnets.some((id) => !id)) throw new Error(`Stack ${ctx.stackName} does not list three app subnets.`);
  const sgId = physicalIdByLogicalPrefix(
    resources,
    RELEASE_CHANGES[variant].releaseSecurityGroup ? SECURITY_GROUP_IDS.release : SECURITY_GROUP_IDS.app,
    'AWS::EC2::SecurityGroup',
  );
  const [sgFallback] = physicalIdsOfType(resources, 'AWS::EC2::SecurityGroup');
  if (variant === 'subnet-acl') await restrictThirdSubnet(ctx, appSubnets[2]!);
  const registered = await ctx.clients.ecs.send(new RegisterTaskDefinitionCommand(releaseRevision(s, variant)));
  ctx.progress(
    `Shipping release ${RELEASE_VERSION} as ${registered.taskDefinition?.family}:${registered.taskDefinition?.revision} (not waiting for it)`,
  );
  await ctx.clients.ecs.send(
    new UpdateServiceCommand({
      cluster: s.clusterName,
      service: s.service.serviceName,
      taskDefinition: registered.taskDefinition!.taskDefinitionArn,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: appSubnets as string[], securityGroups: [sgId ?? sgFallback], assignPublicIp: 'DISABLED' },
      },
    }),
  );
}

/**
 * The third AZ's app subnet under a tighter network ACL, as the network team
 * set it up: the app port in from the VPC, replies in from anywhere, and only
 * HTTPS out, so replies to the load balancer's ephemeral ports never leave.
 * Idempotent: an ACL of that name already on the subnet is kept.
 */
async function restrictThirdSubnet(ctx: ScenarioContext, subnetId: string): Promise<void> {
  const ec2 = ctx.clients.ec2;
  const name = restrictedAclName(ctx.stackName);
  const acls =
    (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }))).NetworkAcls ??
    [];
  const current = acls[0];
  if (current?.Tags?.some((t) => t.Key === 'Name' && t.Value === name)) return;
  const association = current?.Associations?.find((a) => a.SubnetId === subnetId)?.NetworkAclAssociationId;
  if (!current?.VpcId || !association) throw new Error(`Subnet ${subnetId} shows no network ACL association.`);
  const created = await ec2.send(
    new CreateNetworkAclCommand({
      VpcId: current.VpcId,
      TagSpecifications: [{ ResourceType: 'network-acl', Tags: [{ Key: 'Name', Value: name }] }],
    }),
  );
  const aclId = created.NetworkAcl!.NetworkAclId!;
  const entries = [
    { RuleNumber: 100, Egress: false, CidrBlock: CIDR.vpc, PortRange: { From: APP.defaultPort, To: APP.defaultPort } },
    { RuleNumber: 110, Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: EPHEMERAL.from, To: EPHEMERAL.to } },
    { RuleNumber: 100, Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } },
  ];
  for (const e of entries) {
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, Protocol: '6', RuleAction: 'allow', ...e }));
  }
  await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association, NetworkAclId: aclId }));
}

/** The armed proof over the scenario's criteria (index.ts wires them in). */
export const verifyArmed =
  (criteria: readonly Criterion<HealthCheckSnapshot>[]) =>
  async (ctx: ScenarioContext): Promise<ArmedResult> => {
    const expected = ARMED[ctx.variant as HealthCheckVariant];
    if (!expected) return { armed: false, facts: [`Unknown variant ${ctx.variant}.`] };
    const s = await gatherHealthCheck(ctx);
    const result = await exactlyBlocking(ctx, criteria, s, expected.failing);
    if (!result.armed) return result;
    const bad = deriveTargetHealth(s).filter((h) => h.state === 'unhealthy');
    if (!bad.length || bad.some((h) => h.layer !== expected.layer)) {
      return {
        armed: false,
        facts: [
          `Variant ${ctx.variant} should fail the health check at the ${expected.layer} layer; derived: ${bad.map((h) => `${h.subnetId} ${h.layer}`).join(', ') || 'all healthy'}.`,
        ],
      };
    }
    return { armed: true, facts: bad.map((h) => `${h.subnetId}: ${h.because}`) };
  };
