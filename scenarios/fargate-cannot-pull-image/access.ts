/**
 * The requests ECS makes with the task execution role before the container starts, decided by the IAM
 * engine with the full request context AWS builds: the role session ECS creates (ecs-tasks.amazonaws.com
 * assumes the role for the task), the role's tags and unique ID, the Region, and the VPC endpoint the
 * request travels through from the task subnets. Identity policies, the permissions boundary, the
 * repository policy and the endpoint policy all count; the trust policy decides whether ECS can assume
 * the role at all. `check` and `status` read the same decisions from here.
 */
import {
  AssumeRoleAnswer,
  canAssumeRole,
  checkAccessNotGranted,
  CheckResult,
  describeDecision,
  describeStatement,
  destructiveActions,
  evaluate,
  EvaluationResult,
  IndeterminateError,
  NamedPolicy,
  StatedContext,
} from '../../lib/engines/iam';
import { egressAllows, ingressAllows, interfacePath, PathResult, s3Path, SgPeer } from '../../lib/engines/network';
import {
  buildRequestContext,
  buildServiceCallContext,
  NetworkPath,
  sessionArn,
  WorkloadCaller,
  workloadRequest,
} from '../../lib/engines/request-context';
import { FargatePullSnapshot, LabNetwork, assignsPublicIp, taskSecurityGroups, taskSubnets } from './gather';

/** The service principal that assumes task execution roles (ECS Developer Guide, "Amazon ECS task execution IAM role"). */
export const ECS_TASKS = 'ecs-tasks.amazonaws.com';
/** ECS names the role session after the task; this stands for any task ID. */
export const TASK_ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** A request of the execution role, and the interface endpoint service it travels through. */
export interface WorkloadCall {
  readonly action: string;
  readonly resource: string;
  readonly via: 'ecr.api' | 'ecr.dkr' | 'logs';
}

/** The account of the lab: the execution role's, else the repository's. */
export function accountOf(s: FargatePullSnapshot): string {
  return s.executionRole?.account ?? s.repository?.repositoryArn?.split(':')[4] ?? '000000000000';
}

function repositoryArn(s: FargatePullSnapshot): string {
  return s.repository?.repositoryArn ?? `arn:aws:ecr:${s.region}:${accountOf(s)}:repository/${s.repositoryName}`;
}

/**
 * What ECS does with the execution role to pull a private ECR image (guide CHECK 1; ECR User Guide,
 * "Private registry authentication" and "Using Amazon ECR images with Amazon ECS"): the registry token
 * through the ECR API endpoint, then the manifest and layer URLs through the Docker registry endpoint.
 */
export function pullRequests(s: FargatePullSnapshot): WorkloadCall[] {
  const repo = repositoryArn(s);
  return [
    { action: 'ecr:GetAuthorizationToken', resource: '*', via: 'ecr.api' },
    { action: 'ecr:BatchCheckLayerAvailability', resource: repo, via: 'ecr.dkr' },
    { action: 'ecr:GetDownloadUrlForLayer', resource: repo, via: 'ecr.dkr' },
    { action: 'ecr:BatchGetImage', resource: repo, via: 'ecr.dkr' },
  ];
}

/** The awslogs driver writes with the execution role too. */
export function logRequests(s: FargatePullSnapshot): WorkloadCall[] {
  const group = s.taskDefinition?.containerDefinitions?.find((c) => c.logConfiguration?.logDriver === 'awslogs')?.logConfiguration
    ?.options?.['awslogs-group'];
  if (!group) return [];
  const stream = `arn:aws:logs:${s.region}:${accountOf(s)}:log-group:${group}:log-stream:app/app/${TASK_ID}`;
  return [
    { action: 'logs:CreateLogStream', resource: stream, via: 'logs' },
    { action: 'logs:PutLogEvents', resource: stream, via: 'logs' },
  ];
}

/** The execution role's session as AWS sees it: created by ecs-tasks.amazonaws.com, named after the task. */
export function executionCaller(s: FargatePullSnapshot): WorkloadCaller {
  const role = s.executionRole!;
  return {
    roleArn: role.roleArn,
    sessionName: TASK_ID,
    origin: { by: 'service', service: ECS_TASKS },
    roleId: role.roleId,
    roleTags: role.tags,
  };
}

