/**
 * The leftover proof after destroy: every resource the stack listed, captured
 * before deletion, is probed by type. A type no probe covers is never
 * skipped: it is reported as a resource breakfix cannot show is gone, and the
 * registry test fails for any scenario whose template has such a type. A
 * scenario adds probes for its own types in its definition (`probes`).
 */
import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInternetGatewaysCommand, DescribeVpcEndpointsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand, DescribeServicesCommand, paginateListTaskDefinitions } from '@aws-sdk/client-ecs';
import { GetPolicyCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { collectPages } from '../core/paging';
import type { AwsClients } from '../targets/clients';
import { NOT_FOUND, exists, ignoring } from '../toolkit/aws-errors';
import { familyOf, familyRevisionOf } from './task-definition-sweeper';

/** Physical IDs of a stack's resources by type, captured before deletion. */
export type StackInventory = Record<string, string[]>;

export function inventoryOf(resources: readonly StackResourceSummary[]): StackInventory {
  const inv: StackInventory = {};
  for (const r of resources) {
    if (!r.ResourceType || !r.PhysicalResourceId) continue;
    (inv[r.ResourceType] ??= []).push(r.PhysicalResourceId);
  }
  return inv;
}

/** Reads whether one resource still exists: a line naming it when it does, undefined when it is gone. */
export type ProbeFn = (clients: AwsClients, id: string, inv: StackInventory) => Promise<string | undefined>;

/**
 * How a type's leftovers are found: a probe; "gone with" a parent type whose
 * resources are probed (a subnet cannot outlive its VPC); or "nothing to
 * probe" with the reason (a custom resource is a call, not a resource).
 */
export type ProbeSpec = ProbeFn | { readonly goneWith: string } | { readonly nothingToProbe: string };

/** Probes by resource type. */
export type Probes = Readonly<Record<string, ProbeSpec>>;

/**
 * breakfix's own probes. ECS keeps deleted clusters, services and task
 * definitions as INACTIVE, which counts as gone.
 */
export const PROBES: Probes = {
  'AWS::EC2::VPC': async (c, id) => {
    const out = await c.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [id] }] }));
    return out.Vpcs?.length ? `VPC ${id}` : undefined;
  },
  'AWS::EC2::Subnet': { goneWith: 'AWS::EC2::VPC' },
  'AWS::EC2::RouteTable': { goneWith: 'AWS::EC2::VPC' },
  'AWS::EC2::Route': { goneWith: 'AWS::EC2::VPC' },
  'AWS::EC2::SubnetRouteTableAssociation': { goneWith: 'AWS::EC2::VPC' },
  'AWS::EC2::SecurityGroup': { goneWith: 'AWS::EC2::VPC' },
  'AWS::EC2::VPCGatewayAttachment': { goneWith: 'AWS::EC2::VPC' },
  'AWS::EC2::InternetGateway': async (c, id) => {
    const out = await c.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'internet-gateway-id', Values: [id] }] }));
    return out.InternetGateways?.length ? `internet gateway ${id}` : undefined;
  },
  'AWS::EC2::VPCEndpoint': async (c, id, inv) => {
    // Looked up through the VPC: moto answers an unknown endpoint ID with a 500.
    const vpcs = inv['AWS::EC2::VPC'] ?? [];
    const out = await c.ec2.send(new DescribeVpcEndpointsCommand(vpcs.length ? { Filters: [{ Name: 'vpc-id', Values: vpcs }] } : {}));
    return (out.VpcEndpoints ?? []).some((e) => e.VpcEndpointId === id && !['deleted', 'deleting'].includes((e.State ?? '').toLowerCase()))
      ? `VPC endpoint ${id}`
      : undefined;
  },
  'AWS::ECR::Repository': async (c, id) =>
    (await exists(NOT_FOUND.ecrRepository, c.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [id] }))))
      ? `ECR repository ${id}`
      : undefined,
  'AWS::ECS::Cluster': async (c, id) => {
    const out = await c.ecs.send(new DescribeClustersCommand({ clusters: [id] }));
    return (out.clusters ?? []).some((x) => x.status === 'ACTIVE') ? `ECS cluster ${id}` : undefined;
  },
  'AWS::ECS::Service': async (c, id, inv) => {
    const cluster = inv['AWS::ECS::Cluster']?.[0] ?? id.split('/').slice(-2, -1)[0];
    const out = await ignoring(NOT_FOUND.ecsService, c.ecs.send(new DescribeServicesCommand({ cluster, services: [id] })));
    return (out?.services ?? []).some((x) => x.status !== 'INACTIVE') ? `ECS service ${id}` : undefined;
  },
  'AWS::ECS::TaskDefinition': async (c, id) => {
    const family = familyOf(id);
    const arns = await collectPages(
      paginateListTaskDefinitions({ client: c.ecs }, { familyPrefix: family, status: 'ACTIVE' }),
      (p) => p.taskDefinitionArns,
    );
    const active = arns.filter((a) => familyOf(a) === family);
    return active.length ? `ECS task definition ${active.map(familyRevisionOf).join(', ')} (still ACTIVE)` : undefined;
  },
  'AWS::IAM::Role': async (c, id) =>
    (await exists(NOT_FOUND.iamEntity, c.iam.send(new GetRoleCommand({ RoleName: id })))) ? `IAM role ${id}` : undefined,
  // An AWS::IAM::Policy is inline policies on roles, which go with the roles.
  'AWS::IAM::Policy': { goneWith: 'AWS::IAM::Role' },
  'AWS::IAM::ManagedPolicy': async (c, id) =>
    (await exists(NOT_FOUND.iamEntity, c.iam.send(new GetPolicyCommand({ PolicyArn: id })))) ? `IAM managed policy ${id}` : undefined,
  'AWS::Logs::LogGroup': async (c, id) => {
    const out = await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: id }));
    return (out.logGroups ?? []).some((g) => g.logGroupName === id) ? `log group ${id}` : undefined;
  },
  'AWS::DynamoDB::Table': async (c, id) =>
    (await exists(NOT_FOUND.resource, c.dynamodb.send(new DescribeTableCommand({ TableName: id })))) ? `DynamoDB table ${id}` : undefined,
  'AWS::S3::Bucket': async (c, id) =>
    (await exists(NOT_FOUND.bucket, c.s3.send(new HeadBucketCommand({ Bucket: id })))) ? `S3 bucket ${id}` : undefined,
  'AWS::S3::BucketPolicy': { goneWith: 'AWS::S3::Bucket' },
  'AWS::CloudFormation::CustomResource': { nothingToProbe: 'a custom resource is a call to its function, which holds no state of its own' },
};

