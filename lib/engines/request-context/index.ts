/**
 * The request context AWS builds for a workload's request: every global condition key it populates,
 * the ones it leaves out, and the ones nobody outside AWS can know. One builder for every criterion
 * and for `simulate`, so that a policy condition means the same thing everywhere.
 *
 * Sources: IAM User Guide, "AWS global condition context keys" (the "Availability" line of each key),
 * "Policy variables" (principal key values per principal type), "Passing session tags in AWS STS",
 * and the Service Authorization Reference for service keys.
 */
import type { IamRequest, RequestContext, StatedContext } from '../iam';
import { IamPolicyError } from '../iam';

/** How the role session making the request came to be. */
export type SessionOrigin =
  /** A service assumed the role for a workload it runs: ecs-tasks.amazonaws.com (task role), lambda.amazonaws.com, ... */
  | { readonly by: 'service'; readonly service: string }
  /** A person or a job called sts:AssumeRole. */
  | {
      readonly by: 'person' | 'job';
      /** Whether the AssumeRole call carried MFA; unknown when not given. */
      readonly mfa?: boolean;
      /** sts:SourceIdentity set on the session, if any. */
      readonly sourceIdentity?: string;
      /** Session tags passed to AssumeRole; they override role tags with the same key. */
      readonly sessionTags?: Readonly<Record<string, string>>;
    };

/** The caller as AWS sees it: a session of an IAM role. */
export interface WorkloadCaller {
  /** The role's ARN, with its path. */
  readonly roleArn: string;
  /** The session name (ECS uses the task ID, Lambda the function name, a person what they chose). */
  readonly sessionName: string;
  readonly origin: SessionOrigin;
  /** The role's unique ID (AROA...), from iam:GetRole; without it aws:userid is unknown. */
  readonly roleId?: string;
  /** The role's tags (iam:ListRoleTags); without them every aws:PrincipalTag/* is unknown. */
  readonly roleTags?: Readonly<Record<string, string>>;
  /** The organization of the role's account; null when the account is in none; unknown when not given. */
  readonly principalOrgId?: string | null;
  /** When the session's credentials were issued; unknown when not given. */
  readonly issuedAt?: Date;
}

/** The request itself. */
export interface WorkloadRequestInput {
  /** e.g. "dynamodb:GetItem" */
  readonly action: string;
  /** The resource ARN, or "*" for an action that takes none. */
  readonly resourceArn: string;
  /** The account that owns the resource. @default the account in the ARN, else the caller's (S3 ARNs carry none) */
  readonly resourceAccount?: string;
  /** The Region the request is sent to (aws:RequestedRegion). */
  readonly region: string;
  /** The resource's tags; undefined when unknown (then aws:ResourceTag/* is unknown). */
  readonly resourceTags?: Readonly<Record<string, string>>;
  /**
   * Keys of the action's own service that carry the resource's tags as aws:ResourceTag/* does, e.g.
   * "secretsmanager:ResourceTag" or "ec2:ResourceTag" (Service Authorization Reference: "<service>:ResourceTag/${TagKey}").
   * Each is set from `resourceTags`, key by key; a tag key the resource lacks is absent; unknown when `resourceTags` is.
   */
  readonly serviceResourceTagKeys?: readonly string[];
  /** The organization of the resource's account; null when in none; unknown when not given. */
  readonly resourceOrgId?: string | null;
  /** Tags the request itself carries (aws:RequestTag/*, aws:TagKeys); none when not given. */
  readonly requestTags?: Readonly<Record<string, string>>;
  /**
   * Keys of the action's own service that the request carries, e.g. {"s3:prefix": "expired/"},
   * {"dynamodb:LeadingKeys": ["order-1"]}. Keys of other services are absent.
   */
  readonly serviceKeys?: RequestContext;
  /** Keys of the action's service that the request does not carry (e.g. S3_HEADER_KEYS when no header is sent). */
  readonly serviceKeysNotSent?: readonly string[];
  /** Service principals that made this request on the caller's behalf, first to last (aws:CalledVia). */
  readonly calledVia?: readonly string[];
  /** @default true: the AWS SDKs and CLI use HTTPS */
  readonly secureTransport?: boolean;
  /** @default now */
  readonly at?: Date;
}

/** How the request reaches AWS. */
export type NetworkPath =
  /** Through a VPC endpoint (interface or gateway). */
  | { readonly via: 'vpc-endpoint'; readonly vpceId: string; readonly vpcId: string; readonly privateIp?: string }
  /** Over the internet (including through a NAT gateway); the public address, if known. */
  | { readonly via: 'internet'; readonly publicIp?: string }
  | { readonly via: 'unknown' };

