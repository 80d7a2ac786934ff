/**
 * Why a decision came out as it did, policy by policy, in the order AWS's enforcement code consults them
 * ("Policy evaluation logic": explicit Deny in any policy, then resource control policies, service control
 * policies, resource-based policies, identity-based policies, permissions boundaries, session policies).
 * VPC endpoint policies, which that flow chart leaves out, sit with the organization guardrails: they too
 * must allow and never grant.
 */
import { describePolicy, describeStatement } from './describe';
import type { LoadedPolicy } from './document';
import { consult, evaluate, type Consulted } from './evaluate';
import type { EvaluationResult, IamRequest, PolicySet, StatementRef } from './types';

export interface PolicyStep {
  /** 1-based position in AWS's order. */
  readonly step: number;
  /** "service control policies of ou-abcd", "bucket policy data", ... */
  readonly policy: string;
  /** Deny statements that apply. */
  readonly denies: StatementRef[];
  /** Allow statements that apply to this principal. */
  readonly allows: StatementRef[];
  /** Statements whose conditions test keys the context marks unknown. */
  readonly undecided: StatementRef[];
  /** What this policy did for this request, in one sentence. */
  readonly why: string;
}

export interface Explanation {
  readonly result: EvaluationResult;
  readonly steps: PolicyStep[];
}

const list = (refs: StatementRef[]) => refs.map((r) => `statement ${r.sid ?? `[${r.index}]`}`).join(', ');

/** Evaluates the request and explains every policy it consulted. */
export function explainEvaluation(request: IamRequest, policies: PolicySet): Explanation {
  const result = evaluate(request, policies);
  if (result.rule) return { result, steps: [] };
  const c = consult(request, policies);
  const steps: PolicyStep[] = [];
  const explicit = result.decision === 'ExplicitlyDenied';
  const add = (
    label: string,
    ps: LoadedPolicy[],
    why: (denies: StatementRef[], allows: StatementRef[]) => string,
    principalFilter = false,
  ) => {
    if (ps.length === 0) return;
    const hits = ps.flatMap((p) => c.hits.get(p) ?? []).filter((h) => !principalFilter || h.principal !== 'none');
    const denies = hits.filter((h) => h.certain && h.ref.effect === 'Deny').map((h) => h.ref);
    const allows = hits.filter((h) => h.certain && h.ref.effect === 'Allow').map((h) => h.ref);
    const undecided = hits.filter((h) => !h.certain).map((h) => h.ref);
    let sentence =
      denies.length > 0 ? `explicitly denies with ${list(denies)}: an explicit Deny in any policy decides` : why(denies, allows);
    if (explicit && denies.length === 0 && allows.length > 0) sentence += ', which the explicit Deny overrides';
    steps.push({ step: steps.length + 1, policy: label, denies, allows, undecided, why: sentence });
  };
  const guardrail = (what: string) => (_d: StatementRef[], allows: StatementRef[]) =>
    allows.length > 0
      ? `allows with ${list(allows)}; a ${what} only lets requests through, it grants nothing`
      : `no statement allows ${c.req.action}, so the request is implicitly denied here${explicit ? '' : ' whatever else allows it'}`;

  for (const level of c.rcpsApply === false ? [] : c.rcpLevels)
    add(`resource control policies of ${level.target}`, level.policies, guardrail('resource control policy'));
  for (const level of c.scpLevels) add(`service control policies of ${level.target}`, level.policies, guardrail('service control policy'));
  if (c.endpoint)
    add(
      describePolicy({ policyType: 'vpc-endpoint', policyName: c.endpoint.name, policyKind: c.endpoint.kind }),
      [c.endpoint],
      guardrail('VPC endpoint policy'),
      true,
    );
  if (c.resource) {
    add(describePolicy({ policyType: 'resource', policyName: c.resource.name, policyKind: c.resource.kind }), [c.resource], (_d, allows) =>
      resourceWhy(c, allows),
    );
  }
  add('identity-based policies', c.identity, (_d, allows) =>
    allows.length > 0
      ? `allow with ${allows.map(describeStatement).join(', ')}`
      : `none allows ${c.req.action}${c.resource ? '' : ', and there is no resource-based policy to grant it'}`,
  );
  if (c.boundary)
    add(
      describePolicy({ policyType: 'permissions-boundary', policyName: c.boundary.name, policyKind: c.boundary.kind }),
      [c.boundary],
      (_d, allows) =>
        allows.length > 0
          ? `allows with ${list(allows)}: identity-based grants pass the boundary`
          : `does not allow ${c.req.action}: it caps what identity-based policies (and resource policies naming the role) can grant`,
    );
  if (c.session.length)
    add('session policies', c.session, (_d, allows) =>
      allows.length > 0 ? `allow with ${list(allows)}` : `none allows ${c.req.action}: they cap what the session's role can do`,
    );
  return { result, steps };
}

function resourceWhy(c: Consulted, allows: StatementRef[]): string {
  const hits = (c.hits.get(c.resource!) ?? []).filter((h) => h.certain && h.ref.effect === 'Allow');
  const by = (m: string) => hits.filter((h) => h.principal === m).map((h) => h.ref);
  const cross = c.req.principalAccount !== c.req.resourceAccount;
  const parts: string[] = [];
  if (by('direct').length)
    parts.push(
      `${list(by('direct'))} name${by('direct').length === 1 ? 's' : ''} the caller itself${cross ? '' : ', which is enough in the same account'}`,
    );
  if (by('issuer').length)
    parts.push(`${list(by('issuer'))} name the role behind the session (a grant the boundary and session policies still cap)`);
  if (by('account').length) parts.push(`${list(by('account'))} name the account, which leaves the grant to its identity-based policies`);
  if (allows.length === 0 || parts.length === 0) {
    return c.strict
      ? `no statement names ${c.req.caller.arn} or its account: a ${c.strict} must, or IAM policies have no effect`
      : `no statement allows ${c.req.action} for ${c.req.caller.arn}${cross ? '; across accounts the resource policy must allow as well as the caller’s own policies' : ''}`;
  }
  return parts.join('; ');
}
