import {
  ContextEntry,
  ContextKeyTypeEnum,
  EvaluationResult as AwsEvaluationResult,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { baseContext, describeDecision, describeStatement, evaluate, EvaluationResult, NamedPolicy, RequestContext } from '../engines/iam';
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
}

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
  readonly request: { principalArn: string; roleArn: string; action: string; resourceArn: string; resourceAccount: string };
  /** Each live policy read, one line each. */
  readonly policiesRead: string[];
  readonly result: EvaluationResult;
  /** "denied by bucket policy X statement Y" */
  readonly sentence: string;
  /** AWS's AccessDenied message for a denied request. */
  readonly accessDenied?: string;
  readonly aws?: AwsCrossCheck;
}

export interface SimulateSources {
  readonly iam: IamReader;
  readonly s3: S3Reader;
  /** Real AWS: also ask iam:SimulatePrincipalPolicy. */
  readonly crossCheck: boolean;
  /** Real AWS: read the SCPs in force for the principal's account (needs Organizations read access). */
  readonly organizations?: OrganizationsReader;
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

/** The role behind a role or role-session ARN; other principals are out of scope. */
export function roleOf(principalArn: string): { roleArn: string; roleName: string; account: string } {
  const role = ROLE_ARN.exec(principalArn);
  if (role) return { roleArn: principalArn, roleName: role[3], account: role[2] };
  const session = SESSION_ARN.exec(principalArn);
  if (session) return { roleArn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`, roleName: session[3], account: session[2] };
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

/** Decides one request from the live policies, the way `breakfix simulate` reports it. */
export async function simulate(req: SimulateRequest, sources: SimulateSources): Promise<SimulationResult> {
  if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(req.action))
    throw new UsageError('bad-request', `--action "${req.action}" is not of the form service:Action (e.g. s3:DeleteObject).`);
  if (req.resourceArn !== '*' && !/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+/.test(req.resourceArn)) {
    throw new UsageError('bad-request', `--resource "${req.resourceArn}" is not an ARN (e.g. arn:aws:s3:::my-bucket/key) or "*".`);
  }
  const role = roleOf(req.principalArn);
  const resourceAccount = req.resourceAccount ?? role.account;
  const bucket = bucketOf(req.resourceArn);
  const [policies, bucketPolicy, scps] = await Promise.all([
    readRolePolicies(sources.iam, role.roleName),
    bucket ? readBucketPolicy(sources.s3, bucket) : Promise.resolve(undefined),
    scpsFor(sources.organizations, role.account),
  ]);
  const roleArn = policies.roleArn;
  const extra = req.context ?? {};
  const context = baseContext({ principalArn: req.principalArn, roleArn, extra });
  const request = { principalArn: req.principalArn, action: req.action, resourceArn: req.resourceArn, resourceAccount, context };
  const result = evaluate(request, {
    identity: policies.identity,
    resource: bucketPolicy,
    permissionsBoundary: policies.permissionsBoundary,
    scps: scps.levels,
  });
  const line = (p: NamedPolicy, what: string) => `${what} ${p.arn ?? p.name}`;
  const policiesRead = [
    ...policies.identity.map((p) => line(p, p.kind ?? 'identity-based policy')),
    ...(policies.permissionsBoundary ? [line(policies.permissionsBoundary, 'permissions boundary')] : []),
    ...(bucket ? [bucketPolicy ? `bucket policy of ${bucket}` : `bucket ${bucket} has no bucket policy`] : []),
    ...(scps.note ? [scps.note] : []),
  ];
  let aws: AwsCrossCheck | undefined;
  if (sources.crossCheck) {
    const identitySide = evaluate(request, {
      identity: policies.identity,
      permissionsBoundary: policies.permissionsBoundary,
      scps: scps.levels,
    });
    aws = await crossCheckWithAws(sources.iam, roleArn, req.action, req.resourceArn, extra, identitySide);
  }
  return {
    request: { principalArn: req.principalArn, roleArn, action: req.action, resourceArn: req.resourceArn, resourceAccount },
    policiesRead,
    result,
    sentence: describeDecision(result),
    accessDenied: accessDeniedMessage(result),
    aws,
  };
}

export { describeStatement };