/** The network path a task in `subnetId` takes to an interface endpoint service; undefined when it has none. */
function pathFrom(
  s: FargatePullSnapshot,
  subnetId: string,
  via: WorkloadCall['via'],
): { network: NetworkPath; endpoint?: NamedPolicy } | undefined {
  const net = taskSubnets(s).find((t) => t.subnetId === subnetId)?.network;
  if (!net) return undefined;
  const path = interfacePath(net, subnetId, via);
  if (!path.reachable) return undefined;
  if (path.via !== 'interface-endpoint') return { network: { via: 'internet' } };
  const ep = net.endpoints.find((e) => e.VpcEndpointId === path.resourceId);
  const endpoint = ep?.PolicyDocument ? { name: ep.VpcEndpointId, kind: 'VPC endpoint policy', document: ep.PolicyDocument } : undefined;
  return { network: { via: 'vpc-endpoint', vpceId: path.resourceId!, vpcId: net.vpc.VpcId! }, endpoint };
}

/** One decision of one request from one task subnet, or why it could not be decided. */
export interface CallDecision {
  readonly call: WorkloadCall;
  /** The task subnet the request leaves from; undefined when the service reports none. */
  readonly subnetId?: string;
  readonly allowed: boolean;
  readonly result?: EvaluationResult;
  /** "allowed by ..." / "implicitly denied: ..." / why it could not be decided. */
  readonly because: string;
}

/**
 * Decides `calls` as the execution role's session from every task subnet (each may reach the endpoints
 * differently). A subnet without a path to a call's endpoint is the network criteria's business and is
 * skipped; a decision that depends on a key nobody can know counts as not shown to be allowed.
 */
export function decideCalls(s: FargatePullSnapshot, calls: readonly WorkloadCall[]): CallDecision[] {
  const role = s.executionRole!;
  const repo = repositoryArn(s);
  const resourcePolicy = repositoryPolicy(s);
  const out: CallDecision[] = [];
  // Without task subnets the path is unknown; the decision is still made (and refused if the path matters).
  const subnets: (string | undefined)[] = taskSubnets(s).map((t) => t.subnetId);
  if (subnets.length === 0) subnets.push(undefined);
  for (const call of calls) {
    const seen = new Set<string>();
    for (const subnetId of subnets) {
      const path = (subnetId && pathFrom(s, subnetId, call.via)) || { network: { via: 'unknown' } as NetworkPath };
      const key = JSON.stringify(path.network);
      if (seen.has(key)) continue;
      seen.add(key);
      const onRepo = call.resource === repo;
      const request = workloadRequest({
        caller: executionCaller(s),
        request: {
          action: call.action,
          resourceArn: call.resource,
          region: s.region,
          ...(onRepo && s.repositoryTags ? { resourceTags: s.repositoryTags } : {}),
        },
        network: path.network,
      });
      try {
        const result = evaluate(request, {
          identity: role.identity,
          permissionsBoundary: role.permissionsBoundary,
          resource: onRepo ? resourcePolicy : undefined,
          vpcEndpoint: path.endpoint,
        });
        out.push({ call, subnetId, allowed: result.decision === 'Allowed', result, because: describeDecision(result) });
      } catch (err) {
        if (!(err instanceof IndeterminateError)) throw err;
        out.push({ call, subnetId, allowed: false, because: `not decidable: ${err.message}` });
      }
    }
  }
  return out;
}

/**
 * Whether ECS can assume the execution role for a task of this service: the trust policy must let
 * ecs-tasks.amazonaws.com call sts:AssumeRole, with the aws:SourceAccount and aws:SourceArn ECS sends
 * (ECS Developer Guide, "Amazon ECS task execution IAM role", confused-deputy conditions).
 */
