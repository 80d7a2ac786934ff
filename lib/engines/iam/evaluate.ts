import { awsRuleFor } from './aws-rules';
import {
  applicableStatements,
  loadPolicy,
  normalizeRequest,
  type LoadedPolicy,
  type NormalizedRequest,
  type StatementHit,
} from './document';
import { IamPolicyError, IndeterminateError } from './errors';
import type { Decision, EvaluationResult, IamRequest, ImplicitDenyGate, NamedPolicy, PolicySet, ScpLevel, StatementRef } from './types';

export interface LoadedScpLevel {
  target: string;
  policies: LoadedPolicy[];
}

function isScpLevel(x: NamedPolicy | ScpLevel): x is ScpLevel {
  return (x as ScpLevel).policies !== undefined;
}

function loadLevels(levels: PolicySet['scps'], type: 'scp' | 'rcp'): LoadedScpLevel[] {
  if (!levels || levels.length === 0) return [];
  const entries = levels as Array<NamedPolicy | ScpLevel>;
  if (entries.every(isScpLevel)) {
    return entries.map((level) => ({ target: level.target, policies: level.policies.map((p) => loadPolicy(p, type)) }));
  }
  if (entries.some(isScpLevel)) throw new IamPolicyError(`${type}s must be all policies (one level) or all {target, policies} levels`);
  return [{ target: 'the account', policies: (entries as NamedPolicy[]).map((p) => loadPolicy(p, type)) }];
}

/**
 * The services whose resources RCPs govern, per "Resource control policies (RCPs)" (AWS Organizations User
 * Guide, list of supported services at launch). For other services the engine evaluates both ways and
 * refuses to answer if RCPs would change the decision.
 */
const RCP_SERVICES = new Set(['s3', 'sts', 'kms', 'sqs', 'secretsmanager']);

/**
 * Resource-based policies that must name the caller (or delegate to its account) for any access: role
 * trust policies and KMS key policies ("Policy evaluation logic": "IAM role trust policies and KMS key
 * policies are exceptions to this logic, because they must explicitly allow access for principals").
 */
export type StrictResourcePolicy = 'trust policy' | 'key policy';

/** The role-trust actions of STS, decided by the role's trust policy. */
const TRUST_ACTIONS = new Set(['sts:assumerole', 'sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext']);

export function strictResourcePolicy(req: NormalizedRequest): StrictResourcePolicy | undefined {
  if (req.resource === '*') return undefined;
  const { service, resource } = req.resource;
  if (service === 'iam' && resource.startsWith('role/') && TRUST_ACTIONS.has(req.action.toLowerCase())) return 'trust policy';
  if (req.action.toLowerCase().startsWith('sts:assumerolewith'))
    throw new IamPolicyError(`${req.action} (web identity and SAML federation) is outside the engine's scope`);
  if (service === 'kms' && resource.startsWith('key/')) return 'key policy';
  return undefined;
}

/** Everything one evaluation consults, loaded once: used for the decision and for the explanation. */
export interface Consulted {
  req: NormalizedRequest;
  identity: LoadedPolicy[];
  resource?: LoadedPolicy;
  boundary?: LoadedPolicy;
  session: LoadedPolicy[];
  endpoint?: LoadedPolicy;
  scpLevels: LoadedScpLevel[];
  rcpLevels: LoadedScpLevel[];
  /** Whether the RCPs govern this request: unknown for services the engine has no list entry for. */
  rcpsApply: boolean | 'unknown';
  strict?: StrictResourcePolicy;
  hits: Map<LoadedPolicy, StatementHit[]>;
}

