/** Resource control policies: ceilings on what any principal may do to resources in member accounts. */
import type { CaseTopic, DocCase } from '../case';
import { ACCOUNT, OTHER_ACCOUNT, allow, complete, deny, fullAccess, level, policy, userArn } from '../build';
import { cite, pages } from '../pages';

// The bucket lives in ACCOUNT, a member account; the outsider lives in OTHER_ACCOUNT, outside the organization.
const bucket = 'amzn-s3-demo-bucket';
const object = `arn:aws:s3:::${bucket}/data.csv`;
const outsider = userArn('partner', OTHER_ACCOUNT);
const insider = userArn('alice');
const rcpFull = () => fullAccess('RCPFullAWSAccess');
const denyOutsideOrg = policy(
  'DenyS3OutsideOrg',
  deny('s3:*', '*', { Principal: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abcd1234' } } }),
);
const rcpPath = (...ouPolicies: ReturnType<typeof policy>[]) => [
  level('r-abcd', rcpFull()),
  level('ou-abcd-11111111', rcpFull(), ...ouPolicies),
  level(ACCOUNT, rcpFull()),
];
const openBucketPolicy = policy(
  'bucket policy',
  allow('s3:GetObject', `arn:aws:s3:::${bucket}/*`, { Principal: { AWS: [OTHER_ACCOUNT, ACCOUNT] } }),
);
const readAny = policy('read', allow('s3:GetObject', '*'));
const request = (principal: string, context: Record<string, string> = {}) => complete(principal, 's3:GetObject', object, ACCOUNT, context);

const cases: DocCase[] = [
  {
    what: 'RCPFullAWSAccess alone leaves existing permissions working',
    policies: { identity: [readAny], resource: openBucketPolicy, rcps: rcpPath() },
    request: request(outsider),
    expected: 'Allowed',
    source: cite(
      pages.rcpEvaluation,
      'This default RCP allows all principals and actions access to pass through RCP evaluation, meaning until you start creating and attaching RCPs, all your existing IAM permissions continue to operate as they did. This AWS managed policy does not grant access.',
    ),
  },
  {
    what: "an RCP applies to the member account's bucket when an outside account calls",
    policies: { identity: [readAny], resource: openBucketPolicy, rcps: rcpPath(denyOutsideOrg) },
    request: request(outsider),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.rcps,
      'Account A has an RCP attached. That RCP applies to the S3 bucket in Account A even when accessed by users from Account B.',
    ),
  },
  {
    what: 'an RCP Deny outweighs a bucket policy that allows everyone',
    policies: {
      resource: policy('bucket policy', allow('s3:*', [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], { Principal: '*' })),
      rcps: rcpPath(policy('DenyS3Reads', deny('s3:GetObject', '*', { Principal: '*' }))),
    },
    request: request(insider, { 'aws:PrincipalOrgID': 'o-abcd1234' }),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.rcps,
      'If a permission is blocked at any level above the account, a resource in the affected account does not have that permission, even if the resource owner attaches a resource-based policy that allows full access to any user.',
    ),
  },
  {
    what: 'an RCP grants nothing by itself',
    policies: { rcps: rcpPath() },
    request: request(insider, { 'aws:PrincipalOrgID': 'o-abcd1234' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.rcps,
      'A user or role without any IAM permission policies has no access, even if an applicable RCP allows all services, all actions, and all resources.',
    ),
  },
  {
    what: 'RCPs do not affect resources in the management account',
    policies: { identity: [readAny], resource: openBucketPolicy, rcps: rcpPath(denyOutsideOrg), managementAccount: ACCOUNT },
    request: request(outsider),
    expected: 'Allowed',
    source: cite(
      pages.rcps,
      "RCPs don't affect resources in the management account. They only affect resources in the member accounts within your organization.",
    ),
  },
  {
    what: 'RCPs do not restrict a service-linked role',
    policies: {
      identity: [readAny],
      rcps: rcpPath(policy('DenyS3Reads', deny('s3:GetObject', '*', { Principal: '*' }))),
    },
    request: request(`arn:aws:iam::${ACCOUNT}:role/aws-service-role/storagelens.s3.amazonaws.com/AWSServiceRoleForS3StorageLens`),
    expected: 'Allowed',
    source: cite(pages.rcps, 'RCPs do not impact the effective permissions of any service-linked role.'),
  },
];

export const rcps: CaseTopic = { topic: 'rcps', cases };