export function executionRoleTrust(s: FargatePullSnapshot): AssumeRoleAnswer | { allowed: false; sentence: string } {
  const role = s.executionRole!;
  if (!role.trustPolicy) return { allowed: false, sentence: `Execution role ${role.roleName} reports no trust policy.` };
  const account = accountOf(s);
  try {
    return canAssumeRole({
      roleArn: role.roleArn,
      trustPolicy: role.trustPolicy,
      caller: ECS_TASKS,
      context: buildServiceCallContext({
        service: ECS_TASKS,
        region: s.region,
        sourceAccount: account,
        sourceArn: `arn:aws:ecs:${s.region}:${account}:task/${s.clusterName}/${TASK_ID}`,
      }),
    });
  } catch (err) {
    if (!(err instanceof IndeterminateError)) throw err;
    return { allowed: false, sentence: `Whether ${ECS_TASKS} can assume ${role.roleArn} is not decidable: ${err.message}` };
  }
}

/**
 * What an execution role is documented to need, and nothing else: AWS's managed policies for it
 * (AmazonECSTaskExecutionRolePolicy) and for pulling from ECR (AmazonEC2ContainerRegistryReadOnly,
 * AmazonEC2ContainerRegistryPullOnly), plus logs:CreateLogGroup, which the awslogs driver needs when it
 * creates its group (ECS Developer Guide, "Using the awslogs log driver", awslogs-create-group).
 */
export const EXECUTION_ROLE_NEEDS = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'PullAndLog',
      Effect: 'Allow',
      Action: [
        'ecr:GetAuthorizationToken',
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchGetImage',
        'ecr:BatchImportUpstreamImage',
        'ecr:GetRepositoryPolicy',
        'ecr:DescribeRepositories',
        'ecr:ListImages',
        'ecr:DescribeImages',
        'ecr:GetLifecyclePolicy',
        'ecr:GetLifecyclePolicyPreview',
        'ecr:ListTagsForResource',
        'ecr:DescribeImageScanFindings',
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ],
      Resource: '*',
    },
  ],
} as const;

/**
 * The context every request made with the execution role's credentials carries. Facts of the credentials
 * (principal ARN, account, tags, aws:userid, a service-created session) are fixed; where the request goes
 * and what it targets (Region, resource account, endpoint, VPC, every service's own keys) are free, since
 * whoever holds the credentials chooses them: a grant whose condition some such request meets counts.
 */
export function credentialsContext(s: FargatePullSnapshot): StatedContext {
  const base = buildRequestContext({
    caller: executionCaller(s),
    request: { action: 'ecr:BatchGetImage', resourceArn: '*', region: s.region },
    network: { via: 'unknown' },
  });
  const free = ['aws:RequestedRegion', 'aws:ResourceAccount', 'aws:ResourceOrgID', 'aws:ResourceOrgPaths'];
  const values = Object.fromEntries(Object.entries(base.values).filter(([k]) => !free.includes(k)));
  return {
    values,
    unknown: [...base.unknown, ...free, '*'],
    absent: (base.absent ?? []).filter((k) => !free.includes(k) && k !== 'aws:RequestTag/*' && k !== 'aws:TagKeys'),
  };
}

/**
 * Whether the execution role's session may do anything beyond EXECUTION_ROLE_NEEDS: IAM Access Analyzer's
 * CheckNoNewAccess against a reference that grants those actions on every resource without conditions,
 * which is CheckAccessNotGranted over every other action on every resource. Identity policies within the
 * boundary and the repository policy's grants count. A FAIL names a request and the statement that
 * grants it; when an action that destroys or exposes data (ECR, S3, DynamoDB, Secrets Manager, KMS, IAM)
 * is among what is granted, the witness is one of those.
 */
