/** Session policies passed to AssumeRole and GetFederationToken, and how resource policies interact with them. */
import type { CaseTopic, DocCase } from '../case';
import { ACCOUNT, allow, complete, deny, federatedUserArn, policy, roleArn, sessionArn, userArn } from '../build';
import { cite, pages } from '../pages';

const bucket = 'amzn-s3-demo-bucket';
const object = `arn:aws:s3:::${bucket}/data.csv`;
const appRole = roleArn('app');
const appSession = sessionArn('app', 'worker-1');
const request = (principal: string, rest: { sessionIssuer?: string } = {}) => ({
  ...complete(principal, 's3:GetObject', object, ACCOUNT, {}),
  ...rest,
});
const readObjects = policy('read-objects', allow('s3:GetObject', `arn:aws:s3:::${bucket}/*`));
const sessionAllowsRead = policy('session: read', allow('s3:GetObject', '*'));
const sessionEc2Only = policy('session: ec2 only', allow('ec2:*', '*'));
const bucketPolicyFor = (principal: string) =>
  policy('bucket policy', allow('s3:GetObject', `arn:aws:s3:::${bucket}/*`, { Principal: { AWS: principal } }));

// GetFederationToken: the IAM user "broker" federates as "alice".
const broker = userArn('broker');
const federatedAlice = federatedUserArn('alice');

const cases: DocCase[] = [
  {
    what: 'identity policy and session policy both allowing lets the session through',
    policies: { identity: [readObjects], session: [sessionAllowsRead] },
    request: request(appSession),
    expected: 'Allowed',
    source: cite(
      pages.sessionPolicies,
      'The permissions for a session are the intersection of the identity-based policies for the IAM entity (user or role) used to create the session and the session policies.',
    ),
  },
  {
    what: 'a session policy that does not allow the action denies it implicitly',
    policies: { identity: [readObjects], session: [sessionEc2Only] },
    request: request(appSession),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.denyAllow,
      'If a session policy is present and does not allow the requested action, then the request is implicitly denied.',
    ),
  },
  {
    what: 'a session policy grants nothing the role does not have',
    policies: { identity: [policy('ec2', allow('ec2:*', '*'))], session: [sessionAllowsRead] },
    request: request(appSession),
    expected: 'ImplicitlyDenied',
    source: cite(pages.sessionPolicies, 'Session policies limit permissions for a created session, but do not grant permissions.'),
  },
  {
    what: 'a Deny in the session policy is explicit',
    policies: { identity: [readObjects], session: [policy('session: no s3', allow('*', '*'), deny('s3:*', '*'))] },
    request: request(appSession),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.sessionPolicies,
      'Permissions can also come from a resource-based policy. An explicit deny in any of these policies overrides the allow.',
    ),
  },
  {
    what: 'a role session without a session policy keeps the role permissions',
    policies: { identity: [readObjects] },
    request: request(appSession),
    expected: 'Allowed',
    source: cite(
      pages.denyAllow,
      "If you didn't pass a session policy, a default session policy is created and the enforcement code returns a final decision of Allow.",
    ),
  },
  {
    what: 'a bucket policy naming the session ARN is not limited by the session policy',
    policies: { session: [sessionEc2Only], resource: bucketPolicyFor(appSession) },
    request: request(appSession),
    expected: 'Allowed',
    source: cite(
      pages.sessionPolicies,
      'In that case, the permissions from the resource-based policy are added after the session is created. The resource-based policy permissions are not limited by the session policy.',
    ),
  },
  {
    what: 'a bucket policy naming the role ARN is limited by the session policy',
    policies: { session: [sessionEc2Only], resource: bucketPolicyFor(appRole) },
    request: request(appSession),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.sessionPolicies,
      'The session policy limits the total permissions granted by the resource-based policy and the identity-based policy.',
    ),
  },
  {
    what: 'a bucket policy naming the role ARN passes a session policy that allows the action',
    policies: { session: [sessionAllowsRead], resource: bucketPolicyFor(appRole) },
    request: request(appSession),
    expected: 'Allowed',
    source: cite(
      pages.sessionPolicies,
      "The resulting session's permissions are the intersection of the session policies and the resource-based policies plus the intersection of the session policies and identity-based policies.",
    ),
  },
  {
    what: 'session policy and boundary both bound the role',
    policies: {
      identity: [readObjects],
      session: [sessionAllowsRead],
      permissionsBoundary: policy('ec2-only boundary', allow('ec2:*', '*')),
    },
    request: request(appSession),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.sessionPolicies,
      "In that case, the resulting session's permissions are the intersection of the session policy, the permissions boundary, and the identity-based policy.",
    ),
  },
  {
    what: 'a boundary does not limit a bucket policy naming the session',
    policies: { permissionsBoundary: policy('ec2-only boundary', allow('ec2:*', '*')), resource: bucketPolicyFor(appSession) },
    request: request(appSession),
    expected: 'Allowed',
    source: cite(
      pages.sessionPolicies,
      'However, a permissions boundary does not limit permissions granted by a resource-based policy that specifies the ARN of the resulting session.',
    ),
  },
  {
    what: 'a federated user: identity and session policy both allowing',
    policies: { identity: [readObjects], session: [sessionAllowsRead] },
    request: request(federatedAlice),
    expected: 'Allowed',
    source: cite(
      pages.sessionPolicies,
      "The resulting session's permissions are the intersection of the identity-based policy and the session policy.",
    ),
  },
  {
    what: 'a federated user: a bucket policy naming the federated user is not limited by its session policy',
    policies: { session: [sessionEc2Only], resource: bucketPolicyFor(federatedAlice) },
    request: request(federatedAlice),
    expected: 'Allowed',
    source: cite(
      pages.denyAllow,
      'Within the same account, resource-based policies that grant permissions to a federated user ARN grant permissions directly to the session. Permissions granted directly to a session are not limited by an implicit deny in an identity-based policy, a permissions boundary, or session policy.',
    ),
  },
  {
    what: 'a federated user: a bucket policy naming the IAM user who federated is limited by the session policy',
    policies: { session: [sessionEc2Only], resource: bucketPolicyFor(broker) },
    request: request(federatedAlice, { sessionIssuer: broker }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.denyAllow,
      'However, if a resource-based policy grants permission to the ARN of the IAM user who federated, then requests made by the federated user during the session are limited by an implicit deny in a permission boundary or session policy.',
    ),
  },
];

export const sessionPolicies: CaseTopic = { topic: 'session-policies', cases };
