/**
 * Leftover proof by listing, not by lookup: before a lab is deployed breakfix
 * lists the region's resources of every type the lab or a learner in it can
 * create (List/Describe calls over the whole region, never a lookup of known
 * IDs), and after destroy lists again. Anything the second listing has that
 * the first did not, and that belongs to no other live lab, is a leftover,
 * whoever created it and whatever its name.
 *
 * Which types are listed follows what the scenario declares: the services in
 * its scenario.json, plus the services of its stack's resource types. A new
 * scenario adds its types in its own folder; a service no lister here covers
 * is named in the listing's `unlisted`, never silently skipped.
 */
import { paginateDescribeStacks, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { paginateListTables } from '@aws-sdk/client-dynamodb';
import {
  DescribeAddressesCommand,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import { paginateDescribeRepositories } from '@aws-sdk/client-ecr';
import {
  ElasticLoadBalancingV2Client,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  paginateListClusters,
  paginateListServices,
  paginateListTaskDefinitions,
} from '@aws-sdk/client-ecs';
import { paginateListInstanceProfiles, paginateListPolicies, paginateListPolicyVersions, paginateListRoles } from '@aws-sdk/client-iam';
import { LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import { paginateListPolicies as paginateListOrgPolicies } from '@aws-sdk/client-organizations';
import { paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { paginateListSecrets, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { paginateDescribeParameters, SSMClient } from '@aws-sdk/client-ssm';
import { collectPages } from '../core/paging';
import { TAG_MANAGED } from '../core/tags';
import type { AwsClients } from '../targets/clients';
import { errorName, ignoring, NOT_FOUND } from '../toolkit/aws-errors';

/** One listed resource: a line naming it, and what ties it to a lab (its VPC, its name). */
export interface ListedResource {
  readonly line: string;
  /** The physical ID or ARN CloudFormation would report for it. */
  readonly id: string;
  readonly vpc?: string;
  readonly name?: string;
}

/** A region's resources by listing type, and the types that could not be listed, each with why. */
export interface RegionListing {
  readonly types: readonly string[];
  readonly resources: Record<string, ListedResource[]>;
  readonly unlisted: Record<string, string>;
}

type Lister = (clients: AwsClients) => Promise<ListedResource[]>;

const live = (state?: string) => !['deleted', 'deleting', 'failed', 'rejected'].includes((state ?? '').toLowerCase());

/** The listers, by listing type. ECS keeps deleted clusters, services and task definitions INACTIVE, which counts as gone. */
export const LISTERS: Readonly<Record<string, Lister>> = {
  'ec2:vpc': async (c) =>
    (await collectPages(paginateDescribeVpcs({ client: c.ec2 }, {}), (p) => p.Vpcs)).map((v) => ({
      line: `VPC ${v.VpcId}`,
      id: v.VpcId!,
      vpc: v.VpcId,
    })),
  'ec2:subnet': async (c) =>
    (await collectPages(paginateDescribeSubnets({ client: c.ec2 }, {}), (p) => p.Subnets)).map((s) => ({
      line: `subnet ${s.SubnetId} (VPC ${s.VpcId})`,
      id: s.SubnetId!,
      vpc: s.VpcId,
    })),
  'ec2:route-table': async (c) =>
    (await collectPages(paginateDescribeRouteTables({ client: c.ec2 }, {}), (p) => p.RouteTables)).map((r) => ({
      line: `route table ${r.RouteTableId} (VPC ${r.VpcId})`,
      id: r.RouteTableId!,
      vpc: r.VpcId,
    })),
  'ec2:security-group': async (c) =>
    (await collectPages(paginateDescribeSecurityGroups({ client: c.ec2 }, {}), (p) => p.SecurityGroups)).map((g) => ({
      line: `security group ${g.GroupId} ${g.GroupName} (VPC ${g.VpcId})`,
      id: g.GroupId!,
      vpc: g.VpcId,
    })),
  'ec2:internet-gateway': async (c) =>
    (await collectPages(paginateDescribeInternetGateways({ client: c.ec2 }, {}), (p) => p.InternetGateways)).map((g) => ({
      line: `internet gateway ${g.InternetGatewayId}`,
      id: g.InternetGatewayId!,
      vpc: g.Attachments?.[0]?.VpcId,
    })),
  'ec2:nat-gateway': async (c) =>
    (await collectPages(paginateDescribeNatGateways({ client: c.ec2 }, {}), (p) => p.NatGateways))
      .filter((n) => live(n.State))
      .map((n) => ({ line: `NAT gateway ${n.NatGatewayId} (VPC ${n.VpcId})`, id: n.NatGatewayId!, vpc: n.VpcId })),
  'ec2:vpc-endpoint': async (c) =>
    (await collectPages(paginateDescribeVpcEndpoints({ client: c.ec2 }, {}), (p) => p.VpcEndpoints))
      .filter((e) => live(e.State))
      .map((e) => ({ line: `VPC endpoint ${e.VpcEndpointId} (${e.ServiceName}, VPC ${e.VpcId})`, id: e.VpcEndpointId!, vpc: e.VpcId })),
  // The default ACL comes and goes with its VPC; only the others are a lab's (or a learner's) own.
  'ec2:network-acl': async (c) =>
    (await collectPages(paginateDescribeNetworkAcls({ client: c.ec2 }, {}), (p) => p.NetworkAcls))
      .filter((a) => !a.IsDefault)
      .map((a) => ({ line: `network ACL ${a.NetworkAclId} (VPC ${a.VpcId})`, id: a.NetworkAclId!, vpc: a.VpcId })),
  'elbv2:load-balancer': async (c) =>
    (await collectPages(paginateDescribeLoadBalancers({ client: c.client(ElasticLoadBalancingV2Client) }, {}), (p) => p.LoadBalancers)).map(
      (lb) => ({
        line: `load balancer ${lb.LoadBalancerName} (VPC ${lb.VpcId})`,
        id: lb.LoadBalancerArn!,
        vpc: lb.VpcId,
        name: lb.LoadBalancerName,
      }),
    ),
  'elbv2:target-group': async (c) =>
    (await collectPages(paginateDescribeTargetGroups({ client: c.client(ElasticLoadBalancingV2Client) }, {}), (p) => p.TargetGroups)).map(
      (tg) => ({
        line: `target group ${tg.TargetGroupName} (VPC ${tg.VpcId})`,
        id: tg.TargetGroupArn!,
        vpc: tg.VpcId,
        name: tg.TargetGroupName,
      }),
    ),
  'ec2:elastic-ip': async (c) =>
    ((await c.ec2.send(new DescribeAddressesCommand({}))).Addresses ?? []).map((a) => ({
      line: `Elastic IP ${a.PublicIp} (${a.AllocationId})`,
      id: a.AllocationId ?? a.PublicIp!,
    })),
  'iam:role': async (c) =>
    (await collectPages(paginateListRoles({ client: c.iam }, {}), (p) => p.Roles)).map((r) => ({
      line: `IAM role ${r.RoleName}`,
      id: r.RoleName!,
      name: r.RoleName,
    })),
  'iam:policy': async (c) => {
    const policies = await collectPages(paginateListPolicies({ client: c.iam }, { Scope: 'Local' }), (p) => p.Policies);
    const out: ListedResource[] = [];
    for (const p of policies) {
      // Versions too: a version a learner added to a policy that outlives the lab is a change the lab left.
      // A policy deleted between the two calls (another lab's destroy in the same account) is gone, not an error.
      const versions = await ignoring(
        NOT_FOUND.iamEntity,
        collectPages(paginateListPolicyVersions({ client: c.iam }, { PolicyArn: p.Arn }), (x) => x.Versions),
      );
      if (!versions) continue;
      out.push({ line: `IAM policy ${p.Arn}`, id: p.Arn!, name: p.PolicyName });
      for (const v of versions) out.push({ line: `version ${v.VersionId} of IAM policy ${p.Arn}`, id: p.Arn!, name: p.PolicyName });
    }
    return out;
  },
  'iam:instance-profile': async (c) =>
    (await collectPages(paginateListInstanceProfiles({ client: c.iam }, {}), (p) => p.InstanceProfiles)).map((p) => ({
      line: `IAM instance profile ${p.InstanceProfileName}`,
      id: p.InstanceProfileName!,
      name: p.InstanceProfileName,
    })),
  's3:bucket': async (c) =>
    ((await c.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => ({ line: `S3 bucket ${b.Name}`, id: b.Name!, name: b.Name })),
  'dynamodb:table': async (c) =>
    (await collectPages(paginateListTables({ client: c.dynamodb }, {}), (p) => p.TableNames)).map((t) => ({
      line: `DynamoDB table ${t}`,
      id: t,
      name: t,
    })),
  'ecr:repository': async (c) =>
    (await collectPages(paginateDescribeRepositories({ client: c.ecr }, {}), (p) => p.repositories)).map((r) => ({
      line: `ECR repository ${r.repositoryName}`,
      id: r.repositoryName!,
      name: r.repositoryName,
    })),
  'ecs:cluster': async (c) => {
    // ListClusters and ListServices keep deleted ones (INACTIVE); Describe tells them apart, in batches of 100 and 10.
    const arns = await collectPages(paginateListClusters({ client: c.ecs }, {}), (p) => p.clusterArns);
    const out: ListedResource[] = [];
    for (let i = 0; i < arns.length; i += 100) {
      const clusters = (await c.ecs.send(new DescribeClustersCommand({ clusters: arns.slice(i, i + 100) }))).clusters ?? [];
      for (const cluster of clusters.filter((x) => x.status !== 'INACTIVE')) {
        const name = cluster.clusterName!;
        out.push({ line: `ECS cluster ${name}`, id: cluster.clusterArn!, name });
        const services = await collectPages(paginateListServices({ client: c.ecs }, { cluster: cluster.clusterArn }), (p) => p.serviceArns);
        for (let j = 0; j < services.length; j += 10) {
          const described =
            (await c.ecs.send(new DescribeServicesCommand({ cluster: cluster.clusterArn, services: services.slice(j, j + 10) })))
              .services ?? [];
          for (const s of described.filter((x) => x.status !== 'INACTIVE'))
            out.push({ line: `ECS service ${s.serviceName} in ${name}`, id: s.serviceArn!, name });
        }
      }
    }
    return out;
  },
  'ecs:task-definition': async (c) =>
    (await collectPages(paginateListTaskDefinitions({ client: c.ecs }, { status: 'ACTIVE' }), (p) => p.taskDefinitionArns)).map((a) => ({
      line: `ECS task definition ${a.split('/').pop()} (ACTIVE)`,
      id: a,
      name: a.split('/').pop()!.split(':')[0],
    })),
  'logs:log-group': async (c) =>
    (await collectPages(paginateDescribeLogGroups({ client: c.logs }, {}), (p) => p.logGroups)).map((g) => ({
      line: `log group ${g.logGroupName}`,
      id: g.logGroupName!,
      name: g.logGroupName,
    })),
  'cloudformation:stack': async (c) =>
    (await collectPages(paginateDescribeStacks({ client: c.cloudformation }, {}), (p) => p.Stacks))
      .filter((s) => s.StackStatus !== 'DELETE_COMPLETE')
      .map((s) => ({ line: `CloudFormation stack ${s.StackName} (${s.StackStatus})`, id: s.StackId!, name: s.StackName })),
  'lambda:function': async (c) =>
    (await collectPages(paginateListFunctions({ client: c.client(LambdaClient) }, {}), (p) => p.Functions)).map((f) => ({
      line: `Lambda function ${f.FunctionName}`,
      id: f.FunctionName!,
      name: f.FunctionName,
    })),
  'rds:db-instance': async (c) =>
    (await collectPages(paginateDescribeDBInstances({ client: c.client(RDSClient) }, {}), (p) => p.DBInstances))
      .filter((d) => live(d.DBInstanceStatus))
      .map((d) => ({ line: `RDS DB instance ${d.DBInstanceIdentifier}`, id: d.DBInstanceIdentifier!, name: d.DBInstanceIdentifier })),
  // ListSecrets leaves out secrets scheduled for deletion unless asked (Secrets Manager API Reference); such a secret counts as gone.
  'secretsmanager:secret': async (c) =>
    (await collectPages(paginateListSecrets({ client: c.client(SecretsManagerClient) }, {}), (p) => p.SecretList))
      .filter((x) => !x.DeletedDate)
      .map((x) => ({ line: `Secrets Manager secret ${x.Name}`, id: x.ARN!, name: x.Name })),
  'ssm:parameter': async (c) =>
    (await collectPages(paginateDescribeParameters({ client: c.client(SSMClient) }, {}), (p) => p.Parameters)).map((x) => ({
      line: `Parameter Store parameter ${x.Name}`,
      id: x.Name!,
      name: x.Name,
    })),
  'organizations:scp': async (c) =>
    (
      await ignoring(
        // An account outside an organization has no SCPs to leave behind.
        ['AWSOrganizationsNotInUseException'],
        collectPages(paginateListOrgPolicies({ client: c.organizations }, { Filter: 'SERVICE_CONTROL_POLICY' }), (p) => p.Policies),
        [],
      )
    )
      .filter((p) => !p.AwsManaged)
      .map((p) => ({ line: `service control policy ${p.Name} (${p.Id})`, id: p.Id!, name: p.Name })),
};

/** Networking types: scenarios declare them as `vpc`, CloudFormation type prefixes say `ec2`. */
const NETWORK_TYPES: readonly string[] = [
  'ec2:vpc',
  'ec2:subnet',
  'ec2:route-table',
  'ec2:security-group',
  'ec2:internet-gateway',
  'ec2:nat-gateway',
  'ec2:vpc-endpoint',
  'ec2:network-acl',
  'ec2:elastic-ip',
];

/** Listing types by the service names scenarios declare (scenario.json `services`) and CloudFormation type prefixes use. */
export const TYPES_OF_SERVICE: Readonly<Record<string, readonly string[]>> = {
  ec2: NETWORK_TYPES,
  vpc: NETWORK_TYPES,
  iam: ['iam:role', 'iam:policy', 'iam:instance-profile'],
  s3: ['s3:bucket'],
  dynamodb: ['dynamodb:table'],
  ecr: ['ecr:repository'],
  ecs: ['ecs:cluster', 'ecs:task-definition'],
  // Scenarios declare `elbv2`; CloudFormation types say AWS::ElasticLoadBalancingV2::.
  elbv2: ['elbv2:load-balancer', 'elbv2:target-group'],
  elasticloadbalancingv2: ['elbv2:load-balancer', 'elbv2:target-group'],
  logs: ['logs:log-group'],
  cloudformation: ['cloudformation:stack'],
  lambda: ['lambda:function'],
  rds: ['rds:db-instance'],
  secretsmanager: ['secretsmanager:secret'],
  ssm: ['ssm:parameter'],
  organizations: ['organizations:scp'],
};

/** The service of a CloudFormation resource type (`AWS::EC2::VPC` → `ec2`); custom resources have none. */
export function serviceOfResourceType(type: string): string | undefined {
  const m = /^AWS::([A-Za-z0-9]+)::/.exec(type);
  return m ? m[1].toLowerCase().replace(/^cloudwatch$/, 'logs') : undefined;
}

/**
 * The listing types for a lab: those of the services its scenario declares
 * and of its stack's resource types, and always CloudFormation stacks and
 * IAM (every lab has roles a learner can change, and breakfix's own stack).
 * Returns the types, and the services no lister covers.
 */
export function listingTypesFor(
  services: Iterable<string>,
  resourceTypes: Iterable<string> = [],
): { types: string[]; uncovered: string[] } {
  const wanted = new Set<string>(['cloudformation', 'iam', ...[...services].map((s) => s.toLowerCase())]);
  for (const t of resourceTypes) {
    const s = serviceOfResourceType(t);
    if (s) wanted.add(s);
  }
  const types = new Set<string>();
  const uncovered: string[] = [];
  for (const s of wanted) {
    const covered = TYPES_OF_SERVICE[s];
    if (covered) covered.forEach((t) => types.add(t));
    else uncovered.push(s);
  }
  return { types: [...types].sort(), uncovered: uncovered.sort() };
}

/**
 * Lists the region's resources of the given types. A type whose listing
 * fails is named in `unlisted` with the error, never treated as empty; a
 * refusal or throttling is such an error like any other.
 */
export async function listRegion(clients: AwsClients, types: readonly string[]): Promise<RegionListing> {
  const resources: Record<string, ListedResource[]> = {};
  const unlisted: Record<string, string> = {};
  await Promise.all(
    types.map(async (type) => {
      const lister = LISTERS[type];
      if (!lister) {
        unlisted[type] = 'no lister covers this type';
        return;
      }
      try {
        resources[type] = (await lister(clients)).sort((a, b) => a.line.localeCompare(b.line));
      } catch (err) {
        unlisted[type] = `${errorName(err) ?? 'error'}: ${(err as Error).message}`;
      }
    }),
  );
  return { types: [...types], resources, unlisted };
}

/** What ties a resource to a live lab other than the one being checked: its stacks' physical IDs, VPCs and name prefixes. */
export interface OtherLabs {
  readonly ids: ReadonlySet<string>;
  readonly stackNames: readonly string[];
}

/** Both readings of the other labs together: what either attributes to another lab is that lab's. */
function unionOfOthers(a: OtherLabs, b: OtherLabs): OtherLabs {
  return { ids: new Set([...a.ids, ...b.ids]), stackNames: [...new Set([...a.stackNames, ...b.stackNames])] };
}

/**
 * The region listing, then the other live labs, in that order, never at once:
 * whatever the listing shows was created before the other labs are read, so a
 * neighbour lab deploying at the same moment is known by then. On moto a new
 * stack is listed only once CreateStack has built its resources, so when the
 * first reading leaves resources unexplained the other labs are read once more
 * after a pause; what either reading gives to another lab is that lab's (a
 * class resetting labs side by side on one emulator hit this).
 */
export async function listingBesideOtherLabs(
  read: { list(): Promise<RegionListing>; others(): Promise<OtherLabs>; pause(): Promise<void> },
  unexplained: (now: RegionListing, others: OtherLabs) => boolean,
): Promise<{ now: RegionListing; others: OtherLabs }> {
  const now = await read.list();
  const first = await read.others();
  if (!unexplained(now, first)) return { now, others: first };
  await read.pause();
  return { now, others: unionOfOthers(first, await read.others()) };
}

/** The other live breakfix labs (stacks tagged managed), by what they own. */
export async function otherLabs(clients: AwsClients, exceptStackName: string): Promise<OtherLabs> {
  const stacks = (await collectPages(paginateDescribeStacks({ client: clients.cloudformation }, {}), (p) => p.Stacks)).filter(
    (s) =>
      s.StackStatus !== 'DELETE_COMPLETE' &&
      s.StackName !== exceptStackName &&
      (s.Tags ?? []).some((t) => t.Key === TAG_MANAGED && t.Value === 'true'),
  );
  const ids = new Set<string>();
  for (const s of stacks) {
    ids.add(s.StackId!);
    const resources = await collectPages(
      paginateListStackResources({ client: clients.cloudformation }, { StackName: s.StackId }),
      (p) => p.StackResourceSummaries,
    );
    for (const r of resources) if (r.PhysicalResourceId) ids.add(r.PhysicalResourceId);
  }
  return { ids, stackNames: stacks.map((s) => s.StackName!) };
}

export function belongsToOther(r: ListedResource, others: OtherLabs): boolean {
  if (others.ids.has(r.id) || (r.name && others.ids.has(r.name)) || (r.vpc && others.ids.has(r.vpc))) return true;
  const name = r.name ?? '';
  return others.stackNames.some(
    (s) =>
      name === s || name.startsWith(`${s}-`) || name.startsWith(`/${s}/`) || name.startsWith(`/breakfix/${s}/`) || name.includes(`/${s}-`),
  );
}

export interface ListingDiff {
  /** Listed now, not before, and no other live lab's: what the lab left. */
  readonly added: string[];
  /** Listed before, gone now (someone else removed it; reported, never a leftover). */
  readonly removed: string[];
  /** Types either listing could not list: their leftovers cannot be shown absent. */
  readonly unlisted: string[];
}

/** Resources listed now, not before, and no other live lab's, by listing type: the listing's half of a destroy plan. */
export function addedResources(
  before: RegionListing,
  after: RegionListing,
  others: OtherLabs = { ids: new Set(), stackNames: [] },
): { type: string; resource: ListedResource }[] {
  const added: { type: string; resource: ListedResource }[] = [];
  for (const type of after.types) {
    if (!before.resources[type] || !after.resources[type]) continue;
    const was = new Set(before.resources[type].map((r) => r.line));
    for (const r of after.resources[type]) if (!was.has(r.line) && !belongsToOther(r, others)) added.push({ type, resource: r });
  }
  return added;
}

/** Compares a listing after destroy with the one before the lab. */
export function diffListings(
  before: RegionListing,
  after: RegionListing,
  others: OtherLabs = { ids: new Set(), stackNames: [] },
): ListingDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const unlisted = new Set<string>();
  for (const type of after.types) {
    if (before.unlisted[type] !== undefined || after.unlisted[type] !== undefined || !before.resources[type] || !after.resources[type]) {
      unlisted.add(`${type}: ${after.unlisted[type] ?? before.unlisted[type] ?? 'not listed before the lab'}`);
      continue;
    }
    const was = new Set(before.resources[type].map((r) => r.line));
    const now = new Set(after.resources[type].map((r) => r.line));
    for (const r of after.resources[type]) if (!was.has(r.line) && !belongsToOther(r, others)) added.push(r.line);
    for (const r of before.resources[type]) if (!now.has(r.line)) removed.push(r.line);
  }
  return { added: added.sort(), removed: removed.sort(), unlisted: [...unlisted].sort() };
}