export interface WorkloadInput {
  readonly caller: WorkloadCaller;
  readonly request: WorkloadRequestInput;
  readonly network: NetworkPath;
}

const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:(.*)\/)?([^/]+)$/;

export interface ParsedRole {
  partition: string;
  account: string;
  roleName: string;
}

export function parseRoleArn(roleArn: string): ParsedRole {
  const m = ROLE_ARN.exec(roleArn);
  if (!m) throw new IamPolicyError(`"${roleArn}" is not an IAM role ARN`);
  return { partition: m[1], account: m[2], roleName: m[4] };
}

/** The ARN AWS names the caller by: arn:aws:sts::<account>:assumed-role/<role>/<session>. */
export function sessionArn(roleArn: string, sessionName: string): string {
  const role = parseRoleArn(roleArn);
  return `arn:${role.partition}:sts::${role.account}:assumed-role/${role.roleName}/${sessionName}`;
}

/** S3 request-header and request-parameter keys: present only when the request sends that header or parameter (Service Authorization Reference, Amazon S3). */
export const S3_HEADER_KEYS: readonly string[] = [
  's3:x-amz-acl',
  's3:x-amz-grant-full-control',
  's3:x-amz-grant-read',
  's3:x-amz-grant-read-acp',
  's3:x-amz-grant-write',
  's3:x-amz-grant-write-acp',
  's3:x-amz-copy-source',
  's3:x-amz-metadata-directive',
  's3:x-amz-server-side-encryption',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
  's3:x-amz-server-side-encryption-customer-algorithm',
  's3:x-amz-storage-class',
  's3:x-amz-website-redirect-location',
  's3:object-lock-mode',
  's3:object-lock-retain-until-date',
  's3:object-lock-remaining-retention-days',
  's3:object-lock-legal-hold',
  's3:RequestObjectTag/*',
  's3:RequestObjectTagKeys',
  's3:prefix',
  's3:delimiter',
  's3:max-keys',
  's3:VersionId',
];

/**
 * Global keys AWS leaves out of a role session's request made directly (not by a service principal):
 * - aws:username: "not present" for assumed roles ("Policy variables", principal key values);
 * - aws:PrincipalServiceName, aws:PrincipalServiceNamesList: "only present when the call is made by an AWS service principal";
 * - aws:SourceArn, aws:SourceAccount, aws:SourceOrgID, aws:SourceOrgPaths: only "when a service calls another
 *   service on behalf of the resource owner" (service-to-service requests);
 * - aws:FederatedProvider: only for sessions from AssumeRoleWithWebIdentity / AssumeRoleWithSAML;
 * - aws:Ec2InstanceSourceVpc, aws:Ec2InstanceSourcePrivateIPv4: only for credentials of an EC2 instance role.
 */
const ABSENT_FOR_ROLE_SESSIONS = [
  'aws:username',
  'aws:PrincipalServiceName',
  'aws:PrincipalServiceNamesList',
  'aws:SourceArn',
  'aws:SourceAccount',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:FederatedProvider',
  'aws:Ec2InstanceSourceVpc',
  'aws:Ec2InstanceSourcePrivateIPv4',
  'aws:Referer',
];

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Every global condition key AWS would put in this request, the keys it would leave out, and the keys
 * the caller could not state (unknown). The engine decides over the first two and refuses to guess
 * over the third (an IndeterminateError when one would change the decision).
 */
