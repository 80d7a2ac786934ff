/** Assuming roles (trust policies, sts:TagSession, service principals) and passing roles to services. */
import type { CaseTopic, ContextValue, DocCase } from '../case';
import { ACCOUNT, OTHER_ACCOUNT, allow, complete, deny, policy, roleArn, rootArn, userArn } from '../build';
import { cite, pages } from '../pages';

const alice = userArn('alice');
const appRole = roleArn('app');
const assume = (principal: string, role = appRole, context: Record<string, ContextValue> = {}, action = 'sts:AssumeRole') =>
  complete(principal, action, role, role.split(':')[4], context);
const trust = (principal: unknown, rest: Record<string, unknown> = {}) =>
  policy('trust policy', { Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...rest });
const mayAssume = (role = appRole) => policy('may assume', allow('sts:AssumeRole', role));
const mustExplicitlyAllow =
  'IAM role trust policies and KMS key policies are exceptions to this logic, because they must explicitly allow access for principals.';

// "Passing session tags in AWS STS": the role trust policy for the test-session-tags user.
const tagsUser = userArn('test-session-tags', '123456789012');
const tagsRole = roleArn('session-tags-role', '123456789012');
const sessionTagsTrust = policy(
  'trust policy',
  {
    Sid: 'AllowIamUserAssumeRole',
    Effect: 'Allow',
    Action: 'sts:AssumeRole',
    Principal: { AWS: tagsUser },
    Condition: {
      StringLike: { 'aws:RequestTag/Project': '*', 'aws:RequestTag/CostCenter': '*', 'aws:RequestTag/Department': '*' },
      StringEquals: { 'sts:ExternalId': 'Example987' },
    },
  },
  {
    Sid: 'AllowPassSessionTagsAndTransitive',
    Effect: 'Allow',
    Action: 'sts:TagSession',
    Principal: { AWS: tagsUser },
    Condition: {
      StringLike: { 'aws:RequestTag/Project': '*', 'aws:RequestTag/CostCenter': '*' },
      StringEquals: { 'aws:RequestTag/Department': ['Engineering', 'Marketing'] },
      'ForAllValues:StringEquals': { 'sts:TransitiveTagKeys': ['Project', 'Department'] },
    },
  },
);
const sessionTags = (department: string): Record<string, ContextValue> => ({
  'aws:RequestTag/Project': 'Unicorn',
  'aws:RequestTag/CostCenter': '12345',
  'aws:RequestTag/Department': department,
  'aws:TagKeys': ['Project', 'CostCenter', 'Department'],
  'sts:TransitiveTagKeys': ['Project'],
});

const passRoleToEc2 = policy(
  'pass to EC2',
  allow('iam:PassRole', appRole, { Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }),
);
const passRole = (service: string, role = appRole) =>
  complete(alice, 'iam:PassRole', role, role.split(':')[4], { 'iam:PassedToService': service });

