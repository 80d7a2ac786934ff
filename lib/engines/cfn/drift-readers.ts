/**
 * Live reads of a stack's resources through the SDK, returned in the shape
 * of the template's properties so drift-compare.ts can compare them, plus
 * the Fn::GetAtt attributes the drift engine needs to resolve templates.
 *
 * A reader returns undefined only when the service says the resource does
 * not exist (its NotFound error by name); any other error (AccessDenied,
 * throttling) propagates, so a denied read is never taken for a deletion.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeSecurityGroupsCommand, DescribeVpcsCommand, EC2Client, IpPermission } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  paginateListAttachedRolePolicies,
  paginateListEntitiesForPolicy,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DescribeParametersCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { dropEmpty, Json, JsonObject, sgRule } from './drift-compare';
import { Unresolvable } from './drift-resolve';

/** The SDK clients the drift engine reads through; the caller owns them. */
export interface DriftClients {
  readonly cfn: CloudFormationClient;
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly lambda: LambdaClient;
  readonly ssm: SSMClient;
  readonly logs: CloudWatchLogsClient;
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly ecs: ECSClient;
  /** Only for Fn::GetAtt of an AWS::ECR::Repository. */
  readonly ecr?: ECRClient;
}

/** What a reader may ask about the rest of the stack. */
export interface ReaderContext {
  readonly clients: DriftClients;
  /** Inline policy names and managed policy ARNs of a role that other resources of the stack manage. */
  stackManagedAttachments(roleName: string): Promise<{ inline: Set<string>; managed: Set<string> }>;
  /** Roles of the stack whose own ManagedPolicyArns name the policy. */
  rolesAttachingInTemplate(policyArn: string): Promise<Set<string>>;
}

type Reader = (ctx: ReaderContext, physicalId: string, expected: JsonObject) => Promise<JsonObject | undefined>;

/** Runs `read`; undefined when the service answers with one of the not-found errors named. */
async function unlessGone<T>(read: () => Promise<T>, notFound: readonly string[]): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    if (notFound.includes(e.name ?? '') || notFound.includes(e.Code ?? '')) return undefined;
    if (notFound.includes('404') && e.$metadata?.httpStatusCode === 404) return undefined;
    throw err;
  }
}

/** IAM returns policy documents URL-encoded (RFC 3986); some endpoints return plain JSON. */
function policyDocument(text: string | undefined): Json {
  if (!text) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return JSON.parse(decodeURIComponent(text)) as Json;
  }
}

function sgRules(perms: IpPermission[] | undefined, egress: boolean): JsonObject[] {
  const side = egress ? 'Destination' : 'Source';
  const out: JsonObject[] = [];
  for (const p of perms ?? []) {
    const base: JsonObject = { IpProtocol: p.IpProtocol ?? null, FromPort: p.FromPort ?? null, ToPort: p.ToPort ?? null };
    for (const r of p.IpRanges ?? []) out.push(sgRule({ ...base, CidrIp: r.CidrIp ?? null, Description: r.Description ?? null }, egress));
    for (const r of p.Ipv6Ranges ?? [])
      out.push(sgRule({ ...base, CidrIpv6: r.CidrIpv6 ?? null, Description: r.Description ?? null }, egress));
    for (const g of p.UserIdGroupPairs ?? []) {
      out.push(sgRule({ ...base, [`${side}SecurityGroupId`]: g.GroupId ?? null, Description: g.Description ?? null }, egress));
    }
    for (const l of p.PrefixListIds ?? []) {
      out.push(sgRule({ ...base, [`${side}PrefixListId`]: l.PrefixListId ?? null, Description: l.Description ?? null }, egress));
    }
  }
  return out;
}

const readSecurityGroup: Reader = async ({ clients }, id) => {
  const out = await unlessGone(() => clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] })), ['InvalidGroup.NotFound']);
  const g = out?.SecurityGroups?.[0];
  if (!g) return undefined;
  return {
    GroupDescription: g.Description ?? null,
    GroupName: g.GroupName ?? null,
    VpcId: g.VpcId ?? null,
    SecurityGroupIngress: sgRules(g.IpPermissions, false),
    SecurityGroupEgress: sgRules(g.IpPermissionsEgress, true),
  };
};

