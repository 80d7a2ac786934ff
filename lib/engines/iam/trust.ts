/**
 * Can this caller assume this role? The role's trust policy decides sts:AssumeRole, and sts:TagSession /
 * sts:SetSourceIdentity when the call passes session tags or a source identity ("Passing session tags in
 * AWS STS": the trust policy must allow sts:TagSession; "Monitor and control actions taken with assumed
 * roles": sts:SetSourceIdentity). A service principal (ecs-tasks.amazonaws.com, lambda.amazonaws.com)
 * assumes a role only if the trust policy names it; an IAM principal in the same account also when the
 * trust policy names its account and its own policies allow the call.
 */
import { describeDecision } from './describe';
import { evaluate } from './evaluate';
import type { EvaluationResult, NamedPolicy, PolicyDocumentInput, PolicySet, RequestContext, StatedContext } from './types';

export interface AssumeRoleQuestion {
  /** The role to assume, with its path. */
  readonly roleArn: string;
  readonly trustPolicy: PolicyDocumentInput;
  /** A service principal such as "ecs-tasks.amazonaws.com", or an IAM user, role or role session ARN. */
  readonly caller: string;
  /** The caller's own policies (not for service principals). */
  readonly callerPolicies?: Omit<PolicySet, 'resource'>;
  /** The context of the AssumeRole call (e.g. aws:SourceAccount and aws:SourceArn when a service calls). */
  readonly context?: RequestContext | StatedContext;
  /** The call passes session tags (needs sts:TagSession). */
  readonly sessionTags?: boolean;
  /** The call sets a source identity (needs sts:SetSourceIdentity). */
  readonly sourceIdentity?: boolean;
}

export interface AssumeRoleAnswer {
  readonly allowed: boolean;
  /** One result per action the call needs, sts:AssumeRole first. */
  readonly results: EvaluationResult[];
  /** "ecs-tasks.amazonaws.com can assume arn:...: allowed by trust policy statement ..." */
  readonly sentence: string;
}

export function canAssumeRole(q: AssumeRoleQuestion): AssumeRoleAnswer {
  const actions = ['sts:AssumeRole', ...(q.sessionTags ? ['sts:TagSession'] : []), ...(q.sourceIdentity ? ['sts:SetSourceIdentity'] : [])];
  const trust: NamedPolicy = { name: q.roleArn.slice(q.roleArn.lastIndexOf('/') + 1), kind: 'trust policy', document: q.trustPolicy };
  const results = actions.map((action) =>
    evaluate(
      { principalArn: q.caller, action, resourceArn: q.roleArn, context: q.context },
      { ...(q.callerPolicies ?? {}), resource: trust },
    ),
  );
  const refused = results.find((r) => r.decision !== 'Allowed');
  const sentence = refused
    ? `${q.caller} cannot assume ${q.roleArn}: ${refused.action} is ${describeDecision(refused)}`
    : `${q.caller} can assume ${q.roleArn}: ${describeDecision(results[0])}`;
  return { allowed: !refused, results, sentence };
}
