import { applicableStatements, loadPolicy, normalizeRequest, type LoadedPolicy, type StatementHit } from './document';
import { IamPolicyError } from './errors';
import type { EvaluationResult, IamRequest, ImplicitDenyGate, NamedPolicy, PolicySet, ScpLevel, StatementRef } from './types';

interface LoadedScpLevel {
  target: string;
  policies: LoadedPolicy[];
}

function isScpLevel(x: NamedPolicy | ScpLevel): x is ScpLevel {
  return (x as ScpLevel).policies !== undefined;
}

function loadScps(scps: PolicySet['scps']): LoadedScpLevel[] {
  if (!scps || scps.length === 0) return [];
  const entries = scps as Array<NamedPolicy | ScpLevel>;
  if (entries.every(isScpLevel)) {
    return entries.map((level) => ({ target: level.target, policies: level.policies.map((p) => loadPolicy(p, 'scp')) }));
  }
  if (entries.some(isScpLevel)) throw new IamPolicyError('scps must be all policies (one level) or all {target, policies} levels');
  return [{ target: 'the account', policies: (entries as NamedPolicy[]).map((p) => loadPolicy(p, 'scp')) }];
}

const allows = (hits: StatementHit[]) => hits.filter((h) => h.ref.effect === 'Allow').map((h) => h.ref);
const denies = (hits: StatementHit[]) => hits.filter((h) => h.ref.effect === 'Deny').map((h) => h.ref);

/**
 * Decides a request the way AWS's documented policy evaluation logic does:
 * 1. any applicable Deny in any policy wins;
 * 2. every SCP level and the VPC endpoint policy must allow;
 * 3. same account: an identity-based Allow (within the boundary and session policies) or a
 *    resource-based Allow suffices. A resource policy that names the caller itself (user ARN, role
 *    session ARN, "*") is not limited by the boundary or session policy; one naming the role behind
 *    the session (or the account) is;
 * 4. cross-account: both the identity side and the resource policy must allow.
 */
export function evaluate(request: IamRequest, policies: PolicySet): EvaluationResult {
  const req = normalizeRequest(request);
  const caller = req.caller;
  const isService = caller.kind === 'service';
  if (isService && (policies.identity?.length || policies.permissionsBoundary || policies.session?.length)) {
    throw new IamPolicyError(`service principal ${caller.arn} has no identity-based policies, permissions boundary or session policies`);
  }

  const identity = (policies.identity ?? []).map((p) => loadPolicy(p, 'identity'));
  const resource = policies.resource ? loadPolicy(policies.resource, 'resource') : undefined;
  const boundary = policies.permissionsBoundary ? loadPolicy(policies.permissionsBoundary, 'permissions-boundary') : undefined;
  const session = (policies.session ?? []).map((p) => loadPolicy(p, 'session'));
  const endpoint = policies.vpcEndpoint ? loadPolicy(policies.vpcEndpoint, 'vpc-endpoint') : undefined;
  // SCPs bound the principals of member accounts; AWS service principals are outside them.
  const scpLevels = isService ? [] : loadScps(policies.scps);

  const hitsOf = (list: LoadedPolicy[]) => list.flatMap((p) => applicableStatements(p, req));
  const identityHits = hitsOf(identity);
  const boundaryHits = boundary ? applicableStatements(boundary, req) : [];
  const sessionHits = hitsOf(session);
  // An account principal in an endpoint policy covers the account's users and roles (interface endpoints).
  const endpointHits = endpoint ? applicableStatements(endpoint, req).filter((h) => h.principal !== 'none') : [];
  const scpHits = scpLevels.map((level) => hitsOf(level.policies));
  // A NotPrincipal Deny always catches a principal that has a permissions boundary (documented AWS behaviour).
  const resourceHits = resource
    ? applicableStatements(resource, req).filter((h) => h.principal !== 'none' || (!!boundary && h.notPrincipal && h.ref.effect === 'Deny'))
    : [];

  const base = {
    action: req.action,
    resourceArn: req.resourceArn,
    principalArn: caller.arn,
    crossAccount: req.principalAccount !== req.resourceAccount,
  };
  const explicit = [identityHits, resourceHits, boundaryHits, sessionHits, ...scpHits, endpointHits].flatMap(denies);
  if (explicit.length > 0) return { ...base, decision: 'ExplicitlyDenied', decidingStatements: explicit };

  const implicit = (gate: ImplicitDenyGate): EvaluationResult => ({
    ...base,
    decision: 'ImplicitlyDenied',
    decidingStatements: [],
    implicitDeny: gate,
  });

  for (let i = 0; i < scpLevels.length; i++) {
    if (allows(scpHits[i]).length === 0) return implicit({ gate: 'scp', target: scpLevels[i].target });
  }
  if (endpoint && allows(endpointHits).length === 0) return implicit({ gate: 'vpc-endpoint', policyName: endpoint.name });

  const ceilings: StatementRef[] = [...scpHits.flatMap(allows), ...allows(endpointHits)];
  const allowed = (grants: StatementRef[]): EvaluationResult => ({
    ...base,
    decision: 'Allowed',
    decidingStatements: [...grants, ...ceilings],
  });

  const resourceAllows = resourceHits.filter((h) => h.ref.effect === 'Allow');
  const byMatch = (m: StatementHit['principal']) => resourceAllows.filter((h) => h.principal === m).map((h) => h.ref);
  const direct = byMatch('direct');
  const issuer = byMatch('issuer');
  const account = byMatch('account');

  if (isService) {
    return direct.length > 0 ? allowed(direct) : implicit({ gate: 'resource', policyName: resource?.name });
  }

  // The account root user has full access in its own account; it has no identity policies, boundary or session policy.
  const isRoot = caller.kind === 'root';
  const identityAllows = allows(identityHits);
  const identityOk = isRoot || identityAllows.length > 0;
  const boundaryOk = !boundary || allows(boundaryHits).length > 0;
  const sessionOk = session.length === 0 || allows(sessionHits).length > 0;
  const ceilingRefs = [...(boundary ? allows(boundaryHits) : []), ...(session.length ? allows(sessionHits) : [])];

  if (!base.crossAccount) {
    const viaCeilings = boundaryOk && sessionOk ? [...(identityOk ? identityAllows : []), ...issuer] : [];
    if (direct.length > 0 || viaCeilings.length > 0 || (isRoot && boundaryOk && sessionOk)) {
      return allowed(viaCeilings.length > 0 ? [...direct, ...viaCeilings, ...ceilingRefs] : direct);
    }
    const wouldAllow = identityOk || issuer.length > 0;
    if (wouldAllow && !boundaryOk) return implicit({ gate: 'permissions-boundary', policyName: boundary!.name });
    if (wouldAllow && !sessionOk) return implicit({ gate: 'session' });
    return implicit({ gate: 'no-allow', resourcePolicyName: resource?.name });
  }

  if (!identityOk) return implicit({ gate: 'identity' });
  if (!boundaryOk) return implicit({ gate: 'permissions-boundary', policyName: boundary!.name });
  if (!sessionOk) return implicit({ gate: 'session' });
  const resourceGrants = [...direct, ...issuer, ...account];
  if (resourceGrants.length === 0) return implicit({ gate: 'resource', policyName: resource?.name });
  return allowed([...identityAllows, ...resourceGrants, ...ceilingRefs]);
}
