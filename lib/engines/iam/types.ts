/** Public types of the IAM policy evaluation engine. */

export type PolicyType = 'identity' | 'resource' | 'permissions-boundary' | 'scp' | 'rcp' | 'session' | 'vpc-endpoint';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export type Effect = 'Allow' | 'Deny';

/** A policy document as JSON text or as the parsed object. */
export type PolicyDocumentInput = string | Record<string, unknown>;

/** One policy in play. `name` or `arn` identifies it in results and sentences. */
export interface NamedPolicy {
  name?: string;
  arn?: string;
  /** Human label used in sentences instead of the type's default, e.g. "bucket policy". */
  kind?: string;
  document: PolicyDocumentInput;
}

/** The SCPs attached at one level of the organization tree (root, an OU, the account). */
export interface ScpLevel {
  /** e.g. "r-abcd", "ou-abcd-12345678" or an account id. */
  target: string;
  policies: NamedPolicy[];
}

export type ContextScalar = string | number | boolean;
export type ContextValue = ContextScalar | ContextScalar[];
/**
 * Request context: key names are case-insensitive; an array is a multivalued key. Given as a plain record,
 * keys it lacks are absent, except the global keys AWS sends with every request, which are unknown.
 */
export type RequestContext = Record<string, ContextValue>;

/**
 * A request context whose gaps are stated, as `buildRequestContext` returns it. Each key is present (in
 * `values`), unknown (matches `unknown` and not `absent`), or absent (everything else: AWS leaves it out).
 * A condition on an unknown key cannot be decided; the engine never reads "unknown" as "absent".
 */
export interface StatedContext {
  readonly values: RequestContext;
  /** Exact key names, or prefixes ending in "*" (e.g. "aws:ResourceTag/*", "s3:*"). */
  readonly unknown: readonly string[];
  /** Keys known to be absent although an `unknown` pattern covers them. */
  readonly absent?: readonly string[];
}

export interface IamRequest {
  /** IAM user, role, assumed-role session, federated user, account root ARN, or a service principal such as "ecs-tasks.amazonaws.com". */
  principalArn: string;
  /** Defaults to the account in principalArn. */
  principalAccount?: string;
  /**
   * For a session: the IAM role (with its path) or IAM user whose credentials created it. Defaults to the
   * role named in an assumed-role ARN (without a path) and the IAM user of the same name for a federated user.
   */
  sessionIssuerArn?: string;
  /** e.g. "s3:GetObject" */
  action: string;
  /** The resource ARN, or "*" for actions that take no resource. */
  resourceArn: string;
  /** Defaults to the account in resourceArn (S3 ARNs carry none, so give it for S3). */
  resourceAccount?: string;
  context?: RequestContext | StatedContext;
}

export interface PolicySet {
  /** Inline and managed identity-based policies of the principal (and its groups). */
  identity?: NamedPolicy[];
  /**
   * The resource-based policy of the target resource (bucket policy, table or repository policy, ...).
   * For sts:AssumeRole / sts:TagSession / sts:SetSourceIdentity on a role it is the role's trust policy,
   * and for a KMS key its key policy: both are required then, and both must name the caller or its account
   * (an identity-based policy alone never grants access to them).
   */
  resource?: NamedPolicy;
  permissionsBoundary?: NamedPolicy;
  /** One level (a flat list of policies) or several levels, root first. Every level must allow. */
  scps?: NamedPolicy[] | ScpLevel[];
  /** Resource control policies on the path to the resource's account, root first; every level must allow. */
  rcps?: NamedPolicy[] | ScpLevel[];
  /** The organization's management account: SCPs do not apply to its principals, RCPs not to its resources. */
  managementAccount?: string;
  /** Inline and managed session policies; together they are one ceiling. */
  session?: NamedPolicy[];
  vpcEndpoint?: NamedPolicy;
}

/** A statement that took part in the decision. */
export interface StatementRef {
  policyType: PolicyType;
  policyName: string;
  policyArn?: string;
  policyKind?: string;
  sid?: string;
  /** 0-based position in the policy's Statement list. */
  index: number;
  effect: Effect;
}

/** Why a request was implicitly denied: the first gate that had no Allow. */
export type ImplicitDenyGate =
  | { gate: 'scp'; target: string }
  | { gate: 'rcp'; target: string }
  | { gate: 'vpc-endpoint'; policyName: string }
  | { gate: 'permissions-boundary'; policyName: string }
  | { gate: 'session' }
  /** Same account: neither an identity-based nor a resource-based policy allows. */
  | { gate: 'no-allow'; resourcePolicyName?: string }
  /** Cross-account: the principal's own identity-based policies do not allow. */
  | { gate: 'identity' }
  /** Cross-account (or a service principal): the resource-based policy does not allow this principal. */
  | { gate: 'resource'; policyName?: string }
  /** A role trust policy or KMS key policy neither names the caller nor delegates to its account. */
  | { gate: 'trust-or-key-policy'; policyKind: 'trust policy' | 'key policy'; policyName: string }
  /** A documented AWS rule that no policy can change (an AWS managed policy, a service-linked role, ...). */
  | { gate: 'aws-rule'; rule: string };

export interface EvaluationResult {
  decision: Decision;
  /**
   * ExplicitlyDenied: every Deny that applies. Allowed: the Allows that granted, then those of the ceilings
   * (SCPs, boundary, session, endpoint) that let it through. ImplicitlyDenied: empty.
   */
  decidingStatements: StatementRef[];
  /** Set when decision is ImplicitlyDenied. */
  implicitDeny?: ImplicitDenyGate;
  action: string;
  resourceArn: string;
  principalArn: string;
  crossAccount: boolean;
  /** Set when a documented AWS rule decided without policies (e.g. sts:GetCallerIdentity needs no permission). */
  rule?: string;
  /**
   * Keys the context left unknown that some applicable statement tests, where the decision is the same
   * whatever their values. (When it is not the same, evaluate throws an IndeterminateError instead.)
   */
  unknownKeys?: string[];
}

export interface DocumentEvaluation {
  effect: 'Allow' | 'Deny' | 'None';
  /** The statements that apply to the request (Deny ones first). */
  statements: StatementRef[];
}
