import { classifyPrincipal, splitArn, type ArnParts, type PrincipalInfo } from './arn';
import { conditionsMatch } from './conditions';
import { ContextLookup } from './context';
import { IamPolicyError, IndeterminateError } from './errors';
import { anyActionMatches, resourceMatches, type ServiceWide } from './matchers';
import { parsePolicy, type ParsedPolicy, type ParsedStatement } from './parse';
import { excludedByNotPrincipal, principalMatch, type PrincipalMatch } from './principals';
import { triAll, triAny, triNot, type Tri } from './tri';
import type { DocumentEvaluation, IamRequest, NamedPolicy, PolicyDocumentInput, PolicyType, StatementRef } from './types';

export const DEFAULT_LABELS: Record<PolicyType, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  'permissions-boundary': 'permissions boundary',
  scp: 'service control policy',
  rcp: 'resource control policy',
  session: 'session policy',
  'vpc-endpoint': 'VPC endpoint policy',
};

export interface LoadedPolicy {
  type: PolicyType;
  name: string;
  arn?: string;
  kind?: string;
  parsed: ParsedPolicy;
}

/** The request in the form the matchers use, validated once. */
export interface NormalizedRequest {
  action: string;
  resource: ArnParts | '*';
  resourceArn: string;
  caller: PrincipalInfo;
  principalAccount?: string;
  resourceAccount: string;
  /** Set for requests without a resource ARN ("*"): what service-wide Resource patterns are compared with. */
  serviceWide?: ServiceWide;
  ctx: ContextLookup;
}

const PRINCIPAL_TYPES: ReadonlySet<PolicyType> = new Set(['resource', 'vpc-endpoint']);

/**
 * Parses a policy and checks the rules of its type: only resource, endpoint and resource control policies
 * name principals; every statement names its resources ("IAM JSON policy elements: Resource": "Statements
 * must include either a Resource or a NotResource element"), except in a role trust policy, where the
 * resource is the role itself.
 */
export function loadPolicy(policy: NamedPolicy, type: PolicyType, options: { trustPolicy?: boolean } = {}): LoadedPolicy {
  const name = policy.name ?? policy.arn ?? policy.kind ?? DEFAULT_LABELS[type];
  const parsed = parsePolicy(policy.document, `"${name}"`);
  for (const s of parsed.statements) {
    const where = `policy "${name}" Statement[${s.index}]`;
    const names = s.principal !== undefined || s.notPrincipal !== undefined;
    if (PRINCIPAL_TYPES.has(type) && !names)
      throw new IamPolicyError(`${where}: a ${DEFAULT_LABELS[type]} statement needs Principal or NotPrincipal`);
    if (!PRINCIPAL_TYPES.has(type) && type !== 'rcp' && names)
      throw new IamPolicyError(`${where}: a ${DEFAULT_LABELS[type]} cannot have Principal or NotPrincipal`);
    if (!options.trustPolicy && s.resource === undefined && s.notResource === undefined)
      throw new IamPolicyError(`${where}: needs a Resource or NotResource element`);
  }
  return { type, name, arn: policy.arn, kind: policy.kind, parsed };
}

export function normalizeRequest(request: IamRequest): NormalizedRequest {
  const action = request.action;
  if (!/^[^:*?\s]+:[^:*?\s]+$/.test(action)) throw new IamPolicyError(`request action "${action}" is not of the form "service:Action"`);
  const caller = classifyPrincipal(request.principalArn, request.sessionIssuerArn);
  const principalAccount = request.principalAccount ?? caller.account;
  if (request.principalAccount !== undefined && caller.account !== undefined && request.principalAccount !== caller.account) {
    throw new IamPolicyError(`principalAccount ${request.principalAccount} does not match the account in ${request.principalArn}`);
  }
  let resource: ArnParts | '*';
  if (request.resourceArn === '*') {
    resource = '*';
  } else {
    const parts = splitArn(request.resourceArn);
    if (!parts) throw new IamPolicyError(`request resource "${request.resourceArn}" is not an ARN or "*"`);
    resource = parts;
  }
  const resourceAccount = request.resourceAccount ?? (resource === '*' ? principalAccount : resource.account || undefined);
  if (!resourceAccount) {
    throw new IamPolicyError(`resourceAccount is required: "${request.resourceArn}" carries no account (S3 ARNs never do)`);
  }
  const partition = caller.kind === 'service' ? 'aws' : caller.partition;
  return {
    action,
    resource,
    resourceArn: request.resourceArn,
    caller,
    principalAccount,
    resourceAccount,
    serviceWide: resource === '*' ? { service: action.slice(0, action.indexOf(':')), partition, account: resourceAccount } : undefined,
    ctx: new ContextLookup(request.context, caller),
  };
}

/**
 * Action, Resource and Condition of a statement (Principal is judged separately): true, false, or
 * 'unknown' when the answer depends on keys the context marks unknown (added to `unknown`).
 */
