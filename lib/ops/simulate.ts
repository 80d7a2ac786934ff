import {
  ContextEntry,
  ContextKeyTypeEnum,
  EvaluationResult as AwsEvaluationResult,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  describeDecision,
  describeStatement,
  evaluate,
  EvaluationResult,
  explainEvaluation,
  IndeterminateError,
  NamedPolicy,
  PolicySet,
  RequestContext,
  type IamRequest,
  type PolicyStep,
  type StatedContext,
} from '../engines/iam';
import { buildRequestContext, sessionArn } from '../engines/request-context';
import {
  accessDeniedMessage,
  IamReader,
  OrganizationsReader,
  readBucketPolicy,
  readRolePolicies,
  readScpLevels,
  S3Reader,
} from '../live-policies';
import type { ScpLevel } from '../engines/iam';
import { UsageError } from '../core/errors';
import { errorName, isAwsError } from '../toolkit/aws-errors';

export interface SimulateRequest {
  /** A role ARN or a role session (assumed-role) ARN. */
  readonly principalArn: string;
  readonly action: string;
  readonly resourceArn: string;
  /** The account that owns the resource; S3 ARNs carry none. @default the principal's account */
  readonly resourceAccount?: string;
  /** Extra request context (e.g. aws:SourceVpce), on top of the keys derived from the principal. */
  readonly context?: RequestContext;
  /** The session name when `principalArn` is a role. @default "breakfix-simulate" */
  readonly sessionName?: string;
  /** Also explain every policy consulted, in AWS's evaluation order. */
  readonly explain?: boolean;
}

/** The session simulate acts as when given a role: AWS never names a role as the caller, only a session of it. */
export const DEFAULT_SESSION_NAME = 'breakfix-simulate';

/** What AWS's own policy simulator said, and whether breakfix agrees. */
export interface AwsCrossCheck {
  /** `allowed`, `explicitDeny` or `implicitDeny`, as iam:SimulatePrincipalPolicy reports it. */
  readonly awsDecision: string;
  /** breakfix's decision over the same inputs: the role's identity policies and boundary, no resource policy. */
  readonly engineDecision: string;
  readonly agrees: boolean;
  readonly awsMatchedStatements: string[];
  readonly allowedByOrganizations?: boolean;
  readonly allowedByPermissionsBoundary?: boolean;
  /** Why the comparison covers the identity side only. */
  readonly scope: string;
}

export interface SimulationResult {
  readonly request: {
    principalArn: string;
    /** The caller as AWS names it: the role session. */
    callerArn: string;
    roleArn: string;
    action: string;
    resourceArn: string;
    resourceAccount: string;
  };
  /** Each live policy read, one line each. */
  readonly policiesRead: string[];
  readonly result: EvaluationResult;
  /** "denied by bucket policy X statement Y" */
  readonly sentence: string;
  /** AWS's AccessDenied message for a denied request. */
  readonly accessDenied?: string;
  readonly aws?: AwsCrossCheck;
  /** With `explain`: every policy consulted, in AWS's evaluation order, and what it did. */
  readonly explanation?: PolicyStep[];
  /** Condition keys breakfix could not read that some statement tests, where they did not change the decision. */
  readonly unknownKeys: string[];
}

export interface SimulateSources {
  readonly iam: IamReader;
  readonly s3: S3Reader;
  /** Real AWS: also ask iam:SimulatePrincipalPolicy. */
  readonly crossCheck: boolean;
  /** Real AWS: read the SCPs in force for the principal's account (needs Organizations read access). */
  readonly organizations?: OrganizationsReader;
  /** The Region requests go to (aws:RequestedRegion). @default us-east-1 */
  readonly region?: string;
}

/** The SCP levels, or why they could not be read; absent Organizations means no SCPs. */
async function scpsFor(org: OrganizationsReader | undefined, account: string): Promise<{ levels?: ScpLevel[]; note?: string }> {
  if (!org) return { note: 'service control policies not read (emulator target)' };
  try {
    const levels = await readScpLevels(org, account);
    const count = levels.reduce((n, l) => n + l.policies.length, 0);
    return {
      levels,
      note: `${count} service control ${count === 1 ? 'policy' : 'policies'} over ${levels.map((l) => l.target).join(' > ')}`,
    };
  } catch (err) {
    if (isAwsError(err, ['AWSOrganizationsNotInUseException']))
      return { note: `account ${account} is not in an organization, so no service control policies apply` };
    // Not "no SCPs": the note says they could not be read, and the decision is reported without them.
    const name = errorName(err);
    if (name === 'AccessDeniedException' || name === 'AccessDenied')
      return { note: `service control policies not readable with these credentials (${name}); they are not included` };
    throw err;
  }
}

const ENGINE_TO_AWS: Record<EvaluationResult['decision'], string> = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'explicitDeny',
  ImplicitlyDenied: 'implicitDeny',
};

