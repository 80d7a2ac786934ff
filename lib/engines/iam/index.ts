/**
 * IAM policy evaluation engine: public API (README.md in this folder explains use and scope).
 *
 * - evaluate: decide one request under the policies in play; explainEvaluation: the same, policy by policy.
 * - canAssumeRole: whether a service or principal can assume a role under its trust policy.
 * - checkAccessNotGranted / checkNoNewAccess: least-privilege proofs over the policies' own patterns.
 * - The request context AWS builds for a workload comes from lib/engines/request-context.
 */
export { evaluate } from './evaluate';
export { explainEvaluation, type Explanation, type PolicyStep } from './explain';
export { canAssumeRole, type AssumeRoleAnswer, type AssumeRoleQuestion } from './trust';
export { evaluatePolicyDocument, type DocumentOptions } from './document';
export { describeDecision, describeStatement, describePolicy } from './describe';
export { baseContext, mergeContext, type BaseContextInput } from './context';
export { parsePolicy, type ParsedPolicy, type ParsedStatement, type ParsedCondition } from './parse';
export { IamPolicyError, IndeterminateError } from './errors';
export { AWS_RULES } from './aws-rules';
export * from './proofs';
export type {
  ContextValue,
  Decision,
  DocumentEvaluation,
  Effect,
  EvaluationResult,
  IamRequest,
  ImplicitDenyGate,
  NamedPolicy,
  PolicyDocumentInput,
  PolicySet,
  PolicyType,
  RequestContext,
  ScpLevel,
  StatedContext,
  StatementRef,
} from './types';