export function consult(request: IamRequest, policies: PolicySet): Consulted {
  const req = normalizeRequest(request);
  const caller = req.caller;
  const isService = caller.kind === 'service';
  if (isService && (policies.identity?.length || policies.permissionsBoundary || policies.session?.length)) {
    throw new IamPolicyError(`service principal ${caller.arn} has no identity-based policies, permissions boundary or session policies`);
  }
  const strict = strictResourcePolicy(req);
  if (strict && !policies.resource) {
    throw new IamPolicyError(
      `${req.action} on ${req.resourceArn} is decided by its ${strict}, which was not given (every ${strict === 'trust policy' ? 'role' : 'KMS key'} has one)`,
    );
  }
  const identity = (policies.identity ?? []).map((p) => loadPolicy(p, 'identity'));
  const resource = policies.resource
    ? loadPolicy({ kind: strict, ...policies.resource }, 'resource', { trustPolicy: strict === 'trust policy' })
    : undefined;
  const boundary = policies.permissionsBoundary ? loadPolicy(policies.permissionsBoundary, 'permissions-boundary') : undefined;
  const session = (policies.session ?? []).map((p) => loadPolicy(p, 'session'));
  const endpoint = policies.vpcEndpoint ? loadPolicy(policies.vpcEndpoint, 'vpc-endpoint') : undefined;
  // SCPs bound the principals of member accounts. Outside them: AWS service principals; "SCPs don't affect users or
  // roles in the management account"; "SCPs do not affect any service-linked role" (Service control policies).
  const serviceLinked = (caller.kind === 'role' || caller.kind === 'assumed-role') && caller.serviceLinked;
  const scpsApply =
    !isService && !serviceLinked && (policies.managementAccount === undefined || caller.account !== policies.managementAccount);
  const scpLevels = scpsApply ? loadLevels(policies.scps, 'scp') : [];
  // RCPs bound the resources of member accounts, whoever calls: "RCPs don't affect resources in the management
  // account" and "RCPs do not impact the effective permissions of any service-linked role" (Resource control policies).
  const rcpLevels = loadLevels(policies.rcps, 'rcp');
  const service = req.action.slice(0, req.action.indexOf(':')).toLowerCase();
  const rcpsApply: boolean | 'unknown' =
    rcpLevels.length === 0 || serviceLinked || req.resourceAccount === policies.managementAccount
      ? false
      : isService || !RCP_SERVICES.has(service)
        ? 'unknown'
        : true;

  const hits = new Map<LoadedPolicy, StatementHit[]>();
  const all = [...identity, ...(resource ? [resource] : []), ...(boundary ? [boundary] : []), ...session, ...(endpoint ? [endpoint] : [])];
  for (const p of [...all, ...scpLevels.flatMap((l) => l.policies), ...rcpLevels.flatMap((l) => l.policies)]) {
    let h = applicableStatements(p, req);
    // An account principal in an endpoint policy covers the account's users and roles (interface endpoints).
    if (p === endpoint) h = h.filter((x) => x.principal !== 'none');
    // A NotPrincipal Deny always catches a principal that has a permissions boundary (documented AWS behaviour).
    if (p === resource) h = h.filter((x) => x.principal !== 'none' || (!!boundary && x.notPrincipal && x.ref.effect === 'Deny'));
    if (p.type === 'rcp') h = h.filter((x) => x.principal !== 'none');
    hits.set(p, h);
  }
  return { req, identity, resource, boundary, session, endpoint, scpLevels, rcpLevels, rcpsApply, strict, hits };
}

type Pick = (h: StatementHit) => boolean;