const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:[^:]*\/)?([^/:]+)$/;
const SESSION_ARN = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/:]+)\/[^:]+$/;
const OTHER_IAM = /^arn:[^:]+:(?:iam|sts)::\d{12}:(user|group|root|federated-user)\b/;

/** The role behind a role or role-session ARN (and the session name, for a session); other principals are out of scope. */
export function roleOf(principalArn: string): { roleArn: string; roleName: string; account: string; sessionName?: string } {
  const role = ROLE_ARN.exec(principalArn);
  if (role) return { roleArn: principalArn, roleName: role[3], account: role[2] };
  const session = SESSION_ARN.exec(principalArn);
  if (session)
    return {
      roleArn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`,
      roleName: session[3],
      account: session[2],
      sessionName: principalArn.slice(principalArn.indexOf(`/${session[3]}/`) + session[3].length + 2),
    };
  const other = OTHER_IAM.exec(principalArn);
  if (other) {
    const what = other[1] === 'root' ? 'the account root' : `an IAM ${other[1]}`;
    throw new UsageError(
      'bad-request',
      `--principal ${principalArn} is ${what}; simulate reads the policies of IAM roles, so give a role ARN or a role session (assumed-role) ARN.`,
    );
  }
  throw new UsageError('bad-request', `--principal ${principalArn} is not an IAM role or role session ARN.`);
}

/** The bucket an S3 ARN names, if it is one. */
export function bucketOf(resourceArn: string): string | undefined {
  const m = /^arn:[^:]+:s3:::([^/]+)/.exec(resourceArn);
  return m?.[1];
}

/** Parses repeated `--context key=value`; a key given twice becomes multivalued. */
export function parseContext(pairs: readonly string[]): RequestContext {
  const ctx: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new UsageError('bad-request', `--context "${pair}" is not of the form key=value (e.g. aws:SourceVpce=vpce-1a2b3c4d).`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const prev = ctx[key];
    ctx[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return ctx;
}

function contextEntries(ctx: RequestContext): ContextEntry[] {
  return Object.entries(ctx).map(([ContextKeyName, v]) => ({
    ContextKeyName,
    ContextKeyType: Array.isArray(v) ? ContextKeyTypeEnum.STRING_LIST : ContextKeyTypeEnum.STRING,
    ContextKeyValues: (Array.isArray(v) ? v : [v]).map(String),
  }));
}

/**
 * Asks AWS's policy simulator about the role's own policies. A role caller
 * cannot be simulated against a resource policy (CallerArn must be an IAM
 * user), so the comparison is the identity side: identity policies, the
 * permissions boundary, and on AWS's side the SCPs.
 */
export async function crossCheckWithAws(
  iam: IamReader,
  roleArn: string,
  action: string,
  resourceArn: string,
  context: RequestContext,
  engine: EvaluationResult,
): Promise<AwsCrossCheck> {
  const out = await iam.send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn: roleArn,
      ActionNames: [action],
      ResourceArns: [resourceArn],
      ContextEntries: contextEntries(context),
    }),
  );
  const r: AwsEvaluationResult | undefined = out.EvaluationResults?.[0];
  if (!r?.EvalDecision) throw new Error(`iam:SimulatePrincipalPolicy returned no decision for ${action} on ${resourceArn}.`);
  const engineDecision = ENGINE_TO_AWS[engine.decision];
  return {
    awsDecision: r.EvalDecision,
    engineDecision,
    agrees: r.EvalDecision === engineDecision,
    awsMatchedStatements: (r.MatchedStatements ?? []).map((m) => `${m.SourcePolicyType ?? 'policy'} ${m.SourcePolicyId ?? ''}`.trim()),
    allowedByOrganizations: r.OrganizationsDecisionDetail?.AllowedByOrganizations,
    allowedByPermissionsBoundary: r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary,
    scope:
      "identity side only: the role's identity policies, permissions boundary and SCPs; SimulatePrincipalPolicy cannot evaluate a resource policy for a role caller",
  };
}

/** The role ARN and name a trust-policy request targets, if it is one (sts:AssumeRole and friends on a role). */
function targetRole(action: string, resourceArn: string): string | undefined {
  if (!/^sts:(AssumeRole|TagSession|SetSourceIdentity|SetContext)$/i.test(action)) return undefined;
  return ROLE_ARN.exec(resourceArn)?.[3];
}

/**
 * The request as AWS sees it: the caller is a session of the role, and the context holds every global key
 * the request-context builder can state from the live role (ARN, ID, tags) and the target. What breakfix
 * cannot read (the network path, service keys, resource tags) stays unknown, and --context values win.
 */
function simulatedRequest(
  req: SimulateRequest,
  role: { roleArn: string; roleId?: string; tags?: Record<string, string> },
  sessionName: string,
  resourceAccount: string,
  sources: SimulateSources,
): IamRequest {
  const built = buildRequestContext({
    caller: {
      roleArn: role.roleArn,
      sessionName,
      origin: { by: 'job' },
      roleId: role.roleId,
      roleTags: role.tags ?? {},
      // On an emulator the account belongs to no organization; on AWS it is not read, so unknown.
      principalOrgId: sources.organizations ? undefined : null,
    },
    request: { action: req.action, resourceArn: req.resourceArn, resourceAccount, region: sources.region ?? 'us-east-1' },
    network: { via: 'unknown' },
  });
  const context: StatedContext = { ...built, values: { ...built.values, ...(req.context ?? {}) } };
  return {
    principalArn: sessionArn(role.roleArn, sessionName),
    action: req.action,
    resourceArn: req.resourceArn,
    resourceAccount,
    context,
  };
}

/** Decides one request from the live policies, the way `breakfix simulate` reports it. */
export async function simulate(req: SimulateRequest, sources: SimulateSources): Promise<SimulationResult> {
  if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(req.action))
    throw new UsageError('bad-request', `--action "${req.action}" is not of the form service:Action (e.g. s3:DeleteObject).`);
  if (req.resourceArn !== '*' && !/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+/.test(req.resourceArn)) {
    throw new UsageError('bad-request', `--resource "${req.resourceArn}" is not an ARN (e.g. arn:aws:s3:::my-bucket/key) or "*".`);
  }
  const role = roleOf(req.principalArn);
  const sessionName = role.sessionName ?? req.sessionName ?? DEFAULT_SESSION_NAME;
  if (role.sessionName && req.sessionName && req.sessionName !== role.sessionName)
    throw new UsageError('bad-request', `--session-name ${req.sessionName} contradicts the session in --principal ${req.principalArn}.`);
  const resourceAccount = req.resourceAccount ?? role.account;
  const bucket = bucketOf(req.resourceArn);
  const assumed = targetRole(req.action, req.resourceArn);
  const [policies, bucketPolicy, trust, scps] = await Promise.all([
    readRolePolicies(sources.iam, role.roleName),
    bucket ? readBucketPolicy(sources.s3, bucket) : Promise.resolve(undefined),
    assumed ? readRolePolicies(sources.iam, assumed) : Promise.resolve(undefined),
    scpsFor(sources.organizations, role.account),
  ]);
  const roleArn = policies.roleArn;
  const trustPolicy: NamedPolicy | undefined = trust?.trustPolicy
    ? { name: trust.roleName, kind: 'trust policy', document: trust.trustPolicy }
    : undefined;
  const request = simulatedRequest(req, { roleArn, roleId: policies.roleId, tags: policies.tags }, sessionName, resourceAccount, sources);
  const policySet: PolicySet = {
    identity: policies.identity,
    resource: trustPolicy ?? bucketPolicy,
    permissionsBoundary: policies.permissionsBoundary,
    scps: scps.levels,
  };
  let result: EvaluationResult;
  let explanation: PolicyStep[] | undefined;
  try {
    if (req.explain) ({ result, steps: explanation } = explainEvaluation(request, policySet));
    else result = evaluate(request, policySet);
  } catch (err) {
    if (err instanceof IndeterminateError) {
      throw new UsageError(
        'bad-request',
        `simulate cannot decide ${req.action}: it depends on ${err.unknownKeys.join(', ')}, which breakfix cannot read from the target (it could be ${err.possibleDecisions.join(' or ')}); give the value with --context, e.g. --context ${err.unknownKeys[0]}=...`,
      );
    }
    throw err;
  }
  const line = (p: NamedPolicy, what: string) => `${what} ${p.arn ?? p.name}`;
  const policiesRead = [
    ...policies.identity.map((p) => line(p, p.kind ?? 'identity-based policy')),
    ...(policies.permissionsBoundary ? [line(policies.permissionsBoundary, 'permissions boundary')] : []),
    ...(bucket ? [bucketPolicy ? `bucket policy of ${bucket}` : `bucket ${bucket} has no bucket policy`] : []),
    ...(trust ? [`trust policy of ${trust.roleArn}`] : []),
    ...(scps.note ? [scps.note] : []),
  ];
  let aws: AwsCrossCheck | undefined;
  if (sources.crossCheck) {
    const identitySide = evaluate(request, {
      identity: policies.identity,
      permissionsBoundary: policies.permissionsBoundary,
      scps: scps.levels,
      resource: trustPolicy,
    });
    aws = await crossCheckWithAws(sources.iam, roleArn, req.action, req.resourceArn, req.context ?? {}, identitySide);
  }
  return {
    request: {
      principalArn: req.principalArn,
      callerArn: request.principalArn,
      roleArn,
      action: req.action,
      resourceArn: req.resourceArn,
      resourceAccount,
    },
    policiesRead,
    result,
    sentence: describeDecision(result),
    accessDenied: accessDeniedMessage(result),
    aws,
    explanation,
    unknownKeys: result.unknownKeys ?? [],
  };
}

export { describeStatement };