export function buildRequestContext(input: WorkloadInput): StatedContext {
  const { caller, request, network } = input;
  const role = parseRoleArn(caller.roleArn);
  const values: Record<string, string | string[]> = {};
  const absent: string[] = [...ABSENT_FOR_ROLE_SESSIONS];
  // Anything global not settled below is unknown; so are the action's own service keys unless stated.
  const service = request.action.slice(0, request.action.indexOf(':'));
  if (!service) throw new IamPolicyError(`request action "${request.action}" is not of the form "service:Action"`);
  const unknown: string[] = ['aws:*', `${service}:*`];
  const settle = (key: string, value: string | string[] | null | undefined) => {
    if (value === undefined) return; // stays unknown
    if (value === null) absent.push(key);
    else values[key] = value;
  };

  // aws:PrincipalArn: "For IAM roles, the request context returns the ARN of the role, not the ARN of the user
  // that assumed the role." aws:PrincipalAccount: the account the principal belongs to. Both "included in the
  // request context for all signed requests".
  values['aws:PrincipalArn'] = caller.roleArn;
  values['aws:PrincipalAccount'] = role.account;
  // aws:PrincipalType is "AssumedRole" for a role session; aws:userid is "role-id:caller-specified-role-name"
  // ("Policy variables", principal key values).
  values['aws:PrincipalType'] = 'AssumedRole';
  settle('aws:userid', caller.roleId ? `${caller.roleId}:${caller.sessionName}` : undefined);
  // aws:PrincipalIsAWSService: true only for a service principal; a role session is not one, even one a service created.
  values['aws:PrincipalIsAWSService'] = 'false';
  // aws:PrincipalOrgID / aws:PrincipalOrgPaths: "included only if the principal is a member of an organization".
  settle('aws:PrincipalOrgID', caller.principalOrgId);
  if (caller.principalOrgId === null) absent.push('aws:PrincipalOrgPaths');

  // aws:PrincipalTag/*: the role's tags, then session tags, which override role tags with the same key
  // ("Passing session tags in AWS STS": "If a session tag has the same key as a role tag, the session tag value
  // overrides the role tag"). A key in neither is absent; without the role's tags all are unknown.
  const sessionTags = caller.origin.by === 'service' ? {} : (caller.origin.sessionTags ?? {});
  if (caller.roleTags) {
    for (const [k, v] of Object.entries({ ...caller.roleTags, ...sessionTags })) values[`aws:PrincipalTag/${k}`] = v;
    absent.push('aws:PrincipalTag/*');
  } else {
    for (const [k, v] of Object.entries(sessionTags)) values[`aws:PrincipalTag/${k}`] = v;
  }

  // Session facts. aws:SourceIdentity: present only if one was set on the session. aws:TokenIssueTime: present for
  // temporary credentials. aws:MultiFactorAuthPresent: the MFA context of the AssumeRole call; a session that a
  // service creates for its workload carries none, so the key is absent.
  if (caller.origin.by === 'service') {
    absent.push('aws:SourceIdentity', 'aws:MultiFactorAuthPresent', 'aws:MultiFactorAuthAge');
  } else {
    settle('aws:SourceIdentity', caller.origin.sourceIdentity ?? null);
    if (caller.origin.mfa !== undefined) {
      values['aws:MultiFactorAuthPresent'] = String(caller.origin.mfa);
      if (!caller.origin.mfa) absent.push('aws:MultiFactorAuthAge');
    }
  }
  settle('aws:TokenIssueTime', caller.issuedAt ? iso(caller.issuedAt) : undefined);

  // The request. aws:CurrentTime / aws:EpochTime / aws:SecureTransport / aws:RequestedRegion: "always included".
  const at = request.at ?? new Date();
  values['aws:CurrentTime'] = iso(at);
  values['aws:EpochTime'] = String(Math.floor(at.getTime() / 1000));
  values['aws:SecureTransport'] = String(request.secureTransport ?? true);
  values['aws:RequestedRegion'] = request.region;

  // aws:ResourceAccount: the account that owns the resource. aws:ResourceOrgID / aws:ResourceOrgPaths: only when
  // that account is in an organization. aws:ResourceTag/*: the resource's tags.
  const arnAccount = request.resourceArn === '*' ? '' : (request.resourceArn.split(':')[4] ?? '');
  const resourceAccount = request.resourceAccount ?? (arnAccount || role.account);
  values['aws:ResourceAccount'] = resourceAccount;
  const resourceOrg =
    request.resourceOrgId !== undefined ? request.resourceOrgId : resourceAccount === role.account ? caller.principalOrgId : undefined;
  settle('aws:ResourceOrgID', resourceOrg);
  if (resourceOrg === null) absent.push('aws:ResourceOrgPaths');
  if (request.resourceTags) {
    for (const [k, v] of Object.entries(request.resourceTags)) values[`aws:ResourceTag/${k}`] = v;
    absent.push('aws:ResourceTag/*');
  }
  // The service's own resource-tag keys mirror the same tags (without the tags they stay unknown, with the service's keys).
  for (const prefix of request.serviceResourceTagKeys ?? []) {
    if (!prefix.toLowerCase().startsWith(`${service.toLowerCase()}:`) || prefix.includes('/'))
      throw new IamPolicyError(`resource-tag key ${prefix} is not a key prefix of ${service}, the service of ${request.action}`);
    if (!request.resourceTags) continue;
    for (const [k, v] of Object.entries(request.resourceTags)) values[`${prefix}/${k}`] = v;
    absent.push(`${prefix}/*`);
  }

  // aws:RequestTag/* and aws:TagKeys: only when the request carries tags.
  const requestTags = Object.entries(request.requestTags ?? {});
  for (const [k, v] of requestTags) values[`aws:RequestTag/${k}`] = v;
  if (requestTags.length > 0) values['aws:TagKeys'] = requestTags.map(([k]) => k);
  absent.push('aws:RequestTag/*');
  if (requestTags.length === 0) absent.push('aws:TagKeys');

  // aws:ViaAWSService: false unless a service made the request with the caller's credentials; aws:CalledVia
  // (multivalued, in order), aws:CalledViaFirst and aws:CalledViaLast only in that case.
  const via = request.calledVia ?? [];
  values['aws:ViaAWSService'] = String(via.length > 0);
  if (via.length > 0) {
    values['aws:CalledVia'] = [...via];
    values['aws:CalledViaFirst'] = via[0];
    values['aws:CalledViaLast'] = via[via.length - 1];
  } else {
    absent.push('aws:CalledVia', 'aws:CalledViaFirst', 'aws:CalledViaLast');
  }

  // The network path. aws:SourceVpce / aws:SourceVpc / aws:VpcSourceIp: "only if the requester uses a VPC endpoint";
  // aws:SourceIp: "included in the request context, except when the requester uses a VPC endpoint".
  if (network.via === 'vpc-endpoint') {
    values['aws:SourceVpce'] = network.vpceId;
    values['aws:SourceVpc'] = network.vpcId;
    settle('aws:VpcSourceIp', network.privateIp);
    absent.push('aws:SourceIp');
  } else if (network.via === 'internet') {
    absent.push('aws:SourceVpce', 'aws:SourceVpc', 'aws:VpcSourceIp');
    settle('aws:SourceIp', network.publicIp);
  }

  // Service keys: those of the action's service that the request carries; the ones stated as not sent are absent;
  // keys of other services do not apply to this request and are absent (everything not listed as unknown is).
  for (const [k, v] of Object.entries(request.serviceKeys ?? {})) {
    if (!k.toLowerCase().startsWith(`${service.toLowerCase()}:`))
      throw new IamPolicyError(`service key ${k} does not belong to ${service}, the service of ${request.action}`);
    values[k] = Array.isArray(v) ? v.map(String) : String(v);
  }
  absent.push(...(request.serviceKeysNotSent ?? []));
  return { values, unknown, absent };
}