const readRole: Reader = async (ctx, name) => {
  const { iam } = ctx.clients;
  const out = await unlessGone(() => iam.send(new GetRoleCommand({ RoleName: name })), ['NoSuchEntityException', 'NoSuchEntity']);
  if (!out?.Role) return undefined;
  const role = out.Role;
  const elsewhere = await ctx.stackManagedAttachments(name);
  const policies: Json[] = [];
  for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: name })) {
    for (const policyName of page.PolicyNames ?? []) {
      if (elsewhere.inline.has(policyName)) continue;
      const doc = await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }));
      policies.push({ PolicyName: policyName, PolicyDocument: policyDocument(doc.PolicyDocument) });
    }
  }
  const arns: Json[] = [];
  for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: name })) {
    for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn && !elsewhere.managed.has(p.PolicyArn)) arns.push(p.PolicyArn);
  }
  return dropEmpty({
    AssumeRolePolicyDocument: policyDocument(role.AssumeRolePolicyDocument),
    Policies: policies,
    ManagedPolicyArns: arns,
    Path: role.Path,
    RoleName: role.RoleName,
    Description: role.Description,
    MaxSessionDuration: role.MaxSessionDuration,
    PermissionsBoundary: role.PermissionsBoundary?.PermissionsBoundaryArn,
  });
};

const readManagedPolicy: Reader = async (ctx, arn) => {
  const { iam } = ctx.clients;
  const out = await unlessGone(() => iam.send(new GetPolicyCommand({ PolicyArn: arn })), ['NoSuchEntityException', 'NoSuchEntity']);
  const policy = out?.Policy;
  if (!policy) return undefined;
  const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId }));
  const viaRoles = await ctx.rolesAttachingInTemplate(arn);
  const roles: Json[] = [];
  const users: Json[] = [];
  const groups: Json[] = [];
  for await (const page of paginateListEntitiesForPolicy({ client: iam }, { PolicyArn: arn })) {
    for (const r of page.PolicyRoles ?? []) if (r.RoleName && !viaRoles.has(r.RoleName)) roles.push(r.RoleName);
    for (const u of page.PolicyUsers ?? []) if (u.UserName) users.push(u.UserName);
    for (const g of page.PolicyGroups ?? []) if (g.GroupName) groups.push(g.GroupName);
  }
  return dropEmpty({
    PolicyDocument: policyDocument(version.PolicyVersion?.Document),
    Description: policy.Description,
    Path: policy.Path,
    ManagedPolicyName: policy.PolicyName,
    Roles: roles,
    Users: users,
    Groups: groups,
  });
};

const readInlinePolicy: Reader = async ({ clients: { iam } }, _id, expected) => {
  const name = String(expected.PolicyName);
  const gone = ['NoSuchEntityException', 'NoSuchEntity'];
  const getters: Record<string, (holder: string) => Promise<{ PolicyDocument?: string } | undefined>> = {
    Roles: (n) => unlessGone(() => iam.send(new GetRolePolicyCommand({ RoleName: n, PolicyName: name })), gone),
    Users: (n) => unlessGone(() => iam.send(new GetUserPolicyCommand({ UserName: n, PolicyName: name })), gone),
    Groups: (n) => unlessGone(() => iam.send(new GetGroupPolicyCommand({ GroupName: n, PolicyName: name })), gone),
  };
  const actual: JsonObject = { PolicyName: name };
  let document: string | undefined;
  for (const [key, get] of Object.entries(getters)) {
    const having: Json[] = [];
    for (const holder of (expected[key] as Json[] | undefined) ?? []) {
      const doc = await get(String(holder));
      if (doc?.PolicyDocument) {
        having.push(holder);
        document = document ?? doc.PolicyDocument;
      }
    }
    if (having.length) actual[key] = having;
  }
  if (document === undefined) return undefined;
  actual.PolicyDocument = policyDocument(document);
  return actual;
};

const readFunction: Reader = async ({ clients }, name) => {
  const fn = await unlessGone(
    () => clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })),
    ['ResourceNotFoundException'],
  );
  if (!fn) return undefined;
  const variables = fn.Environment?.Variables ?? {};
  return dropEmpty({
    FunctionName: fn.FunctionName,
    Handler: fn.Handler,
    Runtime: fn.Runtime,
    Role: fn.Role,
    Timeout: fn.Timeout,
    MemorySize: fn.MemorySize,
    Description: fn.Description,
    Environment: Object.keys(variables).length ? { Variables: variables } : undefined,
  });
};

const readParameter: Reader = async ({ clients }, name) => {
  const out = await unlessGone(() => clients.ssm.send(new GetParameterCommand({ Name: name })), ['ParameterNotFound']);
  const p = out?.Parameter;
  if (!p) return undefined;
  const meta = await clients.ssm.send(
    new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] }),
  );
  const m = meta.Parameters?.[0];
  return dropEmpty({
    Name: p.Name,
    Type: p.Type,
    Value: p.Value,
    Description: m?.Description,
    AllowedPattern: m?.AllowedPattern,
    Tier: m?.Tier,
    DataType: p.DataType,
  });
};

