import { DEFAULT_LABELS } from './document';
import type { EvaluationResult, StatementRef } from './types';

/** "bucket policy ProtectBucket" / "identity-based policy AppAccess" */
export function describePolicy(ref: Pick<StatementRef, 'policyType' | 'policyName' | 'policyKind'>): string {
  const label = ref.policyKind ?? DEFAULT_LABELS[ref.policyType];
  return ref.policyName === label ? label : `${label} ${ref.policyName}`;
}

/** "bucket policy statement ProtectExports" (or "statement [2]" when it has no Sid). */
export function describeStatement(ref: StatementRef): string {
  return `${describePolicy(ref)} statement ${ref.sid ?? `[${ref.index}]`}`;
}

function joinAll(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

const isServicePrincipal = (arn: string) => !arn.startsWith('arn:');

/** One sentence stating why the decision came out as it did. It states facts, never fixes. */
export function describeDecision(result: EvaluationResult): string {
  const { action } = result;
  if (result.decision === 'ExplicitlyDenied') {
    return `denied by ${joinAll(result.decidingStatements.map(describeStatement))}`;
  }
  if (result.rule && result.decision === 'Allowed') return `allowed: ${result.rule}`;
  if (result.decision === 'Allowed') {
    const grants = result.decidingStatements.filter((r) => r.policyType === 'identity' || r.policyType === 'resource');
    if (grants.length === 0) return `allowed: ${result.principalArn} is the account root user, which has full access in its own account`;
    return `allowed by ${joinAll(grants.map(describeStatement))}`;
  }
  const gate = result.implicitDeny;
  switch (gate?.gate) {
    case 'scp':
      return `implicitly denied: no service control policy attached to ${gate.target} allows ${action}`;
    case 'rcp':
      return `implicitly denied: no resource control policy attached to ${gate.target} allows ${action}`;
    case 'vpc-endpoint':
      return `implicitly denied: the VPC endpoint policy ${gate.policyName} does not allow ${action}`;
    case 'permissions-boundary':
      return `implicitly denied: the permissions boundary ${gate.policyName} does not allow ${action}`;
    case 'session':
      return `implicitly denied: no session policy allows ${action}`;
    case 'no-allow':
      return gate.resourcePolicyName
        ? `implicitly denied: no identity-based policy allows ${action}, and the resource policy ${gate.resourcePolicyName} does not grant it to ${result.principalArn}`
        : `implicitly denied: no identity-based policy allows ${action}`;
    case 'identity':
      return `implicitly denied: no identity-based policy allows ${action} (a cross-account request needs one as well as the resource policy)`;
    case 'resource': {
      const who = isServicePrincipal(result.principalArn) ? `service principal ${result.principalArn}` : result.principalArn;
      const where = result.crossAccount && !isServicePrincipal(result.principalArn) ? 'cross-account request: ' : '';
      return gate.policyName
        ? `implicitly denied: ${where}the resource policy ${gate.policyName} does not allow ${action} for ${who}`
        : `implicitly denied: ${where}there is no resource policy allowing ${action} for ${who}`;
    }
    case 'trust-or-key-policy':
      return `implicitly denied: the ${gate.policyKind} ${gate.policyName} neither names ${result.principalArn} nor lets its account's IAM policies grant ${action}`;
    case 'aws-rule':
      return `not possible: ${gate.rule}`;
    default:
      return `implicitly denied: nothing allows ${action}`;
  }
}