/** The IamRequest for a workload's request: the caller named as AWS names it, with the full context. */
export function workloadRequest(input: WorkloadInput): IamRequest {
  const role = parseRoleArn(input.caller.roleArn);
  const context = buildRequestContext(input);
  return {
    principalArn: sessionArn(input.caller.roleArn, input.caller.sessionName),
    principalAccount: role.account,
    action: input.request.action,
    resourceArn: input.request.resourceArn,
    resourceAccount: String(context.values['aws:ResourceAccount']),
    context,
  };
}

/** A service principal's own request, such as ecs-tasks.amazonaws.com calling sts:AssumeRole for a task. */
export interface ServiceCallInput {
  /** e.g. "ecs-tasks.amazonaws.com" */
  readonly service: string;
  /** The Region of the call. */
  readonly region: string;
  /**
   * aws:SourceAccount / aws:SourceArn: the account and resource on whose behalf the service calls ("only present
   * when a service calls on behalf of a resource", the keys AWS recommends trust policies test against the confused
   * deputy problem). Undefined when not known (then unknown), null when the service sends none (absent).
   */
  readonly sourceAccount?: string | null;
  readonly sourceArn?: string | null;
  readonly sourceOrgId?: string | null;
  /** @default now */
  readonly at?: Date;
}

/** The context of a request a service principal makes itself (aws:PrincipalIsAWSService is true). */
export function buildServiceCallContext(input: ServiceCallInput): StatedContext {
  const at = input.at ?? new Date();
  const values: Record<string, string> = {
    // aws:PrincipalIsAWSService / aws:PrincipalServiceName: a service principal's request.
    'aws:PrincipalIsAWSService': 'true',
    'aws:PrincipalServiceName': input.service,
    'aws:CurrentTime': iso(at),
    'aws:EpochTime': String(Math.floor(at.getTime() / 1000)),
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': input.region,
  };
  // A service principal is no IAM principal: no principal ARN, account, tags, user id, or network keys of a caller.
  const absent = [
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:PrincipalTag/*',
    'aws:PrincipalType',
    'aws:userid',
    'aws:username',
    'aws:SourceIp',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:VpcSourceIp',
    'aws:MultiFactorAuthPresent',
    'aws:RequestTag/*',
    'aws:TagKeys',
  ];
  for (const [key, value] of [
    ['aws:SourceAccount', input.sourceAccount],
    ['aws:SourceArn', input.sourceArn],
    ['aws:SourceOrgID', input.sourceOrgId],
  ] as const) {
    if (value === null) absent.push(key);
    else if (value !== undefined) values[key] = value;
  }
  return { values, unknown: ['aws:*', 'sts:*'], absent };
}