const cases: DocCase[] = [
  {
    what: 'a trust policy naming the user lets it assume the role in the same account',
    policies: { trust: trust({ AWS: alice }) },
    request: assume(alice),
    expected: 'Allowed',
    source: cite(
      pages.denyAllow,
      'If a resource-based policy grants permission directly to the IAM user or the session principal that is making the request, then an implicit deny in an identity-based policy, a permissions boundary, or a session policy does not impact the final decision.',
    ),
  },
  {
    what: 'an identity Allow for sts:AssumeRole is not enough without the trust policy',
    policies: { identity: [mayAssume()], trust: trust({ Service: 'ec2.amazonaws.com' }) },
    request: assume(alice),
    expected: 'ImplicitlyDenied',
    source: cite(pages.denyAllow, mustExplicitlyAllow),
  },
  {
    what: 'a trust policy naming the account delegates to identity policies: with an Allow',
    policies: { identity: [mayAssume()], trust: trust({ AWS: rootArn() }) },
    request: assume(alice),
    expected: 'Allowed',
    source: cite(pages.principal, 'This delegates authority to the account.'),
  },
  {
    what: 'a trust policy naming another account: its user with an Allow',
    policies: { identity: [mayAssume(roleArn('auditor', OTHER_ACCOUNT))], trust: trust({ AWS: ACCOUNT }) },
    request: assume(alice, roleArn('auditor', OTHER_ACCOUNT)),
    expected: 'Allowed',
    source: cite(
      pages.switchRole,
      'That potentially allows any user in the trusted account to assume the role. To complete the configuration, the administrator of the trusted account must give specific groups or users in that account permission to switch to the role.',
    ),
  },
  {
    what: 'a trust policy naming another account: its user without an Allow',
    policies: { trust: trust({ AWS: ACCOUNT }) },
    request: assume(alice, roleArn('auditor', OTHER_ACCOUNT)),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.switchRole,
      'That potentially allows any user in the trusted account to assume the role. To complete the configuration, the administrator of the trusted account must give specific groups or users in that account permission to switch to the role.',
    ),
  },
  {
    what: 'an identity Deny on sts:AssumeRole overrides the trust policy',
    policies: { identity: [policy('no roles', deny('sts:AssumeRole', '*'))], trust: trust({ AWS: alice }) },
    request: assume(alice),
    expected: 'ExplicitlyDenied',
    source: cite(pages.denyAllow, 'An explicit deny overrides an explicit allow.'),
  },
  {
    what: 'a Deny in the trust policy is explicit',
    policies: {
      identity: [mayAssume()],
      trust: policy(
        'trust policy',
        { Effect: 'Allow', Principal: { AWS: rootArn() }, Action: 'sts:AssumeRole' },
        { Effect: 'Deny', Principal: { AWS: alice }, Action: 'sts:AssumeRole' },
      ),
    },
    request: assume(alice),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.denyAllow,
      'These include AWS Organizations SCPs and RCPs, resource-based policies, identity-based policies, IAM permissions boundaries, and session policies.',
    ),
  },
  {
    what: 'a service the trust policy names may assume the role',
    policies: { trust: trust({ Service: 'ecs-tasks.amazonaws.com' }) },
    request: assume('ecs-tasks.amazonaws.com'),
    expected: 'Allowed',
    source: cite(
      pages.principal,
      'Trust policies are resource-based policies attached to a role that defines which principals can assume the role.',
    ),
  },
  {
    what: 'a service the trust policy does not name may not assume the role',
    policies: { trust: trust({ Service: 'ecs-tasks.amazonaws.com' }) },
    request: assume('lambda.amazonaws.com'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.principal,
      'Service roles must include a trust policy. Trust policies are resource-based policies attached to a role that defines which principals can assume the role.',
    ),
  },
  {
    what: 'each service in a Service array may assume the role',
    policies: { trust: trust({ Service: ['ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com'] }) },
    request: assume('elasticloadbalancing.amazonaws.com'),
    expected: 'Allowed',
    source: cite(pages.principal, 'The policy enables two services, Amazon ECS and Elastic Load Balancing, to assume the role.'),
  },
  {
    what: 'AssumeRole with the required session tags and external ID',
    policies: { trust: sessionTagsTrust },
    request: assume(tagsUser, tagsRole, { ...sessionTags('Engineering'), 'sts:ExternalId': 'Example987' }),
    expected: 'Allowed',
    source: cite(
      pages.sessionTags,
      'The AllowIamUserAssumeRole statement allows the test-session-tags user to assume the role with the attached policy.',
    ),
  },
  {
    what: 'AssumeRole with a wrong external ID',
    policies: { trust: sessionTagsTrust },
    request: assume(tagsUser, tagsRole, { ...sessionTags('Engineering'), 'sts:ExternalId': 'Example123' }),
    expected: 'ImplicitlyDenied',
    source: cite(pages.sessionTags, 'The second condition block requires the user to pass an external ID with the value Example987.'),
  },
  {
    what: 'sts:TagSession with allowed tag values',
    policies: { trust: sessionTagsTrust },
    request: assume(tagsUser, tagsRole, sessionTags('Marketing'), 'sts:TagSession'),
    expected: 'Allowed',
    source: cite(pages.sessionTags, 'The AllowPassSessionTagsAndTransitive statement allows the sts:TagSession permissions-only action.'),
  },
  {
    what: 'sts:TagSession with a Department value the trust policy does not list',
    policies: { trust: sessionTagsTrust },
    request: assume(tagsUser, tagsRole, sessionTags('Sales'), 'sts:TagSession'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.sessionTags,
      'The second condition block allows the user to pass only the Engineering or Marketing value for the Department session tag.',
    ),
  },
  {
    what: 'sts:TagSession with a transitive tag key the trust policy does not list',
    policies: { trust: sessionTagsTrust },
    request: assume(
      tagsUser,
      tagsRole,
      { ...sessionTags('Engineering'), 'sts:TransitiveTagKeys': ['Project', 'CostCenter'] },
      'sts:TagSession',
    ),
    expected: 'ImplicitlyDenied',
    source: cite(pages.sessionTags, 'They cannot set additional tags as transitive.'),
  },
  {
    what: 'sts:TagSession when the trust policy allows only sts:AssumeRole',
    policies: { trust: policy('trust policy', { Effect: 'Allow', Principal: { AWS: tagsUser }, Action: 'sts:AssumeRole' }) },
    request: assume(tagsUser, tagsRole, sessionTags('Engineering'), 'sts:TagSession'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.sessionTags,
      "This action must be allowed before the user can pass session tags. If your policy includes the first statement without the second statement, the user can't assume the role.",
    ),
  },
  {
    what: 'iam:PassRole to the service the policy names',
    policies: { identity: [passRoleToEc2] },
    request: passRole('ec2.amazonaws.com'),
    expected: 'Allowed',
    source: cite(
      pages.passRole,
      'The iam:PassedToService condition key can be used to specify the service principal of the service to which a role can be passed.',
    ),
  },
  {
    what: 'iam:PassRole to a service the policy does not name',
    policies: { identity: [passRoleToEc2] },
    request: passRole('lambda.amazonaws.com'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.passRole,
      'The iam:PassedToService condition key can be used to specify the service principal of the service to which a role can be passed.',
    ),
  },
  {
    what: 'iam:PassRole needs an Allow',
    policies: { identity: [policy('ec2', allow('ec2:*', '*'))] },
    request: passRole('ec2.amazonaws.com'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.passRole,
      "To allow a user to pass a role to an AWS service, you must grant the PassRole permission to the user's IAM user, role, or group.",
    ),
  },
  {
    what: "iam:PassRole cannot pass another account's role",
    policies: { identity: [policy('pass anything', allow('iam:PassRole', '*'))] },
    request: passRole('ec2.amazonaws.com', roleArn('app', OTHER_ACCOUNT)),
    expected: 'ImplicitlyDenied',
    source: cite(pages.passRole, 'You cannot use the PassRole permission to pass a cross-account role.'),
  },
];

export const roles: CaseTopic = { topic: 'roles', cases };
