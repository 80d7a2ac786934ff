/**
 * Documented AWS rules that decide a request before, or regardless of, any policy.
 */
import { classifyPrincipal, splitArn } from './arn';
import type { EvaluationResult, IamRequest } from './types';

/**
 * "No permissions are required to perform this operation. If an administrator attaches a policy to your
 * identity that explicitly denies access to the sts:GetCallerIdentity action, you can still perform this
 * operation." (AWS STS API Reference, GetCallerIdentity)
 */
const NEEDS_NO_PERMISSION = new Set(['sts:getcalleridentity']);

/** "You can't change the permissions defined in AWS managed policies." (IAM User Guide, "Managed policies and inline policies") */
const CHANGES_A_MANAGED_POLICY = new Set([
  'iam:createpolicyversion',
  'iam:deletepolicyversion',
  'iam:setdefaultpolicyversion',
  'iam:deletepolicy',
  'iam:tagpolicy',
  'iam:untagpolicy',
]);

/**
 * "You cannot modify the permissions policy for a service-linked role in IAM." (IAM User Guide, "Update
 * permissions for a role"); "service-linked roles are protected AWS resources. Only the service that
 * depends on the service-linked role can modify or delete the role on your behalf." (IAM API Reference,
 * UnmodifiableEntityException)
 */
const CHANGES_A_SERVICE_LINKED_ROLE = new Set([
  'iam:putrolepolicy',
  'iam:deleterolepolicy',
  'iam:attachrolepolicy',
  'iam:detachrolepolicy',
  'iam:updateassumerolepolicy',
  'iam:putrolepermissionsboundary',
  'iam:deleterolepermissionsboundary',
  'iam:deleterole',
]);

/**
 * "Cross-account permission is effective only for the following operations: Cryptographic operations, CreateGrant,
 * DescribeKey, GetKeyRotationStatus, GetPublicKey, ListGrants, RetireGrant, RevokeGrant" (AWS KMS Developer Guide,
 * "Allowing users in other accounts to use a KMS key"); the cryptographic operations are those of "AWS KMS
 * concepts", "Cryptographic operations".
 */
const KMS_CROSS_ACCOUNT = new Set(
  [
    'Decrypt',
    'Encrypt',
    'GenerateDataKey',
    'GenerateDataKeyPair',
    'GenerateDataKeyPairWithoutPlaintext',
    'GenerateDataKeyWithoutPlaintext',
    'GenerateMac',
    'ReEncryptFrom',
    'ReEncryptTo',
    'Sign',
    'Verify',
    'VerifyMac',
    'CreateGrant',
    'DescribeKey',
    'GetKeyRotationStatus',
    'GetPublicKey',
    'ListGrants',
    'RetireGrant',
    'RevokeGrant',
  ].map((a) => `kms:${a.toLowerCase()}`),
);

export const AWS_RULES = {
  noPermission: 'sts:GetCallerIdentity needs no permission: AWS answers it even when a policy denies it',
  managedPolicy: 'AWS managed policies cannot be changed by anyone in the account, whatever the policies say',
  serviceLinkedRole: 'service-linked roles are protected: only the service that depends on the role can change or delete it',
  /** "You cannot assume a role when you are signed in as the AWS account root user." (IAM User Guide, "Switching to an IAM role (AWS API)") */
  rootAssumeRole: 'the account root user cannot assume a role',
  kmsCrossAccount:
    'this KMS operation cannot be granted to principals in another account; cross-account permission works only for cryptographic operations and a few grant and key-description operations',
} as const;

/** The result a documented AWS rule imposes on the request, or undefined when policies decide. */
export function awsRuleFor(request: IamRequest): EvaluationResult | undefined {
  const action = request.action.toLowerCase();
  const base = { action: request.action, resourceArn: request.resourceArn, principalArn: request.principalArn, crossAccount: false };
  if (NEEDS_NO_PERMISSION.has(action)) return { ...base, decision: 'Allowed', decidingStatements: [], rule: AWS_RULES.noPermission };
  const denied = (rule: string): EvaluationResult => ({
    ...base,
    decision: 'ImplicitlyDenied',
    decidingStatements: [],
    implicitDeny: { gate: 'aws-rule', rule },
    rule,
  });
  const resource = splitArn(request.resourceArn);
  if (resource?.service === 'iam') {
    if (resource.account === 'aws' && resource.resource.startsWith('policy/') && CHANGES_A_MANAGED_POLICY.has(action))
      return denied(AWS_RULES.managedPolicy);
    if (resource.resource.startsWith('role/aws-service-role/') && CHANGES_A_SERVICE_LINKED_ROLE.has(action))
      return denied(AWS_RULES.serviceLinkedRole);
  }
  if (action === 'sts:assumerole' && request.principalArn.startsWith('arn:') && classifyPrincipal(request.principalArn).kind === 'root')
    return denied(AWS_RULES.rootAssumeRole);
  if (resource?.service === 'kms' && resource.resource.startsWith('key/') && !KMS_CROSS_ACCOUNT.has(action)) {
    const principalAccount =
      request.principalAccount ?? (request.principalArn.startsWith('arn:') ? splitArn(request.principalArn)?.account : undefined);
    const resourceAccount = request.resourceAccount ?? resource.account;
    if (principalAccount && principalAccount !== resourceAccount) return denied(AWS_RULES.kmsCrossAccount);
  }
  return undefined;
}
