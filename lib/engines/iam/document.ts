import { classifyPrincipal, splitArn, type ArnParts, type PrincipalInfo } from './arn';
import { conditionsMatch } from './conditions';
import { ContextLookup } from './context';
import { IamPolicyError } from './errors';
import { anyActionMatches, resourceMatches } from './matchers';
import { parsePolicy, type ParsedPolicy, type ParsedStatement } from './parse';
import { excludedByNotPrincipal, principalMatch, type PrincipalMatch } from './principals';
import type { DocumentEvaluation, IamRequest, NamedPolicy, PolicyDocumentInput, PolicyType, StatementRef } from './types';

export const DEFAULT_LABELS: Record<PolicyType, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  'permissions-boundary': 'permissions boundary',
  scp: 'service control policy',
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
  ctx: ContextLookup;
}

const PRINCIPAL_TYPES: ReadonlySet<PolicyType> = new Set(['resource', 'vpc-endpoint']);

/** Parses a policy and checks the rules of its type: only resource and endpoint policies name principals. */
export function loadPolicy(policy: NamedPolicy, type: PolicyType): LoadedPolicy {
  const name = policy.name ?? policy.arn ?? policy.kind ?? DEFAULT_LABELS[type];
  const parsed = parsePolicy(policy.document, `"${name}"`);
  for (const s of parsed.statements) {
    const where = `policy "${name}" Statement[${s.index}]`;
    const names = s.principal !== undefined || s.notPrincipal !== undefined;
    if (PRINCIPAL_TYPES.has(type) && !names)
      throw new IamPolicyError(`${where}: a ${DEFAULT_LABELS[type]} statement needs Principal or NotPrincipal`);
    if (!PRINCIPAL_TYPES.has(type) && names)
      throw new IamPolicyError(`${where}: a ${DEFAULT_LABELS[type]} cannot have Principal or NotPrincipal`);
  }
  return { type, name, arn: policy.arn, kind: policy.kind, parsed };
}

export function normalizeRequest(request: IamRequest): NormalizedRequest {
  const action = request.action;
  if (!/^[^:*?\s]+:[^:*?\s]+$/.test(action)) throw new IamPolicyError(`request action "${action}" is not of the form "service:Action"`);
  const caller = classifyPrincipal(request.principalArn);
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
  return {
    action,
    resource,
    resourceArn: request.resourceArn,
    caller,
    principalAccount,
    resourceAccount,
    ctx: new ContextLookup(request.context),
  };
}

/** Action, Resource and Condition of a statement; Principal is judged separately. */
export function statementApplies(s: ParsedStatement, req: NormalizedRequest, variables: boolean): boolean {
  if (s.action && !anyActionMatches(s.action, req.action)) return false;
  if (s.notAction && anyActionMatches(s.notAction, req.action)) return false;
  if (s.resource && !s.resource.some((r) => resourceMatches(r, req.resource, req.ctx, variables) === true)) return false;
  if (s.notResource) {
    // An entry that cannot be evaluated might have named this resource, so the statement does not apply.
    if (s.notResource.some((r) => resourceMatches(r, req.resource, req.ctx, variables) !== false)) return false;
  }
  return conditionsMatch(s.conditions, req.ctx, variables);
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
}

/** Every statement of the policy that applies to the request, with how it names the caller. */
export function applicableStatements(policy: LoadedPolicy, req: NormalizedRequest): StatementHit[] {
  const variables = policy.parsed.version === '2012-10-17';
  const hits: StatementHit[] = [];
  for (const s of policy.parsed.statements) {
    if (!statementApplies(s, req, variables)) continue;
    hits.push({ ref: statementRef(policy, s), principal: statementPrincipal(s, req.caller), notPrincipal: s.notPrincipal !== undefined });
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
  const denies = hits.filter((h) => h.ref.effect === 'Deny').map((h) => h.ref);
  const allows = hits.filter((h) => h.ref.effect === 'Allow').map((h) => h.ref);
  if (denies.length > 0) return { effect: 'Deny', statements: denies };
  if (allows.length > 0) return { effect: 'Allow', statements: allows };
  return { effect: 'None', statements: [] };
}
