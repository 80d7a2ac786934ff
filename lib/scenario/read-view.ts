/**
 * A per-round, per-account read view: the account-wide collections gathers
 * look things up in (stacks, the VPC networking describes and network ACLs,
 * ELB load balancers and target groups, RDS DB instances, Lambda functions,
 * Parameter Store parameters, ECR repositories, log groups, IAM's
 * roles and customer managed policies, the caller, the organization and its
 * SCPs over the account), each read once per account and Region per round and shared
 * by every lab graded in that round. `class grade` builds one view per
 * account+Region per round; `check` builds one per check (a round of one), so
 * both go through the same code. A view is never kept past its round: live
 * state must be read again for the next verdict.
 *
 * Lookups by ID fall back to the per-resource call when the listing does not
 * hold the resource, so a missing resource fails exactly as it did before
 * (the same AWS error), and a listing that a target shapes differently never
 * turns into a different verdict.
 */
import { paginateDescribeStacks, Stack, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { LogGroup, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeVpcsCommand,
  NetworkAcl,
  paginateDescribeEgressOnlyInternetGateways,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribePrefixLists,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  PrefixList,
  RouteTable,
  SecurityGroup,
  Subnet,
  Vpc,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  LoadBalancer,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeRepositoriesCommand, paginateDescribeRepositories, Repository } from '@aws-sdk/client-ecr';
import { FunctionConfiguration, GetFunctionConfigurationCommand, LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import { DBInstance, DescribeDBInstancesCommand, paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds';
import { GetParametersCommand, Parameter, ParameterMetadata, paginateDescribeParameters, SSMClient } from '@aws-sdk/client-ssm';
import { ManagedPolicyDetail, paginateGetAccountAuthorizationDetails, RoleDetail } from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, DescribeOrganizationCommandOutput } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { collectPages } from '../core/paging';
import { describeStack, listStackResources, StackState } from '../engines/cfn/stack-state';
import type { NamedPolicy, ScpLevel } from '../engines/iam';
import type { VpcNetwork } from '../engines/network/types';
import { readVpcNetwork } from '../engines/network/gather';
import { decodePolicyDocument, readManagedPolicy, readScpLevels, RolePolicies } from '../live-policies';
import type { AwsClients } from '../targets/clients';

/** States in which a VPC endpoint or NAT gateway carries no traffic (what readVpcNetwork leaves out). */
const GONE_ENDPOINT = ['deleted', 'deleting', 'rejected', 'failed'];

/** Parameter Store's unencrypted types: their values are plain text to whoever may read them. */
export const PLAIN_PARAMETER_TYPES: readonly string[] = ['String', 'StringList'];

/** IAM's account-wide read: every role with its policies, and every customer managed policy with its versions. */
interface AuthorizationDetails {
  readonly roles: ReadonlyMap<string, RoleDetail>;
  readonly policies: ReadonlyMap<string, ManagedPolicyDetail>;
}

export class ReadView {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(readonly clients: AwsClients) {}

  /** Each read runs once per view; a failed read fails every lab that needs it, as the direct call would. */
  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      this.memo.set(key, p);
    }
    return p;
  }

  get region(): string {
    return this.clients.target.region;
  }

  // ---- the caller and its organization ----

  callerIdentity(): Promise<GetCallerIdentityCommandOutput> {
    return this.once('sts:identity', () => this.clients.sts.send(new GetCallerIdentityCommand({})));
  }

  /** DescribeOrganization's answer; rejects as the call does (AWSOrganizationsNotInUseException, AccessDenied...). */
  organization(): Promise<DescribeOrganizationCommandOutput> {
    return this.once('org:describe', () => this.clients.organizations.send(new DescribeOrganizationCommand({})));
  }

  /**
   * The service control policies over an account, root first (readScpLevels), once per view: they belong to
   * the account's place in the organization, so every lab in the account shares them. Rejects as the walk does.
   */
  scpLevels(accountId: string): Promise<ScpLevel[]> {
    return this.once(`org:scps:${accountId}`, () => readScpLevels(this.clients.organizations, accountId));
  }

  // ---- CloudFormation ----

  /** Every stack of the account and Region (DescribeStacks without a name lists them all, deleted ones aside). */
  stacks(): Promise<readonly Stack[]> {
    return this.once('cfn:stacks', () =>
      collectPages(paginateDescribeStacks({ client: this.clients.cloudformation }, {}), (p) => p.Stacks),
    );
  }

  /** One stack by name, as describeStack gives it; undefined when it does not exist. */
  async stack(stackName: string): Promise<StackState | undefined> {
    const listed = (await this.stacks()).find((s) => s.StackName === stackName && s.StackStatus !== 'DELETE_COMPLETE');
    // Not listed: ask for it by name, which is what tells "gone" from "not listed here" on every target.
    if (!listed) return this.once(`cfn:stack:${stackName}`, () => describeStack(this.clients.cloudformation, stackName));
    return {
      stackName: listed.StackName!,
      stackId: listed.StackId!,
      status: listed.StackStatus!,
      statusReason: listed.StackStatusReason,
      tags: Object.fromEntries((listed.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])),
      raw: listed,
    };
  }

  /** A stack's resources: CloudFormation has no account-wide listing of them, so this is per lab (once per view). */
  stackResources(stackName: string): Promise<StackResourceSummary[]> {
    return this.once(`cfn:resources:${stackName}`, () => listStackResources(this.clients.cloudformation, stackName));
  }

  // ---- EC2 networking ----

  routeTables(): Promise<readonly RouteTable[]> {
    return this.once('ec2:route-tables', () =>
      collectPages(paginateDescribeRouteTables({ client: this.clients.ec2 }, {}), (p) => p.RouteTables),
    );
  }
  vpcEndpoints(): Promise<readonly VpcEndpoint[]> {
    return this.once('ec2:vpc-endpoints', () =>
      collectPages(paginateDescribeVpcEndpoints({ client: this.clients.ec2 }, {}), (p) => p.VpcEndpoints),
    );
  }
  subnets(): Promise<readonly Subnet[]> {
    return this.once('ec2:subnets', () => collectPages(paginateDescribeSubnets({ client: this.clients.ec2 }, {}), (p) => p.Subnets));
  }
  securityGroups(): Promise<readonly SecurityGroup[]> {
    return this.once('ec2:security-groups', () =>
      collectPages(paginateDescribeSecurityGroups({ client: this.clients.ec2 }, {}), (p) => p.SecurityGroups),
    );
  }
  vpcs(): Promise<readonly Vpc[]> {
    return this.once('ec2:vpcs', () => collectPages(paginateDescribeVpcs({ client: this.clients.ec2 }, {}), (p) => p.Vpcs));
  }
  networkAcls(): Promise<readonly NetworkAcl[]> {
    return this.once('ec2:network-acls', () =>
      collectPages(paginateDescribeNetworkAcls({ client: this.clients.ec2 }, {}), (p) => p.NetworkAcls),
    );
  }
  prefixLists(): Promise<readonly PrefixList[]> {
    return this.once('ec2:prefix-lists', () =>
      collectPages(paginateDescribePrefixLists({ client: this.clients.ec2 }, {}), (p) => p.PrefixLists),
    );
  }

  /** The security groups of a VPC (readSecurityGroups' answer). */
  async securityGroupsOf(vpcId: string): Promise<SecurityGroup[]> {
    return (await this.securityGroups()).filter((g) => g.VpcId === vpcId);
  }

  /** One VPC by ID; when the listing lacks it, DescribeVpcs by ID answers (InvalidVpcID.NotFound). */
  async vpc(vpcId: string): Promise<Vpc | undefined> {
    const listed = (await this.vpcs()).find((v) => v.VpcId === vpcId);
    if (listed) return listed;
    return (await this.clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0];
  }

  /** The subnets of a VPC (DescribeSubnets filtered by vpc-id answers the same: empty for a VPC that has none). */
  async subnetsOf(vpcId: string): Promise<Subnet[]> {
    return (await this.subnets()).filter((s) => s.VpcId === vpcId);
  }

  /** The network ACLs of a VPC (DescribeNetworkAcls filtered by vpc-id answers the same). */
  async networkAclsOf(vpcId: string): Promise<NetworkAcl[]> {
    return (await this.networkAcls()).filter((a) => a.VpcId === vpcId);
  }

  /** The AWS-managed prefix list of a service in this Region (readServicePrefixList's answer). */
  async servicePrefixList(service: string): Promise<PrefixList | undefined> {
    const name = `com.amazonaws.${this.region}.${service}`;
    return (await this.prefixLists()).find((p) => p.PrefixListName === name);
  }

  /** The VPC of each listed subnet; a subnet the listing lacks is left out (the caller decides). */
  async vpcOfSubnets(subnetIds: readonly string[]): Promise<Record<string, string>> {
    const all = await this.subnets();
    return Object.fromEntries(all.filter((s) => subnetIds.includes(s.SubnetId!)).map((s) => [s.SubnetId!, s.VpcId!]));
  }

  /** One VPC's network, as readVpcNetwork reads it, from the account-wide collections. */
  async vpcNetwork(vpcId: string): Promise<VpcNetwork> {
    const ec2 = this.clients.ec2;
    const [vpcs, subnets, routeTables, endpoints, nats, igws, eigws] = await Promise.all([
      this.vpcs(),
      this.subnets(),
      this.routeTables(),
      this.vpcEndpoints(),
      this.once('ec2:nat-gateways', () => collectPages(paginateDescribeNatGateways({ client: ec2 }, {}), (p) => p.NatGateways)),
      this.once('ec2:internet-gateways', () =>
        collectPages(paginateDescribeInternetGateways({ client: ec2 }, {}), (p) => p.InternetGateways),
      ),
      this.once('ec2:egress-only-internet-gateways', () =>
        collectPages(paginateDescribeEgressOnlyInternetGateways({ client: ec2 }, {}), (p) => p.EgressOnlyInternetGateways),
      ),
    ]);
    const vpc = vpcs.find((v) => v.VpcId === vpcId);
    // Not listed: the per-VPC read fails (or answers) exactly as it did before the view.
    if (!vpc) return readVpcNetwork(ec2, this.region, vpcId);
    return {
      region: this.region,
      vpc,
      subnets: subnets.filter((s) => s.VpcId === vpcId),
      routeTables: routeTables.filter((t) => t.VpcId === vpcId),
      endpoints: endpoints.filter((e) => e.VpcId === vpcId && !GONE_ENDPOINT.includes((e.State ?? '').toLowerCase())),
      natGateways: nats.filter((n) => n.VpcId === vpcId && n.State !== 'deleted' && n.State !== 'deleting'),
      internetGateways: igws.filter((g) => g.Attachments?.some((a) => a.VpcId === vpcId)),
      egressOnlyInternetGateways: eigws.filter((g) => g.Attachments?.some((a) => a.VpcId === vpcId)),
    };
  }

  // ---- Elastic Load Balancing (v2) ----

  private get elb(): ElasticLoadBalancingV2Client {
    return this.clients.client(ElasticLoadBalancingV2Client);
  }
  loadBalancers(): Promise<readonly LoadBalancer[]> {
    return this.once('elbv2:load-balancers', () =>
      collectPages(paginateDescribeLoadBalancers({ client: this.elb }, {}), (p) => p.LoadBalancers),
    );
  }
  targetGroups(): Promise<readonly TargetGroup[]> {
    return this.once('elbv2:target-groups', () =>
      collectPages(paginateDescribeTargetGroups({ client: this.elb }, {}), (p) => p.TargetGroups),
    );
  }

  /** One load balancer by ARN; when the listing lacks it, DescribeLoadBalancers by ARN answers (LoadBalancerNotFoundException). */
  async loadBalancer(arn: string): Promise<LoadBalancer | undefined> {
    const listed = (await this.loadBalancers()).find((l) => l.LoadBalancerArn === arn);
    if (listed) return listed;
    return (await this.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }))).LoadBalancers?.[0];
  }

  /** One target group by ARN; when the listing lacks it, DescribeTargetGroups by ARN answers (TargetGroupNotFoundException). */
  async targetGroup(arn: string): Promise<TargetGroup | undefined> {
    const listed = (await this.targetGroups()).find((g) => g.TargetGroupArn === arn);
    if (listed) return listed;
    return (await this.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }))).TargetGroups?.[0];
  }

  // ---- RDS ----

  /** Every DB instance of the account and Region (DescribeDBInstances without an identifier). */
  dbInstances(): Promise<readonly DBInstance[]> {
    return this.once('rds:db-instances', () =>
      collectPages(paginateDescribeDBInstances({ client: this.clients.client(RDSClient) }, {}), (p) => p.DBInstances),
    );
  }

  /** One DB instance by identifier; when the listing lacks it, DescribeDBInstances by identifier answers (DBInstanceNotFound). */
  async dbInstance(identifier: string): Promise<DBInstance | undefined> {
    const listed = (await this.dbInstances()).find((d) => d.DBInstanceIdentifier === identifier);
    if (listed) return listed;
    const out = await this.clients.client(RDSClient).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
    return out.DBInstances?.[0];
  }

  // ---- Lambda ----

  /**
   * Every function of the account and Region, its unpublished version's configuration (ListFunctions). AWS
   * documents the entries as FunctionConfiguration less State, LastUpdateStatus and their reasons and
   * RuntimeVersionConfig; a gather that needs those reads the function itself.
   */
  functions(): Promise<readonly FunctionConfiguration[]> {
    return this.once('lambda:functions', () =>
      collectPages(paginateListFunctions({ client: this.clients.client(LambdaClient) }, {}), (p) => p.Functions),
    );
  }

  /** A function's configuration by name or ARN; when the listing lacks it, GetFunctionConfiguration answers (ResourceNotFoundException). */
  async functionConfiguration(nameOrArn: string): Promise<FunctionConfiguration> {
    const listed = (await this.functions()).find((f) => f.FunctionName === nameOrArn || f.FunctionArn === nameOrArn);
    if (listed) return listed;
    return this.clients.client(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: nameOrArn }));
  }

  // ---- Systems Manager Parameter Store ----

  /** Every parameter's metadata (DescribeParameters without filters: names and types, no values). */
  parameters(): Promise<readonly ParameterMetadata[]> {
    return this.once('ssm:parameters', () =>
      collectPages(paginateDescribeParameters({ client: this.clients.client(SSMClient) }, {}), (p) => p.Parameters),
    );
  }

  /**
   * Every plain (String, StringList) parameter of the account and Region with its value, GetParameters ten
   * names a call, once per view: it is the same set for every lab, whichever lab asks.
   */
  plainParameters(): Promise<readonly Parameter[]> {
    return this.once('ssm:plain-parameters', async () => {
      const names = (await this.parameters()).filter((p) => p.Name && PLAIN_PARAMETER_TYPES.includes(p.Type ?? '')).map((p) => p.Name!);
      const found: Parameter[] = [];
      for (let i = 0; i < names.length; i += 10) {
        const out = await this.clients.client(SSMClient).send(new GetParametersCommand({ Names: names.slice(i, i + 10) }));
        found.push(...(out.Parameters ?? []));
      }
      return found;
    });
  }

  // ---- ECR, CloudWatch Logs ----

  repositories(): Promise<readonly Repository[]> {
    return this.once('ecr:repositories', () =>
      collectPages(paginateDescribeRepositories({ client: this.clients.ecr }, {}), (p) => p.repositories),
    );
  }

  /** One repository by name; when the listing lacks it, DescribeRepositories by name answers (RepositoryNotFoundException). */
  async repository(name: string): Promise<Repository | undefined> {
    const listed = (await this.repositories()).find((r) => r.repositoryName === name);
    if (listed) return listed;
    return (await this.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))).repositories?.[0];
  }

  logGroups(): Promise<readonly LogGroup[]> {
    return this.once('logs:groups', () => collectPages(paginateDescribeLogGroups({ client: this.clients.logs }, {}), (p) => p.logGroups));
  }

  // ---- IAM ----

  /**
   * Every role and customer managed policy of the account in one paginated
   * GetAccountAuthorizationDetails. AWS managed policies are left out (over a
   * thousand of them, with every version); they are read by ARN when a role
   * has one attached, once per view.
   */
  private authorizationDetails(): Promise<AuthorizationDetails> {
    return this.once('iam:authorization-details', async () => {
      const roles = new Map<string, RoleDetail>();
      const policies = new Map<string, ManagedPolicyDetail>();
      for await (const page of paginateGetAccountAuthorizationDetails(
        { client: this.clients.iam },
        { Filter: ['Role', 'LocalManagedPolicy'] },
      )) {
        for (const r of page.RoleDetailList ?? []) if (r.RoleName) roles.set(r.RoleName, r);
        for (const p of page.Policies ?? []) if (p.Arn) policies.set(p.Arn, p);
      }
      return { roles, policies };
    });
  }

  /**
   * A managed policy's default version: from the account-wide read when it is a customer managed policy,
   * else (an AWS managed policy) GetPolicy and GetPolicyVersion, once per view.
   */
  managedPolicy(policyArn: string): Promise<NamedPolicy> {
    return this.once(`iam:policy:${policyArn}`, async () => {
      const detail = (await this.authorizationDetails()).policies.get(policyArn);
      const version = detail?.PolicyVersionList?.find((v) => v.VersionId === detail.DefaultVersionId);
      const document = decodePolicyDocument(version?.Document);
      if (!detail || !document) return readManagedPolicy(this.clients.iam, policyArn);
      // A policy's name is the last part of its ARN (after the path); moto 5.2.1 leaves PolicyName out of these details.
      return { name: detail.PolicyName ?? policyArn.slice(policyArn.lastIndexOf('/') + 1), arn: policyArn, document };
    });
  }

  /** A role's policies, as readRolePolicies gives them, from the account-wide read. */
  rolePolicies(roleName: string): Promise<RolePolicies> {
    return this.once(`iam:role:${roleName}`, async () => {
      const role = (await this.authorizationDetails()).roles.get(roleName);
      // The account-wide read is IAM's whole list of roles: one it lacks does not exist (readRolePolicies' own sentence).
      if (!role?.Arn) throw new Error(`IAM role ${roleName} was not found.`);
      const inline = (role.RolePolicyList ?? []).map((p): NamedPolicy => ({
        name: p.PolicyName!,
        kind: 'inline policy',
        document: decodePolicyDocument(p.PolicyDocument) ?? '{}',
      }));
      const attachedArns = (role.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn!).filter(Boolean);
      const boundaryArn = role.PermissionsBoundary?.PermissionsBoundaryArn;
      const [attached, boundary] = await Promise.all([
        Promise.all(
          attachedArns.map(async (arn): Promise<NamedPolicy> => ({ ...(await this.managedPolicy(arn)), kind: 'managed policy' })),
        ),
        boundaryArn ? this.managedPolicy(boundaryArn) : Promise.resolve(undefined),
      ]);
      return {
        roleName,
        roleArn: role.Arn,
        account: role.Arn.split(':')[4],
        roleId: role.RoleId,
        tags: Object.fromEntries((role.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? ''])),
        identity: [...inline, ...attached],
        inlinePolicyNames: inline.map((p) => p.name!),
        attachedPolicyArns: attachedArns,
        permissionsBoundary: boundary ? { ...boundary, kind: 'permissions boundary' } : undefined,
        trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument),
      };
    });
  }
}

/**
 * The context with a read view: the round's when the caller (class grading) gave one, otherwise a view of
 * its own for this gather only (a round of one). Gathers start with this and read through `ctx.view`.
 */
export function withReadView<C extends { readonly view?: ReadView; readonly clients: AwsClients }>(
  ctx: C,
): C & { readonly view: ReadView } {
  return ctx.view ? (ctx as C & { view: ReadView }) : { ...ctx, view: new ReadView(ctx.clients) };
}
