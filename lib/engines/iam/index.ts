/** IAM policy evaluation engine: public API. */
export { evaluate } from './evaluate';
export { evaluatePolicyDocument, type DocumentOptions } from './document';
export { describeDecision, describeStatement, describePolicy } from './describe';
export { baseContext, mergeContext, type BaseContextInput } from './context';
export { parsePolicy, type ParsedPolicy, type ParsedStatement, type ParsedCondition } from './parse';
export { IamPolicyError, IndeterminateError } from './errors';
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
  StatedContext,
  ScpLevel,
  StatementRef,
} from './types';
