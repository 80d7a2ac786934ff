/** Symbolic least-privilege checks over the IAM engine's policy model. */
export {
  checkAccessNotGranted,
  checkNoNewAccess,
  type AccessNotGrantedInput,
  type AccessSpec,
  type CheckInput,
  type CheckResult,
  type Finding,
  type NoNewAccessInput,
  type PrincipalPolicies,
  type ResourcePolicyAttachment,
} from './checks';
export { destructiveActions, DESTRUCTIVE_ACTIONS, type ProtectedResourceKind } from './destructive';
