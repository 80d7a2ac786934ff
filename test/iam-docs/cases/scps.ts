/** Service control policies: every level from the root to the account must allow; a Deny anywhere wins. */
import type { CaseTopic, DocCase } from '../case';
import { ACCOUNT, OTHER_ACCOUNT, allow, complete, deny, fullAccess, level, orgPath, policy, rootArn, userArn } from '../build';
import { cite, pages } from '../pages';

const alice = userArn('alice');
const admin = policy('AdministratorAccess', allow('*', '*'));
const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`;
const request = (principal: string, action: string, resource: string, resourceAccount = ACCOUNT) =>
  complete(principal, action, resource, resourceAccount, {});
const denyDynamoDb = policy('DenyDynamoDB', deny('dynamodb:*', '*'));
// The deny-list SCP printed on "Strategies for using SCPs", both statements in one policy.
const allowAllButDynamoDb = policy(
  'AllowAllButDynamoDB',
  { Sid: 'AllowsAllActions', ...allow('*', '*') },
  { Sid: 'DenyDynamoDB', ...deny('dynamodb:*', '*') },
);
const denyOutsideRegions = policy(
  'DenyOutsideRegions',
  deny('*', '*', { Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-central-1', 'eu-west-1'] } } }),
);
const serviceLinkedRole = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`;