/** The probe for a type: the scenario's, else breakfix's; `Custom::` types are custom resources. */
export function probeFor(type: string, extra: Probes = {}): ProbeSpec | undefined {
  return extra[type] ?? PROBES[type] ?? (type.startsWith('Custom::') ? PROBES['AWS::CloudFormation::CustomResource'] : undefined);
}

/** Resource types no probe covers (a `goneWith` counts only when its parent type is covered). */
export function uncoveredTypes(types: Iterable<string>, extra: Probes = {}): string[] {
  const covered = (type: string, seen: Set<string>): boolean => {
    const spec = probeFor(type, extra);
    if (!spec || seen.has(type)) return false;
    if (typeof spec === 'object' && 'goneWith' in spec) return covered(spec.goneWith, new Set([...seen, type]));
    return true;
  };
  return [...new Set(types)].filter((t) => !covered(t, new Set())).sort();
}

/** Resources of the inventory that still exist, or cannot be shown gone, one line each. */
export async function findLeftovers(clients: AwsClients, inv: StackInventory, extra: Probes = {}): Promise<string[]> {
  const checks = Object.entries(inv).flatMap(([type, ids]) => {
    const spec = probeFor(type, extra);
    if (typeof spec === 'function') return ids.map((id) => spec(clients, id, inv));
    if (spec && 'nothingToProbe' in spec) return [];
    if (spec && 'goneWith' in spec && inv[spec.goneWith]?.length && uncoveredTypes([type], extra).length === 0) return [];
    return ids.map(async (id) => `${type} ${id} (no probe covers this type, so breakfix cannot show it is gone)`);
  });
  return (await Promise.all(checks)).filter((x): x is string => Boolean(x));
}