const readLogGroup: Reader = async ({ clients }, name) => {
  const out = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  const g = (out.logGroups ?? []).find((x) => x.logGroupName === name);
  if (!g) return undefined;
  return dropEmpty({ LogGroupName: g.logGroupName, RetentionInDays: g.retentionInDays, KmsKeyId: g.kmsKeyId });
};

const readTable: Reader = async ({ clients }, name) => {
  const out = await unlessGone(() => clients.dynamodb.send(new DescribeTableCommand({ TableName: name })), ['ResourceNotFoundException']);
  const t = out?.Table;
  if (!t) return undefined;
  const ttl = (await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
  const billing = t.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const ttlSpec: JsonObject | undefined = ttl?.TimeToLiveStatus
    ? {
        ...(ttl.AttributeName ? { AttributeName: ttl.AttributeName } : {}),
        Enabled: ttl.TimeToLiveStatus === 'ENABLED' || ttl.TimeToLiveStatus === 'ENABLING',
      }
    : undefined;
  return dropEmpty({
    TableName: t.TableName,
    BillingMode: billing,
    ProvisionedThroughput:
      billing === 'PROVISIONED'
        ? {
            ReadCapacityUnits: t.ProvisionedThroughput?.ReadCapacityUnits ?? null,
            WriteCapacityUnits: t.ProvisionedThroughput?.WriteCapacityUnits ?? null,
          }
        : undefined,
    TimeToLiveSpecification: ttlSpec,
    KeySchema: (t.KeySchema ?? []).map((k) => ({ AttributeName: k.AttributeName ?? null, KeyType: k.KeyType ?? null })),
    AttributeDefinitions: (t.AttributeDefinitions ?? []).map((a) => ({
      AttributeName: a.AttributeName ?? null,
      AttributeType: a.AttributeType ?? null,
    })),
    DeletionProtectionEnabled: Boolean(t.DeletionProtectionEnabled),
    StreamSpecification: t.StreamSpecification?.StreamEnabled
      ? { StreamViewType: t.StreamSpecification.StreamViewType ?? null }
      : undefined,
  });
};

const readBucket: Reader = async ({ clients: { s3 } }, name) => {
  const head = await unlessGone(() => s3.send(new HeadBucketCommand({ Bucket: name })), ['NotFound', 'NoSuchBucket', '404']);
  if (!head) return undefined;
  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: name }));
  const pab = await unlessGone(() => s3.send(new GetPublicAccessBlockCommand({ Bucket: name })), ['NoSuchPublicAccessBlockConfiguration']);
  const block = pab?.PublicAccessBlockConfiguration;
  return dropEmpty({
    BucketName: name,
    VersioningConfiguration: versioning.Status ? { Status: versioning.Status } : undefined,
    PublicAccessBlockConfiguration: block
      ? {
          BlockPublicAcls: Boolean(block.BlockPublicAcls),
          BlockPublicPolicy: Boolean(block.BlockPublicPolicy),
          IgnorePublicAcls: Boolean(block.IgnorePublicAcls),
          RestrictPublicBuckets: Boolean(block.RestrictPublicBuckets),
        }
      : undefined,
  });
};

const readBucketPolicy: Reader = async ({ clients: { s3 } }, physicalId, expected) => {
  const bucket = String(expected.Bucket ?? physicalId);
  const out = await unlessGone(() => s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), ['NoSuchBucketPolicy', 'NoSuchBucket']);
  if (!out?.Policy) return undefined;
  return { Bucket: bucket, PolicyDocument: JSON.parse(out.Policy) as Json };
};

/** arn:aws:ecs:<region>:<account>:service/<cluster>/<name> (the old format has no cluster: default). */
function clusterOfService(arn: string): string {
  const parts = arn.split(':').slice(5).join(':').split('/');
  return parts.length === 3 ? parts[1] : 'default';
}

const readService: Reader = async ({ clients }, arn) => {
  const out = await clients.ecs.send(new DescribeServicesCommand({ cluster: clusterOfService(arn), services: [arn] }));
  const s = out.services?.[0];
  if (!s || s.status !== 'ACTIVE') return undefined;
  const vpc = s.networkConfiguration?.awsvpcConfiguration;
  return dropEmpty({
    ServiceName: s.serviceName,
    DesiredCount: s.desiredCount,
    TaskDefinition: s.taskDefinition,
    LaunchType: s.launchType,
    NetworkConfiguration: vpc
      ? { AwsvpcConfiguration: dropEmpty({ AssignPublicIp: vpc.assignPublicIp, SecurityGroups: vpc.securityGroups, Subnets: vpc.subnets }) }
      : undefined,
  });
};