export function statementApplies(s: ParsedStatement, req: NormalizedRequest, variables: boolean, unknown: Set<string> = new Set()): Tri {
  if (s.action && !anyActionMatches(s.action, req.action)) return false;
  if (s.notAction && anyActionMatches(s.notAction, req.action)) return false;
  const match = (r: string) => resourceMatches(r, req.resource, req.ctx, variables, req.serviceWide, unknown);
  const parts: Tri[] = [];
  if (s.resource) parts.push(triAny(s.resource.map(match)));
  if (s.notResource) parts.push(triNot(triAny(s.notResource.map(match))));
  if (parts.includes(false)) return false;
  parts.push(conditionsMatch(s.conditions, req.ctx, variables, unknown));
  return triAll(parts);
}

/** How the statement's Principal/NotPrincipal names the caller; 'direct' when it has neither. */
export function statementPrincipal(s: ParsedStatement, caller: PrincipalInfo): PrincipalMatch {
  if (s.principal) return principalMatch(s.principal, caller);
  if (s.notPrincipal) return excludedByNotPrincipal(s.notPrincipal, caller) ? 'none' : 'direct';
  return 'direct';
}

export function statementRef(policy: LoadedPolicy, s: ParsedStatement): StatementRef {
  const ref: StatementRef = { policyType: policy.type, policyName: policy.name, index: s.index, effect: s.effect };
  if (policy.arn !== undefined) ref.policyArn = policy.arn;
  if (policy.kind !== undefined) ref.policyKind = policy.kind;
  if (s.sid !== undefined && s.sid !== '') ref.sid = s.sid;
  return ref;
}

export interface StatementHit {
  ref: StatementRef;
  principal: PrincipalMatch;
  notPrincipal: boolean;
  /** False when the statement applies only for some values of keys the context marks unknown. */
  certain: boolean;
  /** The unknown keys its applicability depends on. */
  unknownKeys: string[];
}

/** Every statement of the policy that applies (or may apply) to the request, with how it names the caller. */
export function applicableStatements(policy: LoadedPolicy, req: NormalizedRequest): StatementHit[] {
  const variables = policy.parsed.version === '2012-10-17';
  const hits: StatementHit[] = [];
  for (const s of policy.parsed.statements) {
    const unknown = new Set<string>();
    const applies = statementApplies(s, req, variables, unknown);
    if (applies === false) continue;
    hits.push({
      ref: statementRef(policy, s),
      principal: statementPrincipal(s, req.caller),
      notPrincipal: s.notPrincipal !== undefined,
      certain: applies === true,
      unknownKeys: [...unknown],
    });
  }
  return hits;
}

export interface DocumentOptions {
  type?: PolicyType;
  name?: string;
  arn?: string;
}

/** A document whose statements name principals is read as a resource-based policy. */
function inferType(doc: PolicyDocumentInput): PolicyType {
  const parsed = parsePolicy(doc, 'document');
  return parsed.statements.some((s) => s.principal !== undefined || s.notPrincipal !== undefined) ? 'resource' : 'identity';
}

/**
 * Evaluates one policy on its own (e.g. a VPC endpoint policy): Deny if a Deny statement applies,
 * Allow if an Allow does, None otherwise. Principal elements must name the caller (any way) to apply.
 */
export function evaluatePolicyDocument(doc: PolicyDocumentInput, request: IamRequest, options: DocumentOptions = {}): DocumentEvaluation {
  const req = normalizeRequest(request);
  const type = options.type ?? inferType(doc);
  const policy = loadPolicy({ name: options.name, arn: options.arn, document: doc }, type);
  const hits = applicableStatements(policy, req).filter((h) => h.principal !== 'none');
  const of = (effect: 'Allow' | 'Deny', certain: boolean) => hits.filter((h) => h.ref.effect === effect && h.certain === certain);
  const undecided = (hs: StatementHit[], possible: DocumentEvaluation['effect'][]) =>
    new IndeterminateError(
      [...new Set(hs.flatMap((h) => h.unknownKeys))],
      hs.map((h) => h.ref),
      possible.map((e) => (e === 'Deny' ? 'ExplicitlyDenied' : e === 'Allow' ? 'Allowed' : 'ImplicitlyDenied')),
    );
  if (of('Deny', true).length > 0) return { effect: 'Deny', statements: of('Deny', true).map((h) => h.ref) };
  const otherwise: DocumentEvaluation['effect'] = of('Allow', true).length > 0 ? 'Allow' : 'None';
  if (of('Deny', false).length > 0) throw undecided(of('Deny', false), ['Deny', otherwise]);
  if (otherwise === 'Allow') return { effect: 'Allow', statements: of('Allow', true).map((h) => h.ref) };
  if (of('Allow', false).length > 0) throw undecided(of('Allow', false), ['Allow', 'None']);
  return { effect: 'None', statements: [] };
}