export function executionRoleOverGrant(s: FargatePullSnapshot): CheckResult {
  const role = s.executionRole!;
  const repoPolicy = repositoryPolicy(s);
  const check = (access: { actions: string[]; exceptActions?: string[]; resources: string[] }[]) =>
    checkAccessNotGranted({
      principalArn: sessionArn(role.roleArn, TASK_ID),
      context: credentialsContext(s),
      identity: role.identity,
      permissionsBoundary: role.permissionsBoundary,
      resourcePolicies: repoPolicy ? [{ resources: [repositoryArn(s)], policy: repoPolicy }] : [],
      access,
    });
  const needs = [...EXECUTION_ROLE_NEEDS.Statement[0].Action];
  const proof = check([{ actions: ['*'], exceptActions: needs, resources: ['*'] }]);
  if (proof.result === 'PASS') return proof;
  // CloudWatch Logs deletions and retention changes destroy the container logs the role writes.
  const harmful = [
    ...destructiveActions(PROTECTED_KINDS),
    'iam:*',
    'logs:DeleteLogGroup',
    'logs:DeleteLogStream',
    'logs:PutRetentionPolicy',
  ];
  const telling = check([
    { actions: harmful, resources: [repositoryArn(s)] },
    { actions: harmful, resources: ['*'] },
  ]);
  return telling.result === 'FAIL' ? { ...proof, findings: telling.findings } : proof;
}

/** The kinds of data an over-granted execution role could destroy or expose (the engine's list, per the Service Authorization Reference). */
const PROTECTED_KINDS = ['ecr-repository', 's3-object', 's3-bucket', 'dynamodb-table', 'secretsmanager-secret', 'kms-key'] as const;

/**
 * The lab repository's policy as the engine reads it. ECR repository policies name no Resource: the
 * statements apply to the repository they are set on (ECR User Guide, "Private repository policy examples":
 * they "will not work properly if used with an IAM principal directly unless modified to specify the
 * Amazon ECR repository as the resource"), so that ARN is filled in where a statement names none.
 */
export function repositoryPolicy(s: FargatePullSnapshot): NamedPolicy | undefined {
  if (!s.repositoryPolicy) return undefined;
  const doc = JSON.parse(s.repositoryPolicy) as { Statement?: Record<string, unknown> | Record<string, unknown>[] };
  const list = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const Statement = list.map((st) => ('Resource' in st || 'NotResource' in st ? st : { ...st, Resource: repositoryArn(s) }));
  return { name: s.repositoryName, kind: 'repository policy', document: { ...doc, Statement } };
}

/** "ecr:PutImage on arn:... (granted by inline policy x statement y)" for a FAIL's first finding. */
export function describeOverGrant(check: CheckResult): string {
  const finding = check.findings[0];
  if (!finding) return '';
  const grants = finding.allowedBy.filter((r) => r.policyType === 'identity' || r.policyType === 'resource');
  const by = (grants.length ? grants : finding.allowedBy).map(describeStatement);
  const what = `${finding.witness.action} on ${finding.witness.resourceArn}`;
  return by.length ? `${what} (granted by ${by.join(' and ')})` : `${what} (not proved otherwise: ${check.notes.join('; ')})`;
}

// ---------------------------------------------------------------- network hops

/** Whether a task in one subnet gets a TCP connection through on 443: the route or endpoint, then the security groups. */
export interface Hop {
  readonly reachable: boolean;
  readonly path: PathResult;
  /** One sentence: what carries the traffic and which security group rule lets it through, or what stops it. */
  readonly reason: string;
}

const HTTPS = 443;

function subnetCidrs(net: LabNetwork, ids: readonly string[]): string[] {
  return ids.map((id) => net.subnets.find((sn) => sn.SubnetId === id)?.CidrBlock).filter((c): c is string => Boolean(c));
}

/** An interface endpoint's security groups; one created without any gets the VPC's default group (PrivateLink guide). */
function endpointGroups(net: LabNetwork, groups: readonly string[]): string[] {
  if (groups.length > 0) return [...groups];
  const fallback = net.securityGroups.find((g) => g.GroupName === 'default' && g.VpcId === net.vpc.VpcId);
  return fallback?.GroupId ? [fallback.GroupId] : [];
}

