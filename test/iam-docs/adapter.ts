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
  if (p.trust)
    throw new NotExpressibleError(
      'role trust policies (the API has no policy type for them, and a trust policy must allow the caller itself)',
    );
  if (p.keyPolicy)
    throw new NotExpressibleError('KMS key policies (the API cannot say that IAM policies count only where the key policy lets them)');
  if (p.rcps) throw new NotExpressibleError('resource control policies (the API has no RCP input)');
  if (p.managementAccount) throw new NotExpressibleError('which account is the management account (SCPs and RCPs do not apply there)');
  if (!r.contextComplete) {
    throw new NotExpressibleError('a partial request context (the API cannot tell a key it was not given from a key absent in AWS)');
  }
  if (r.sessionIssuer !== undefined && r.sessionIssuer !== roleOfSession(r.principal)) {
    throw new NotExpressibleError(`the identity that created the session ${r.principal} (${r.sessionIssuer}) cannot be passed to the API`);
  }

  const request: IamRequest = {
    principalArn: r.principal,
    action: r.action,
    resourceArn: r.resource,
    resourceAccount: r.resourceAccount,
    context: { ...r.context },
  };
  const principalAccount = accountOf(r.principal);
  if (principalAccount) request.principalAccount = principalAccount;

  const policies: PolicySet = {};
  if (p.identity) policies.identity = p.identity.map(named);
  if (p.resource) policies.resource = named(p.resource);
  if (p.permissionsBoundary) policies.permissionsBoundary = named(p.permissionsBoundary);
  if (p.session) policies.session = p.session.map(named);
  if (p.scps) policies.scps = p.scps.map((l): ScpLevel => ({ target: l.target, policies: l.policies.map(named) }));
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

/** Whether an outcome is what the case expects: a decision, or for `Error` the engine's own policy error. */
export function outcomeMatches(c: DocCase, outcome: Outcome): boolean {
  if (c.expected === 'Error') return outcome.kind === 'policy-error';
  return outcome.kind === 'decision' && outcome.decision === c.expected;
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