/** The decision when exactly the hits that `pick` keeps apply. Allow statements only ever widen it. */
function decide(c: Consulted, pick: Pick, withRcps: boolean): Omit<EvaluationResult, 'unknownKeys'> {
  const { req } = c;
  const caller = req.caller;
  const isService = caller.kind === 'service';
  const of = (p: LoadedPolicy | undefined) => (p ? (c.hits.get(p) ?? []).filter(pick) : []);
  const ofAll = (ps: LoadedPolicy[]) => ps.flatMap(of);
  const allows = (hs: StatementHit[]) => hs.filter((h) => h.ref.effect === 'Allow').map((h) => h.ref);
  const denies = (hs: StatementHit[]) => hs.filter((h) => h.ref.effect === 'Deny').map((h) => h.ref);

  const identityHits = ofAll(c.identity);
  const resourceHits = of(c.resource);
  const boundaryHits = of(c.boundary);
  const sessionHits = ofAll(c.session);
  const endpointHits = of(c.endpoint);
  const scpHits = c.scpLevels.map((l) => ofAll(l.policies));
  const rcpLevels = withRcps ? c.rcpLevels : [];
  const rcpHits = rcpLevels.map((l) => ofAll(l.policies));

  const base = {
    action: req.action,
    resourceArn: req.resourceArn,
    principalArn: caller.arn,
    crossAccount: req.principalAccount !== req.resourceAccount,
  };
  const explicit = [identityHits, resourceHits, boundaryHits, sessionHits, ...scpHits, ...rcpHits, endpointHits].flatMap(denies);
  if (explicit.length > 0) return { ...base, decision: 'ExplicitlyDenied', decidingStatements: explicit };

  const implicit = (gate: ImplicitDenyGate) => ({
    ...base,
    decision: 'ImplicitlyDenied' as const,
    decidingStatements: [],
    implicitDeny: gate,
  });
  for (let i = 0; i < rcpLevels.length; i++) {
    if (allows(rcpHits[i]).length === 0) return implicit({ gate: 'rcp', target: rcpLevels[i].target });
  }
  for (let i = 0; i < c.scpLevels.length; i++) {
    if (allows(scpHits[i]).length === 0) return implicit({ gate: 'scp', target: c.scpLevels[i].target });
  }
  if (c.endpoint && allows(endpointHits).length === 0) return implicit({ gate: 'vpc-endpoint', policyName: c.endpoint.name });

  const ceilings: StatementRef[] = [...rcpHits.flatMap(allows), ...scpHits.flatMap(allows), ...allows(endpointHits)];
  const allowed = (grants: StatementRef[]) => ({ ...base, decision: 'Allowed' as const, decidingStatements: [...grants, ...ceilings] });

  const resourceAllows = resourceHits.filter((h) => h.ref.effect === 'Allow');
  const byMatch = (m: StatementHit['principal']) => resourceAllows.filter((h) => h.principal === m).map((h) => h.ref);
  const direct = byMatch('direct');
  const issuer = byMatch('issuer');
  const account = byMatch('account');

  if (isService) return direct.length > 0 ? allowed(direct) : implicit({ gate: 'resource', policyName: c.resource?.name });

  // The account root user has full access in its own account, except where a trust or key policy must name it.
  const isRoot = caller.kind === 'root';
  const rootByDefault = isRoot && !c.strict;
  const identityAllows = allows(identityHits);
  const identityOk = rootByDefault || identityAllows.length > 0;
  const boundaryOk = !c.boundary || allows(boundaryHits).length > 0;
  const sessionOk = c.session.length === 0 || allows(sessionHits).length > 0;
  const ceilingRefs = [...(c.boundary ? allows(boundaryHits) : []), ...(c.session.length ? allows(sessionHits) : [])];

  if (!base.crossAccount) {
    if (c.strict) {
      // The trust or key policy must name the caller (direct or via its role), or delegate to the account's IAM policies.
      const viaIdentity = account.length > 0 && identityOk ? [...account, ...identityAllows] : [];
      const viaCeilings = boundaryOk && sessionOk ? [...issuer, ...viaIdentity] : [];
      // The root user is the account principal itself: a statement naming the account names it.
      const rootGrant = isRoot && account.length > 0 ? account : [];
      // "If a permissions boundary is set for the user, then it must allow the sts:AssumeRole action", even when the
      // trust policy lists the user as the principal ("Modifying a role trust policy").
      if (c.strict === 'trust policy' && direct.length > 0 && !boundaryOk)
        return implicit({ gate: 'permissions-boundary', policyName: c.boundary!.name });
      if (direct.length > 0 || viaCeilings.length > 0 || rootGrant.length > 0) {
        return allowed(viaCeilings.length > 0 ? [...direct, ...viaCeilings, ...ceilingRefs] : [...direct, ...rootGrant]);
      }
      if (issuer.length > 0 || (account.length > 0 && identityOk)) {
        if (!boundaryOk) return implicit({ gate: 'permissions-boundary', policyName: c.boundary!.name });
        return implicit({ gate: 'session' });
      }
      if (account.length > 0) return implicit({ gate: 'no-allow', resourcePolicyName: c.resource?.name });
      return implicit({ gate: 'trust-or-key-policy', policyKind: c.strict, policyName: c.resource!.name });
    }
    const viaCeilings = boundaryOk && sessionOk ? [...(identityOk ? identityAllows : []), ...issuer] : [];
    if (direct.length > 0 || viaCeilings.length > 0 || (isRoot && boundaryOk && sessionOk)) {
      return allowed(viaCeilings.length > 0 ? [...direct, ...viaCeilings, ...ceilingRefs] : direct);
    }
    const wouldAllow = identityOk || issuer.length > 0;
    if (wouldAllow && !boundaryOk) return implicit({ gate: 'permissions-boundary', policyName: c.boundary!.name });
    if (wouldAllow && !sessionOk) return implicit({ gate: 'session' });
    return implicit({ gate: 'no-allow', resourcePolicyName: c.resource?.name });
  }

  if (!identityOk) return implicit({ gate: 'identity' });
  if (!boundaryOk) return implicit({ gate: 'permissions-boundary', policyName: c.boundary!.name });
  if (!sessionOk) return implicit({ gate: 'session' });
  const resourceGrants = [...direct, ...issuer, ...account];
  if (resourceGrants.length === 0) return implicit({ gate: 'resource', policyName: c.resource?.name });
  return allowed([...identityAllows, ...resourceGrants, ...ceilingRefs]);
}