const cases: DocCase[] = [
  {
    what: 'FullAWSAccess at every level passes an identity Allow',
    policies: { identity: [admin], scps: orgPath(ACCOUNT) },
    request: request(alice, 'dynamodb:GetItem', table),
    expected: 'Allowed',
    source: cite(
      pages.scps,
      'If a user or role has an IAM permission policy that grants access to an action that is also allowed by the applicable SCPs, the user or role can perform that action.',
    ),
  },
  {
    what: 'an SCP allowing everything grants nothing by itself',
    policies: { scps: orgPath(ACCOUNT) },
    request: request(alice, 'dynamodb:GetItem', table),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.scps,
      'A user without any IAM permission policies has no access, even if the applicable SCPs allow all services and all actions.',
    ),
  },
  {
    what: 'a deny-list SCP on the OU explicitly denies DynamoDB to an administrator',
    policies: {
      identity: [admin],
      scps: [level('r-abcd', fullAccess()), level('ou-abcd-11111111', allowAllButDynamoDb), level(ACCOUNT, fullAccess())],
    },
    request: request(alice, 'dynamodb:GetItem', table),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.scpStrategies,
      "The users in the affected accounts can't perform DynamoDB actions because the explicit Deny element in the second statement overrides the explicit Allow in the first.",
    ),
  },
  {
    what: 'the same deny-list SCP still allows other services',
    policies: {
      identity: [admin],
      scps: [level('r-abcd', fullAccess()), level('ou-abcd-11111111', allowAllButDynamoDb), level(ACCOUNT, fullAccess())],
    },
    request: request(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/data.csv'),
    expected: 'Allowed',
    source: cite(pages.scpStrategies, 'This SCP still allows all other services and their actions.'),
  },
  {
    what: 'FullAWSAccess and a separate Deny policy at one level combine',
    policies: { identity: [admin], scps: orgPath(ACCOUNT, { ou: [denyDynamoDb] }) },
    request: request(alice, 'dynamodb:PutItem', table),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.scpStrategies,
      'The combination of the FullAWSAccess policy and the Deny statement in the preceding DynamoDB policy that is applied to a root or OU has the same effect as the single policy that contains both statements. All policies that apply at a specified level are combined.',
    ),
  },
  {
    what: 'an allow list at the OU that leaves out S3 blocks S3 implicitly',
    policies: {
      identity: [admin],
      scps: [
        level('r-abcd', fullAccess()),
        level('ou-abcd-11111111', policy('AllowEC2', allow('ec2:*', '*'))),
        level(ACCOUNT, fullAccess()),
      ],
    },
    request: request(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/data.csv'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.scpStrategies,
      'For a permission to be enabled for a specified account, every SCP from the root through each OU in the direct path to the account, and even attached to the account itself, must allow that permission.',
    ),
  },
  {
    what: 'an allow list at the account itself that leaves out S3 blocks S3 implicitly',
    policies: {
      identity: [admin],
      scps: [
        level('r-abcd', fullAccess()),
        level('ou-abcd-11111111', fullAccess()),
        level(ACCOUNT, policy('AllowEC2', allow('ec2:*', '*'))),
      ],
    },
    request: request(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/data.csv'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.scpStrategies,
      'For a permission to be enabled for a specified account, every SCP from the root through each OU in the direct path to the account, and even attached to the account itself, must allow that permission.',
    ),
  },
  {
    what: 'a permission missing from the root level is blocked despite AdministratorAccess',
    policies: {
      identity: [admin],
      scps: [
        level('r-abcd', policy('AllowEC2', allow('ec2:*', '*'))),
        level('ou-abcd-11111111', fullAccess()),
        level(ACCOUNT, fullAccess()),
      ],
    },
    request: request(alice, 'dynamodb:GetItem', table),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.scps,
      "If a permission is blocked at any level above the account, either implicitly (by not being included in an Allow policy statement) or explicitly (by being included in a Deny policy statement), a user or role in the affected account can't use that permission, even if the account administrator attaches the AdministratorAccess IAM policy with */* permissions to the user.",
    ),
  },
  {
    what: 'a Deny at the root decides although lower levels allow',
    policies: { identity: [admin], scps: orgPath(ACCOUNT, { root: [denyDynamoDb] }) },
    request: request(alice, 'dynamodb:GetItem', table),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.scps,
      "If a permission is blocked at any level above the account, either implicitly (by not being included in an Allow policy statement) or explicitly (by being included in a Deny policy statement), a user or role in the affected account can't use that permission, even if the account administrator attaches the AdministratorAccess IAM policy with */* permissions to the user.",
    ),
  },
  {
    what: "an SCP binds the member account's root user",
    policies: { scps: orgPath(ACCOUNT, { account: [denyDynamoDb] }) },
    request: request(rootArn(), 'dynamodb:GetItem', table),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.scps,
      "An SCP restricts permissions for IAM users and roles in member accounts, including the member account's root user.",
    ),
  },
  {
    what: 'an SCP with no applicable Allow stops a same-account bucket policy grant',
    policies: {
      resource: policy('bucket policy', allow('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', { Principal: { AWS: alice } })),
      scps: [
        level('r-abcd', fullAccess()),
        level('ou-abcd-11111111', policy('AllowEC2', allow('ec2:*', '*'))),
        level(ACCOUNT, fullAccess()),
      ],
    },
    request: request(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/data.csv'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.denyAllow,
      'If the enforcement code does not find any applicable Allow statements in the SCPs, the enforcement code returns a final decision of Deny. If there is no SCP, or if the SCP allows the requested action, the enforcement code evaluation continues.',
    ),
    note: 'The SCP step comes before the resource-based policy step; no Deny statement is involved, so the denial is implicit.',
  },
  {
    what: "the caller's SCPs apply to its cross-account requests",
    policies: {
      identity: [admin],
      resource: policy('bucket policy', allow('s3:GetObject', 'arn:aws:s3:::shared-bucket/*', { Principal: { AWS: alice } })),
      scps: orgPath(ACCOUNT, { ou: [policy('DenyS3', deny('s3:*', '*'))] }),
    },
    request: request(alice, 's3:GetObject', 'arn:aws:s3:::shared-bucket/data.csv', OTHER_ACCOUNT),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.crossAccount,
      'When AWS evaluates this account, it checks the identity-based policy and any policies that can limit an identity-based policy.',
    ),
  },
  {
    what: 'an SCP Deny conditioned on the requested Region applies outside the listed Regions',
    policies: {
      identity: [admin],
      scps: orgPath(ACCOUNT, { ou: [denyOutsideRegions] }),
    },
    request: { ...request(alice, 'dynamodb:GetItem', table), context: { 'aws:RequestedRegion': 'us-east-1' } },
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.multipleValues,
      'When multiple values are listed in a policy for negated matching condition operators such as StringNotEquals and DateNotEquals, the effective permissions work like a logical AND.',
    ),
  },
  {
    what: 'an SCP Deny conditioned on the requested Region does not apply inside a listed Region',
    policies: {
      identity: [admin],
      scps: orgPath(ACCOUNT, { ou: [denyOutsideRegions] }),
    },
    request: {
      ...request(alice, 'dynamodb:GetItem', `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/Orders`),
      context: { 'aws:RequestedRegion': 'eu-west-1' },
    },
    expected: 'Allowed',
    source: cite(
      pages.multipleValues,
      'For example, if there are multiple aws:PrincipalAccount values in a StringNotEquals condition operator, the string cannot match any of the aws:PrincipalAccount values listed to resolve the condition to true.',
    ),
  },
  {
    what: 'SCPs do not affect a service-linked role',
    policies: {
      identity: [policy('AWSElasticLoadBalancingServiceRolePolicy', allow('ec2:DescribeInstances', '*'))],
      scps: orgPath(ACCOUNT, { root: [policy('DenyEC2', deny('ec2:*', '*'))] }),
    },
    request: request(serviceLinkedRole, 'ec2:DescribeInstances', '*'),
    expected: 'Allowed',
    source: cite(
      pages.scps,
      "SCPs do not affect any service-linked role. Service-linked roles enable other AWS services to integrate with AWS Organizations and can't be restricted by SCPs.",
    ),
  },
  {
    what: 'SCPs do not affect users in the management account',
    policies: { identity: [admin], scps: orgPath(ACCOUNT, { root: [denyDynamoDb] }), managementAccount: ACCOUNT },
    request: request(alice, 'dynamodb:GetItem', table),
    expected: 'Allowed',
    source: cite(
      pages.scps,
      "SCPs don't affect users or roles in the management account. They affect only the member accounts in your organization.",
    ),
  },
];

export const scps: CaseTopic = { topic: 'scps', cases };
