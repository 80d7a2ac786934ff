import type { EvaluationResult, PolicyType } from '../engines/iam';

const EXPLICIT_IN: Record<PolicyType, string> = {
  resource: 'a resource-based policy',
  identity: 'an identity-based policy',
  'permissions-boundary': 'a permissions boundary',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
  session: 'a session policy',
  'vpc-endpoint': 'a VPC endpoint policy',
};

const IMPLICIT_NOUN: Record<string, string> = {
  'permissions-boundary': 'permissions boundary',
  scp: 'service control policy',
  rcp: 'resource control policy',
  session: 'session policy',
  'vpc-endpoint': 'VPC endpoint policy',
  resource: 'resource-based policy',
  identity: 'identity-based policy',
  'no-allow': 'identity-based policy',
  'trust-or-key-policy': 'resource-based policy',
};

/**
 * The AccessDenied message AWS gives for a denied request, in its own format:
 * it names the policy type that decided. Undefined when the request is allowed.
 * S3 quotes the resource ARN; DynamoDB, ECR and CloudWatch Logs do not
 * (`quoteResource: false`).
 */
export function accessDeniedMessage(result: EvaluationResult, opts: { quoteResource?: boolean } = {}): string | undefined {
  if (result.decision === 'Allowed') return undefined;
  // A documented rule (an AWS managed policy, a service-linked role) fails the request before policies count.
  if (result.implicitDeny?.gate === 'aws-rule')
    return `Cannot perform ${result.action} on ${result.resourceArn}: ${result.implicitDeny.rule}`;
  const resource = opts.quoteResource === false ? result.resourceArn : `"${result.resourceArn}"`;
  const head = `User: ${result.principalArn} is not authorized to perform: ${result.action} on resource: ${resource}`;
  if (result.decision === 'ExplicitlyDenied')
    return `${head} with an explicit deny in ${EXPLICIT_IN[result.decidingStatements[0]?.policyType ?? 'identity']}`;
  const noun = IMPLICIT_NOUN[result.implicitDeny?.gate ?? 'no-allow'] ?? 'identity-based policy';
  return `${head} because no ${noun} allows the ${result.action} action`;
}
