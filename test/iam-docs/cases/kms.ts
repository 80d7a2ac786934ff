/** KMS key policies: IAM policies count only where the key policy lets the account delegate. */
import type { CaseTopic, DocCase } from '../case';
import { ACCOUNT, OTHER_ACCOUNT, allow, complete, deny, policy, rootArn, userArn } from '../build';
import { cite, pages } from '../pages';

const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const alice = userArn('alice');
const partner = userArn('partner', OTHER_ACCOUNT);
const request = (principal: string, action = 'kms:Decrypt') => complete(principal, action, key, ACCOUNT, {});
// The "Enable IAM policies" statement of the default key policy.
const enableIamPolicies = policy('default key policy', {
  Sid: 'Enable IAM policies',
  Effect: 'Allow',
  Principal: { AWS: rootArn() },
  Action: 'kms:*',
  Resource: '*',
});
// A key policy without that statement: only named administrators.
const adminsOnly = policy('admins only', {
  Sid: 'Allow access for Key Administrators',
  Effect: 'Allow',
  Principal: { AWS: [userArn('KMSAdminUser'), `arn:aws:iam::${ACCOUNT}:role/KMSAdminRole`] },
  Action: [
    'kms:Create*',
    'kms:Describe*',
    'kms:Enable*',
    'kms:List*',
    'kms:Put*',
    'kms:Update*',
    'kms:Revoke*',
    'kms:Disable*',
    'kms:Get*',
    'kms:Delete*',
    'kms:ScheduleKeyDeletion',
    'kms:CancelKeyDeletion',
  ],
  Resource: '*',
});
const aliceMayUse = policy('key user', {
  Effect: 'Allow',
  Principal: { AWS: alice },
  Action: ['kms:Encrypt', 'kms:Decrypt'],
  Resource: '*',
});
const decrypt = policy('decrypt', allow('kms:Decrypt', key));
const otherAccountMayUse = policy('other account', {
  Effect: 'Allow',
  Principal: { AWS: rootArn(OTHER_ACCOUNT) },
  Action: ['kms:Decrypt', 'kms:ScheduleKeyDeletion'],
  Resource: '*',
});

const cases: DocCase[] = [
  {
    what: 'with the default key policy an IAM policy grants use of the key',
    policies: { keyPolicy: enableIamPolicies, identity: [decrypt] },
    request: request(alice),
    expected: 'Allowed',
    source: cite(
      pages.defaultKeyPolicy,
      'It allows the account to use IAM policies to allow access to the KMS key, in addition to the key policy.',
    ),
  },
  {
    what: 'without delegation in the key policy an IAM policy grants nothing',
    policies: { keyPolicy: adminsOnly, identity: [decrypt] },
    request: request(alice),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.keyPolicies,
      'Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to a KMS key. Without permission from the key policy, IAM policies that allow permissions have no effect.',
    ),
  },
  {
    what: 'the account principal in the key policy gives users nothing by itself',
    policies: { keyPolicy: enableIamPolicies },
    request: request(alice),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.defaultKeyPolicy,
      "When the principal in a key policy statement is the account principal, the policy statement doesn't give any IAM users or roles permission to use the KMS key.",
    ),
  },
  {
    what: 'a key policy naming the user grants use without an IAM policy',
    policies: { keyPolicy: aliceMayUse },
    request: request(alice),
    expected: 'Allowed',
    source: cite(
      pages.keyPolicies,
      'The statements in the key policy determine who has permission to use the KMS key and how they can use it.',
    ),
  },
  {
    what: 'an IAM Deny works without permission from the key policy',
    policies: { keyPolicy: aliceMayUse, identity: [policy('no decrypt', deny('kms:Decrypt', '*'))] },
    request: request(alice),
    expected: 'ExplicitlyDenied',
    source: cite(pages.keyPolicies, '(You can use an IAM policy to deny a permission to a KMS key without permission from a key policy.)'),
  },
  {
    what: 'the root user has no access the key policy does not give',
    policies: { keyPolicy: aliceMayUse },
    request: request(rootArn()),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.keyPolicies,
      'No AWS principal, including the account root user or key creator, has any permissions to a KMS key unless they are explicitly allowed, and never denied, in a key policy, IAM policy, or grant.',
    ),
  },
  {
    what: 'another account: key policy and IAM policy both allow',
    policies: { keyPolicy: otherAccountMayUse, identity: [decrypt] },
    request: request(partner),
    expected: 'Allowed',
    source: cite(
      pages.keyPolicyOtherAccounts,
      "Cross-account access requires permission in the key policy of the KMS key and in an IAM policy in the external user's account.",
    ),
  },
  {
    what: 'another account: the key policy allows but no IAM policy does',
    policies: { keyPolicy: otherAccountMayUse },
    request: request(partner),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.keyPolicyOtherAccounts,
      "Cross-account access requires permission in the key policy of the KMS key and in an IAM policy in the external user's account.",
    ),
  },
  {
    what: 'another account: ScheduleKeyDeletion fails even when both policies allow it',
    policies: { keyPolicy: otherAccountMayUse, identity: [policy('schedule deletion', allow('kms:ScheduleKeyDeletion', key))] },
    request: request(partner, 'kms:ScheduleKeyDeletion'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.keyPolicyOtherAccounts,
      "For example, if you give a principal in a different account kms:ListKeys permission in an IAM policy, or kms:ScheduleKeyDeletion permission on a KMS key in a key policy, the user's attempts to call those operations on your resources still fail.",
    ),
  },
];

export const kms: CaseTopic = { topic: 'kms', cases };