/**
 * Decides a request the way AWS's documented policy evaluation logic does:
 * 1. documented AWS rules that no policy changes come first (sts:GetCallerIdentity needs no permission;
 *    AWS managed policies and service-linked roles cannot be changed);
 * 2. any applicable Deny in any policy wins;
 * 3. every SCP level and the VPC endpoint policy must allow;
 * 4. same account: an identity-based Allow (within the boundary and session policies) or a
 *    resource-based Allow suffices. A resource policy that names the caller itself (user ARN, role
 *    session ARN, "*") is not limited by the boundary or session policy; one naming the role behind
 *    the session is. A role trust policy or KMS key policy must name the caller, or name the account
 *    and leave it to an identity-based Allow;
 * 5. cross-account: both the identity side and the resource policy must allow.
 *
 * Statements whose conditions test keys the context marks unknown are weighed both ways: if the
 * decision differs, an IndeterminateError names the keys; if not, the result lists them in unknownKeys.
 */
export function evaluate(request: IamRequest, policies: PolicySet): EvaluationResult {
  const early = awsRuleFor(request);
  if (early) return early;
  const c = consult(request, policies);
  if (c.rcpsApply !== 'unknown') return decideWithUnknownKeys(c, c.rcpsApply);
  // Whether RCPs govern this service is not known here: answer only if it makes no difference.
  const withRcps = decideWithUnknownKeys(c, true);
  const without = decideWithUnknownKeys(c, false);
  if (withRcps.decision !== without.decision)
    throw new IamPolicyError(
      `resource control policies would decide ${request.action} (${withRcps.decision} with them, ${without.decision} without), and whether they govern ${c.req.caller.kind === 'service' ? 'requests by service principals' : `the service of ${request.action}`} is outside the engine's scope`,
    );
  return without;
}

function decideWithUnknownKeys(c: Consulted, withRcps: boolean): EvaluationResult {
  const all = [...c.hits.values()].flat();
  const uncertain = all.filter((h) => !h.certain);
  const certainOnly = decide(c, (h) => h.certain, withRcps);
  if (uncertain.length === 0) return certainOnly;
  const unknownKeys = [...new Set(uncertain.flatMap((h) => h.unknownKeys))];
  const fail = (hs: StatementHit[], possible: Decision[]) =>
    new IndeterminateError(
      [...new Set(hs.flatMap((h) => h.unknownKeys))],
      hs.map((h) => h.ref),
      [...new Set(possible)],
    );

  if (certainOnly.decision === 'ExplicitlyDenied') return { ...certainOnly, unknownKeys };
  const uncertainDenies = uncertain.filter((h) => h.ref.effect === 'Deny');
  const withAllows = decide(c, (h) => h.certain || h.ref.effect === 'Allow', withRcps);
  if (uncertainDenies.length > 0) throw fail(uncertain, ['ExplicitlyDenied', certainOnly.decision, withAllows.decision]);
  if (withAllows.decision !== certainOnly.decision) throw fail(uncertain, [certainOnly.decision, withAllows.decision]);
  return { ...certainOnly, unknownKeys };
}
