/**
 * Maps a documented case onto the IAM engine's public API (`evaluate(request, policies)`).
 *
 * The mapping only moves data; it never decides. Where the API has no field for something a case depends on, the
 * adapter refuses with a NotExpressibleError instead of dropping it, so such a case fails rather than passing by
 * accident.
 */
import { evaluate, IamPolicyError } from '../../lib/engines/iam';
import type { IamRequest, NamedPolicy, PolicySet, ScpLevel } from '../../lib/engines/iam';
import type { CasePolicy, DocCase } from './case';
import { allTopics } from './cases';

export class NotExpressibleError extends Error {
  constructor(reason: string) {
    super(`not expressible yet: ${reason}`);
    this.name = 'NotExpressibleError';
  }
}

export interface EngineInput {
  request: IamRequest;
  policies: PolicySet;
}

const named = (p: CasePolicy): NamedPolicy => ({ name: p.name, document: p.document });

/** The account in an ARN's fifth field, if it has one. */
function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** The role ARN an assumed-role session ARN was issued for (paths are not recoverable from the session ARN). */
function roleOfSession(arn: string): string | undefined {
  const match = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : undefined;
}

export function toEngineInput(c: DocCase): EngineInput {
  const { policies: p, request: r } = c;
  if (p.trust && p.keyPolicy) throw new NotExpressibleError('a trust policy and a key policy in one request');
  if ((p.trust || p.keyPolicy) && p.resource) throw new NotExpressibleError('a trust or key policy together with another resource policy');

  const request: IamRequest = {
    principalArn: r.principal,
    action: r.action,
    resourceArn: r.resource,
    resourceAccount: r.resourceAccount,
    // A complete context states every key: what it lacks is absent. A partial one leaves every other key unknown.
    context: { values: { ...r.context }, unknown: r.contextComplete ? [] : ['*'] },
  };
  const principalAccount = accountOf(r.principal);
  if (principalAccount) request.principalAccount = principalAccount;
  if (r.sessionIssuer !== undefined && r.sessionIssuer !== roleOfSession(r.principal)) request.sessionIssuerArn = r.sessionIssuer;

  const policies: PolicySet = {};
  if (p.identity) policies.identity = p.identity.map(named);
  // The engine knows from the request (sts:AssumeRole on a role, a KMS key) that the resource policy is a trust or key policy.
  const resourcePolicy = p.resource ?? p.trust ?? p.keyPolicy;
  if (resourcePolicy) policies.resource = named(resourcePolicy);
  if (p.permissionsBoundary) policies.permissionsBoundary = named(p.permissionsBoundary);
  if (p.session) policies.session = p.session.map(named);
  if (p.scps) policies.scps = p.scps.map((l): ScpLevel => ({ target: l.target, policies: l.policies.map(named) }));
  if (p.rcps) policies.rcps = p.rcps.map((l): ScpLevel => ({ target: l.target, policies: l.policies.map(named) }));
  if (p.managementAccount) policies.managementAccount = p.managementAccount;
  return { request, policies };
}

export type Outcome =
  { kind: 'decision'; decision: string } | { kind: 'policy-error'; message: string } | { kind: 'other-error'; message: string };

/** Runs a case through the engine. A NotExpressibleError propagates; any other throw is reported as an outcome. */
export function runCase(c: DocCase): Outcome {
  const { request, policies } = toEngineInput(c);
  try {
    return { kind: 'decision', decision: evaluate(request, policies).decision };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return error instanceof IamPolicyError ? { kind: 'policy-error', message } : { kind: 'other-error', message };
  }
}

/**
 * Where two pages disagree, the engine follows one (lib/engines/iam/README.md, "Where the documentation disagrees").
 * The case read from the other page then passes only if the engine gives the chosen page's answer, so the choice
 * itself stays tested.
 */
export const CONFLICT_CHOICES: Record<string, { page: string; why: string }> = {
  'bool-policy-variable': {
    page: 'IAM JSON policy elements: Condition operators',
    why: "the operator's own reference page states it; the Variables page lists operators in passing",
  },
  'service-wide-s3-resource-and-ListAllMyBuckets': {
    page: 'Policy evaluation logic',
    why: 'issue 10 asks to follow the evaluation-logic examples, which walk through the request',
  },
};

function siblingOf(c: DocCase): DocCase | undefined {
  return allTopics.flatMap((t) => t.cases).find((other) => other !== c && other.conflict === c.conflict);
}

/** The decision the engine should give for this case: its own, or, for the rejected side of a conflict, the chosen side's. */
export function expectedFor(c: DocCase): { expected: DocCase['expected']; rejectedReading?: string } {
  if (!c.conflict) return { expected: c.expected };
  const choice = CONFLICT_CHOICES[c.conflict];
  if (!choice) throw new Error(`conflict ${c.conflict} has no recorded choice in CONFLICT_CHOICES`);
  if (c.source.page === choice.page) return { expected: c.expected };
  const sibling = siblingOf(c);
  if (!sibling || sibling.source.page !== choice.page)
    throw new Error(`conflict ${c.conflict}: the chosen page "${choice.page}" has no case`);
  return { expected: sibling.expected, rejectedReading: `${c.source.page} is not followed here: ${choice.why}` };
}

/** Whether an outcome is what the case expects: a decision, or for `Error` the engine's own policy error. */
export function outcomeMatches(c: DocCase, outcome: Outcome): boolean {
  const { expected } = expectedFor(c);
  if (expected === 'Error') return outcome.kind === 'policy-error';
  return outcome.kind === 'decision' && outcome.decision === expected;
}

export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'decision':
      return outcome.decision;
    case 'policy-error':
      return `IamPolicyError: ${outcome.message}`;
    case 'other-error':
      return `an unexpected error: ${outcome.message}`;
  }
}
