import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVpcEndpointsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand, DescribeServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { GetPolicyCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../targets/clients';

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

const exists = (p: Promise<unknown>) =>
  p.then(
    () => true,
    () => false,
  );

type Probe = (clients: AwsClients, id: string, inv: StackInventory) => Promise<string | undefined>;

/**
 * How to tell that a resource of each type still exists after its stack was
 * deleted. ECS keeps deleted clusters, services and task definitions as
 * INACTIVE, which counts as gone.
 */
const PROBES: Record<string, Probe> = {
  'AWS::EC2::VPC': async (c, id) => {
    const out = await c.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [id] }] }));
    return out.Vpcs?.length ? `VPC ${id}` : undefined;
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
    (await exists(c.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [id] })))) ? `ECR repository ${id}` : undefined,
  'AWS::ECS::Cluster': async (c, id) => {
    const out = await c.ecs.send(new DescribeClustersCommand({ clusters: [id] }));
    return (out.clusters ?? []).some((x) => x.status === 'ACTIVE') ? `ECS cluster ${id}` : undefined;
  },
  'AWS::ECS::Service': async (c, id, inv) => {
    const cluster = inv['AWS::ECS::Cluster']?.[0] ?? id.split('/').slice(-2, -1)[0];
    const out = await c.ecs.send(new DescribeServicesCommand({ cluster, services: [id] })).catch(() => ({ services: [] }));
    return (out.services ?? []).some((x) => x.status !== 'INACTIVE') ? `ECS service ${id}` : undefined;
  },
  'AWS::ECS::TaskDefinition': async (c, id) => {
    const family = id.split('/').pop()!.split(':')[0];
    const out = await c.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE' }));
    const active = (out.taskDefinitionArns ?? []).filter((a) => a.split('/').pop()!.split(':')[0] === family);
    return active.length ? `ECS task definition ${active.map((a) => a.split('/').pop()).join(', ')} (still ACTIVE)` : undefined;
  },
  'AWS::IAM::Role': async (c, id) => ((await exists(c.iam.send(new GetRoleCommand({ RoleName: id })))) ? `IAM role ${id}` : undefined),
  'AWS::IAM::ManagedPolicy': async (c, id) =>
    (await exists(c.iam.send(new GetPolicyCommand({ PolicyArn: id })))) ? `IAM managed policy ${id}` : undefined,
  'AWS::Logs::LogGroup': async (c, id) => {
    const out = await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: id }));
    return (out.logGroups ?? []).some((g) => g.logGroupName === id) ? `log group ${id}` : undefined;
  },
  'AWS::DynamoDB::Table': async (c, id) =>
    (await exists(c.dynamodb.send(new DescribeTableCommand({ TableName: id })))) ? `DynamoDB table ${id}` : undefined,
  'AWS::S3::Bucket': async (c, id) => ((await exists(c.s3.send(new HeadBucketCommand({ Bucket: id })))) ? `S3 bucket ${id}` : undefined),
};

/** Resources of the inventory that still exist, one line each. */
export async function findLeftovers(clients: AwsClients, inv: StackInventory): Promise<string[]> {
  const checks = Object.entries(inv).flatMap(([type, ids]) => (PROBES[type] ? ids.map((id) => PROBES[type](clients, id, inv)) : []));
  return (await Promise.all(checks)).filter((x): x is string => Boolean(x));
}