const readTaskDefinition: Reader = async ({ clients }, arn) => {
  const out = await unlessGone(() => clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })), ['ClientException']);
  const t = out?.taskDefinition;
  if (!t || t.status !== 'ACTIVE') return undefined;
  return dropEmpty({
    Family: t.family,
    Cpu: t.cpu,
    Memory: t.memory,
    NetworkMode: t.networkMode,
    RequiresCompatibilities: t.requiresCompatibilities,
    ExecutionRoleArn: t.executionRoleArn,
    TaskRoleArn: t.taskRoleArn,
  });
};

export const READERS: Readonly<Record<string, Reader>> = {
  'AWS::EC2::SecurityGroup': readSecurityGroup,
  'AWS::IAM::Role': readRole,
  'AWS::IAM::ManagedPolicy': readManagedPolicy,
  'AWS::IAM::Policy': readInlinePolicy,
  'AWS::Lambda::Function': readFunction,
  'AWS::SSM::Parameter': readParameter,
  'AWS::Logs::LogGroup': readLogGroup,
  'AWS::DynamoDB::Table': readTable,
  'AWS::S3::Bucket': readBucket,
  'AWS::S3::BucketPolicy': readBucketPolicy,
  'AWS::ECS::Service': readService,
  'AWS::ECS::TaskDefinition': readTaskDefinition,
};

export interface Pseudo {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
}

/**
 * Fn::GetAtt for the attributes templates of these stacks use ("Resource
 * type reference", Return values sections); anything else is Unresolvable.
 */
export async function readAttribute(
  clients: DriftClients,
  pseudo: Pseudo,
  resourceType: string,
  physicalId: string,
  attribute: string,
): Promise<Json> {
  const key = `${resourceType}.${attribute}`;
  switch (key) {
    case 'AWS::EC2::VPC.CidrBlock':
      return (await clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [physicalId] }))).Vpcs?.[0]?.CidrBlock ?? null;
    case 'AWS::EC2::SecurityGroup.GroupId':
      return physicalId;
    case 'AWS::EC2::SecurityGroup.VpcId':
      return (await clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [physicalId] }))).SecurityGroups?.[0]?.VpcId ?? null;
    case 'AWS::IAM::Role.Arn':
      return (await clients.iam.send(new GetRoleCommand({ RoleName: physicalId }))).Role?.Arn ?? null;
    case 'AWS::IAM::Role.RoleId':
      return (await clients.iam.send(new GetRoleCommand({ RoleName: physicalId }))).Role?.RoleId ?? null;
    case 'AWS::IAM::ManagedPolicy.PolicyArn':
      return physicalId;
    case 'AWS::DynamoDB::Table.Arn':
      return (await clients.dynamodb.send(new DescribeTableCommand({ TableName: physicalId }))).Table?.TableArn ?? null;
    case 'AWS::DynamoDB::Table.StreamArn':
      return (await clients.dynamodb.send(new DescribeTableCommand({ TableName: physicalId }))).Table?.LatestStreamArn ?? null;
    case 'AWS::Logs::LogGroup.Arn':
      return `arn:${pseudo.partition}:logs:${pseudo.region}:${pseudo.accountId}:log-group:${physicalId}:*`;
    case 'AWS::Lambda::Function.Arn':
      return (await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: physicalId }))).FunctionArn ?? null;
    case 'AWS::S3::Bucket.Arn':
      return `arn:${pseudo.partition}:s3:::${physicalId}`;
    case 'AWS::S3::Bucket.DomainName':
      return `${physicalId}.s3.${pseudo.urlSuffix}`;
    case 'AWS::S3::Bucket.RegionalDomainName':
      return `${physicalId}.s3.${pseudo.region}.${pseudo.urlSuffix}`;
    case 'AWS::ECS::Cluster.Arn':
      return (await clients.ecs.send(new DescribeClustersCommand({ clusters: [physicalId] }))).clusters?.[0]?.clusterArn ?? null;
    case 'AWS::ECS::TaskDefinition.TaskDefinitionArn':
      return physicalId;
    case 'AWS::SSM::Parameter.Value':
      return (await clients.ssm.send(new GetParameterCommand({ Name: physicalId }))).Parameter?.Value ?? null;
    case 'AWS::SSM::Parameter.Type':
      return (await clients.ssm.send(new GetParameterCommand({ Name: physicalId }))).Parameter?.Type ?? null;
    case 'AWS::ECR::Repository.Arn':
    case 'AWS::ECR::Repository.RepositoryUri': {
      if (!clients.ecr) break;
      const repo = (await clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [physicalId] }))).repositories?.[0];
      return (attribute === 'Arn' ? repo?.repositoryArn : repo?.repositoryUri) ?? null;
    }
  }
  throw new Unresolvable(`Fn::GetAtt ${resourceType}.${attribute}`);
}
