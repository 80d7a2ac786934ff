/** Requests no policy decides: calls that need no permission, changes no policy can allow, and policies AWS rejects. */
import type { CaseTopic, DocCase } from '../case';
import { ACCOUNT, allow, complete, deny, policy, rawPolicy, userArn } from '../build';
import { cite, pages } from '../pages';

const alice = userArn('alice');
const admin = policy('AdministratorAccess', allow('*', '*'));
const request = (action: string, resource: string) => complete(alice, action, resource, ACCOUNT, {});
const object = 'arn:aws:s3:::amzn-s3-demo-bucket/data.csv';
const noPermissionNeeded =
  'No permissions are required to perform this operation. If an administrator attaches a policy to your identity that explicitly denies access to the sts:GetCallerIdentity action, you can still perform this operation.';

const cases: DocCase[] = [
  {
    what: 'sts:GetCallerIdentity needs no policy',
    policies: {},
    request: request('sts:GetCallerIdentity', '*'),
    expected: 'Allowed',
    source: cite(pages.getCallerIdentity, noPermissionNeeded),
  },
  {
    what: 'sts:GetCallerIdentity succeeds despite an explicit Deny',
    policies: { identity: [policy('deny whoami', deny('sts:GetCallerIdentity', '*'))] },
    request: request('sts:GetCallerIdentity', '*'),
    expected: 'Allowed',
    source: cite(pages.getCallerIdentity, noPermissionNeeded),
  },
  {
    what: 'an AWS managed policy cannot be changed, even by an administrator',
    policies: { identity: [admin] },
    request: request('iam:CreatePolicyVersion', 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
    expected: 'ImplicitlyDenied',
    source: cite(pages.managedVsInline, 'You cannot change the permissions defined in AWS managed policies.'),
    note: 'No policy can allow it; the request fails however the caller is permitted.',
  },
  {
    what: "a service-linked role's permissions cannot be edited, even by an administrator",
    policies: { identity: [admin] },
    request: request(
      'iam:PutRolePolicy',
      `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
    ),
    expected: 'ImplicitlyDenied',
    source: cite(pages.serviceLinkedRoles, 'An IAM administrator can view, but not edit the permissions for service-linked roles.'),
    note: 'No policy can allow it; the request fails however the caller is permitted.',
  },
  {
    what: 'an Effect value in the wrong case is refused',
    policies: { identity: [policy('lower-case effect', { Effect: 'allow', Action: 's3:GetObject', Resource: '*' })] },
    request: request('s3:GetObject', object),
    expected: 'Error',
    source: cite(pages.effect, 'Valid values for Effect are Allow and Deny. The Effect value is case sensitive.'),
  },
  {
    what: 'a statement with neither Resource nor NotResource is refused',
    policies: { identity: [policy('no resource', { Effect: 'Allow', Action: 's3:GetObject' })] },
    request: request('s3:GetObject', object),
    expected: 'Error',
    source: cite(pages.resource, 'Statements must include either a Resource or a NotResource element.'),
  },
  {
    what: 'a statement with both Action and NotAction is refused',
    policies: {
      identity: [policy('both action elements', { Effect: 'Allow', Action: 's3:GetObject', NotAction: 'iam:*', Resource: '*' })],
    },
    request: request('s3:GetObject', object),
    expected: 'Error',
    source: cite(pages.action, 'Statements must include either an Action or NotAction element.'),
  },
  {
    what: 'a policy with no Statement is refused',
    policies: { identity: [rawPolicy('no statement', { Version: '2012-10-17' })] },
    request: request('s3:GetObject', object),
    expected: 'Error',
    source: cite(pages.statement, 'The Statement element is the main element for a policy. This element is required.'),
  },
];

export const special: CaseTopic = { topic: 'special', cases };