/** The security groups between the task ENI and an interface endpoint's ENIs: task egress, then endpoint ingress. */
function throughInterfaceEndpoint(s: FargatePullSnapshot, net: LabNetwork, subnetId: string, path: PathResult, label: string): Hop {
  const ep = net.endpoints.find((e) => e.VpcEndpointId === path.resourceId)!;
  const epGroups = endpointGroups(net, (ep.Groups ?? []).map((g) => g.GroupId!).filter(Boolean));
  const taskGroups = taskSecurityGroups(s);
  const toEndpoint: SgPeer = {
    cidrs: subnetCidrs(net, ep.SubnetIds ?? []),
    groupIds: epGroups,
    label: `interface endpoint ${ep.VpcEndpointId} (${label})`,
  };
  const out = egressAllows(net.securityGroups, taskGroups, HTTPS, toEndpoint);
  if (!out.allowed) return { reachable: false, path, reason: `Tasks in subnet ${subnetId}: ${out.reason}` };
  const fromTasks: SgPeer = { cidrs: subnetCidrs(net, [subnetId]), groupIds: taskGroups, label: `the tasks in subnet ${subnetId}` };
  const into = ingressAllows(net.securityGroups, epGroups, HTTPS, fromTasks);
  if (!into.allowed) return { reachable: false, path, reason: `Interface endpoint ${ep.VpcEndpointId} (${label}): ${into.reason}` };
  return { reachable: true, path, reason: `${path.reason} ${out.reason} ${into.reason}` };
}

/** Over the internet (NAT or internet gateway): the task's groups must let it out to any address. */
function overInternet(s: FargatePullSnapshot, net: LabNetwork, subnetId: string, path: PathResult, label: string): Hop {
  const out = egressAllows(net.securityGroups, taskSecurityGroups(s), HTTPS, { cidrs: [], label });
  if (!out.allowed) return { reachable: false, path, reason: `Tasks in subnet ${subnetId}: ${out.reason}` };
  return { reachable: true, path, reason: `${path.reason} ${out.reason}` };
}

/** How a task in `subnetId` reaches an interface endpoint service (ecr.api, ecr.dkr, logs) on 443, security groups included. */
export function interfaceHop(s: FargatePullSnapshot, net: LabNetwork, subnetId: string, service: string): Hop {
  const path = interfacePath(net, subnetId, service);
  if (!path.reachable) return { reachable: false, path, reason: path.reason };
  return path.via === 'interface-endpoint'
    ? throughInterfaceEndpoint(s, net, subnetId, path, service)
    : overInternet(s, net, subnetId, path, `${service} over the internet`);
}

/**
 * How a task in `subnetId` reaches S3, where ECR keeps layers: through a gateway endpoint the task's groups
 * must allow egress to S3's prefix list (or its addresses) on 443 (PrivateLink guide, "Gateway endpoints":
 * "the security groups ... must allow traffic to and from" the service's prefix list); through an interface
 * endpoint or the internet as for the other services.
 */
export function s3Hop(s: FargatePullSnapshot, net: LabNetwork, subnetId: string): Hop {
  const path = s3Path(net, subnetId, assignsPublicIp(s));
  if (!path.reachable) return { reachable: false, path, reason: path.reason };
  if (path.via === 'interface-endpoint') return throughInterfaceEndpoint(s, net, subnetId, path, 's3');
  if (path.via !== 'gateway-endpoint') return overInternet(s, net, subnetId, path, 'S3 over the internet');
  const routed = (net.routeTables.find((rt) => rt.RouteTableId === path.routeTableId)?.Routes ?? [])
    .filter((r) => r.GatewayId === path.resourceId && r.DestinationPrefixListId)
    .map((r) => r.DestinationPrefixListId!);
  const lists = [...new Set([...(net.s3PrefixList?.PrefixListId ? [net.s3PrefixList.PrefixListId] : []), ...routed])];
  const toS3: SgPeer = {
    cidrs: net.s3PrefixList?.Cidrs ?? [],
    prefixListIds: lists,
    label: `S3 (prefix list ${lists.join(', ') || 'unknown'})`,
  };
  const out = egressAllows(net.securityGroups, taskSecurityGroups(s), HTTPS, toS3);
  if (!out.allowed) return { reachable: false, path, reason: `Tasks in subnet ${subnetId}: ${out.reason}` };
  return { reachable: true, path, reason: `${path.reason} ${out.reason}` };
}
