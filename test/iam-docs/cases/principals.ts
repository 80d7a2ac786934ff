/** The Principal and NotPrincipal elements of resource-based policies. */
import type { CaseTopic, DocCase } from '../case';
import { ACCOUNT, OTHER_ACCOUNT, allow, complete, deny, policy, roleArn, rootArn, sessionArn, userArn } from '../build';
import { cite, pages } from '../pages';

// The bucket belongs to ACCOUNT; Bob, Alice and the audit role live in OTHER_ACCOUNT (444455556666, as printed).
const bucketName = 'BUCKETNAME';
const bucketArns = [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`];
const object = `arn:aws:s3:::${bucketName}/data.csv`;
const bob = userArn('Bob', OTHER_ACCOUNT);
const alice = userArn('Alice', OTHER_ACCOUNT);
const request = (
  principal: string,
  rest: { resourceAccount?: string; context?: Record<string, string>; resource?: string; action?: string } = {},
) => complete(principal, rest.action ?? 's3:GetObject', rest.resource ?? object, rest.resourceAccount ?? ACCOUNT, rest.context ?? {});
const readAnything = policy('read', allow('s3:GetObject', '*'));
const allowOtherAccount = allow('s3:GetObject', `arn:aws:s3:::${bucketName}/*`, { Principal: { AWS: OTHER_ACCOUNT } });
const denyAllButBob = deny('s3:*', bucketArns, { NotPrincipal: { AWS: [bob, rootArn(OTHER_ACCOUNT)] } });

// "All principals": the aws:PrincipalArn alternative to NotPrincipal with Deny.
const principalArnInsteadOfNotPrincipal = policy(
  'bucket policy',
  allowOtherAccount,
  deny('s3:*', bucketArns, {
    Sid: 'UsePrincipalArnInsteadOfNotPrincipalWithDeny',
    Principal: '*',
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': bob } },
  }),
);

const auditRole = roleArn('cross-account-read-only-role', OTHER_ACCOUNT);
const auditSession = sessionArn('cross-account-read-only-role', 'cross-account-audit-app', OTHER_ACCOUNT);
const denyAllButAuditApp = deny('s3:*', bucketArns, { NotPrincipal: { AWS: [auditSession, auditRole, rootArn(OTHER_ACCOUNT)] } });

const queue = `arn:aws:sqs:us-east-1:${ACCOUNT}:QUEUE-ID`;
const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:TOPIC-ID`;
const snsToSqs = policy(
  'queue policy',
  allow('SQS:SendMessage', queue, { Principal: { Service: 'sns.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': topic } } }),
);
const snsRequest = (sourceArn: string) => complete('sns.amazonaws.com', 'sqs:SendMessage', queue, ACCOUNT, { 'aws:SourceArn': sourceArn });

const sameAccountUser = userArn('carol');

const cases: DocCase[] = [
  {
    what: 'NotPrincipal with Deny denies a principal it does not list',
    policies: { identity: [readAnything], resource: policy('bucket policy', allowOtherAccount, denyAllButBob) },
    request: request(alice),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.notPrincipal,
      'When you use NotPrincipal in the same policy statement as "Effect": "Deny", the actions specified in the policy statement are explicitly denied to all principals except for the ones specified.',
    ),
  },
  {
    what: 'NotPrincipal with Deny spares the listed user, whom another statement allows',
    policies: { identity: [readAnything], resource: policy('bucket policy', allowOtherAccount, denyAllButBob) },
    request: request(bob),
    expected: 'Allowed',
    source: cite(
      pages.notPrincipal,
      'To allow Bob access to the resource, another policy statement must explicitly allow access using "Effect": "Allow".',
    ),
  },
  {
    what: 'NotPrincipal with Deny does not by itself grant the listed user access',
    policies: { identity: [readAnything], resource: policy('bucket policy', denyAllButBob) },
    request: request(bob),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.notPrincipal,
      'This example by itself does not grant access to Bob, it only omits Bob from the list of principals that are explicitly denied.',
    ),
  },
  {
    what: 'NotPrincipal listing session, role and account spares that session',
    policies: { identity: [readAnything], resource: policy('bucket policy', allowOtherAccount, denyAllButAuditApp) },
    request: request(auditSession),
    expected: 'Allowed',
    source: cite(
      pages.notPrincipal,
      'In the following example, all principals except the assumed-role user named cross-account-audit-app in AWS account 444455556666 are explicitly denied access to a resource.',
    ),
  },
  {
    what: 'NotPrincipal listing one session denies another session of the same role',
    policies: { identity: [readAnything], resource: policy('bucket policy', allowOtherAccount, denyAllButAuditApp) },
    request: request(sessionArn('cross-account-read-only-role', 'someone-else', OTHER_ACCOUNT)),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.notPrincipal,
      'When you specify an assumed-role session in a NotPrincipal element, you cannot use a wildcard (*) to mean "all sessions". Principals must always name a specific session.',
    ),
  },
  {
    what: 'Principal "*" with ArnNotEquals on aws:PrincipalArn denies everyone else',
    policies: {
      identity: [readAnything],
      resource: principalArnInsteadOfNotPrincipal,
    },
    request: request(alice, { context: { 'aws:PrincipalArn': alice } }),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.principal,
      'The following example shows a resource-based policy that can be used instead of NotPrincipal With Deny to explicitly deny all principals except for the ones specified in the Condition element.',
    ),
  },
  {
    what: 'Principal "*" with ArnNotEquals on aws:PrincipalArn spares the named user',
    policies: {
      identity: [readAnything],
      resource: principalArnInsteadOfNotPrincipal,
    },
    request: request(bob, { context: { 'aws:PrincipalArn': bob } }),
    expected: 'Allowed',
    source: cite(
      pages.principal,
      'The following example shows a resource-based policy that can be used instead of NotPrincipal With Deny to explicitly deny all principals except for the ones specified in the Condition element.',
    ),
  },
  {
    what: 'several principals in one element each get the grant',
    policies: {
      identity: [readAnything],
      resource: policy(
        'bucket policy',
        allow('s3:GetObject', `arn:aws:s3:::${bucketName}/*`, { Principal: { AWS: ['123456789012', OTHER_ACCOUNT] } }),
      ),
    },
    request: request(alice),
    expected: 'Allowed',
    source: cite(
      pages.principal,
      'When you specify more than one principal in an element, you grant permissions to each principal. This is a logical OR and not a logical AND, because you authenticate as one principal at a time.',
    ),
  },
  {
    what: 'a policy naming one role session does not cover another session',
    policies: {
      resource: policy(
        'bucket policy',
        allow('s3:GetObject', `arn:aws:s3:::${bucketName}/*`, { Principal: { AWS: sessionArn('app', 'nightly-job') } }),
      ),
    },
    request: request(sessionArn('app', 'adhoc')),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.principal,
      'When you specify an assumed-role session in a Principal element, you cannot use a wildcard "*" to mean all sessions. Principals must always name a specific session.',
    ),
  },
  {
    what: 'Principal {"AWS": "*"} grants a same-account user like Principal "*"',
    policies: { resource: policy('bucket policy', allow('s3:GetObject', `arn:aws:s3:::${bucketName}/*`, { Principal: { AWS: '*' } })) },
    request: request(sameAccountUser),
    expected: 'Allowed',
    source: cite(pages.principal, 'For IAM users and role principals within your account, no other permissions are required.'),
  },
  {
    what: 'a queue policy lets SNS send on behalf of the named topic',
    policies: { resource: snsToSqs },
    request: snsRequest(topic),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'It gives Amazon SNS permission to send messages to the queue (or queues) of your choice, but only if the service is sending the messages on behalf of a particular Amazon SNS topic (or topics).',
    ),
  },
  {
    what: "a queue policy does not let SNS send on behalf of another account's topic",
    policies: { resource: snsToSqs },
    request: snsRequest('arn:aws:sns:us-east-1:777788889999:TOPIC-ID'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      '"ArnEquals": { "aws:SourceArn": "arn:aws:sns:us-west-2:123456789012:TOPIC-ID" } | aws:SourceArn: – arn:aws:sns:us-west-2:777788889999:TOPIC-ID | No match',
    ),
  },
  {
    what: 'a queue policy for the SNS service principal does not admit another service',
    policies: { resource: snsToSqs },
    request: { ...snsRequest(topic), principal: 'events.amazonaws.com' },
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.principal,
      'You can specify AWS services in the Principal element of a resource-based policy or in condition keys that support principals. A service principal is an identifier for a service.',
    ),
  },
  {
    what: 'a Principal element in an identity-based policy is refused',
    policies: { identity: [policy('with principal', allow('s3:GetObject', '*', { Principal: { AWS: sameAccountUser } }))] },
    request: request(sameAccountUser),
    expected: 'Error',
    source: cite(pages.principal, 'You cannot use the Principal element in an identity-based policy.'),
  },
  {
    what: 'a NotPrincipal element in an identity-based policy is refused',
    policies: { identity: [readAnything, policy('with notprincipal', deny('s3:*', '*', { NotPrincipal: { AWS: sameAccountUser } }))] },
    request: request(sameAccountUser),
    expected: 'Error',
    source: cite(
      pages.notPrincipal,
      'You cannot use the NotPrincipal element in an IAM identity-based policy or in an IAM role trust policy.',
    ),
  },
  {
    what: 'a wildcard inside a principal ARN is refused',
    policies: {
      resource: policy(
        'bucket policy',
        allow('s3:GetObject', `arn:aws:s3:::${bucketName}/*`, { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/car*` } }),
      ),
    },
    request: request(sameAccountUser),
    expected: 'Error',
    source: cite(pages.principal, 'You cannot use a wildcard to match part of a principal name or ARN.'),
  },
  {
    what: 'a user group named as principal is refused',
    policies: {
      resource: policy(
        'bucket policy',
        allow('s3:GetObject', `arn:aws:s3:::${bucketName}/*`, { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:group/developers` } }),
      ),
    },
    request: request(sameAccountUser),
    expected: 'Error',
    source: cite(
      pages.principal,
      'You cannot identify a user group as a principal in a policy (such as a resource-based policy) because groups relate to permissions, not authentication, and principals are authenticated IAM entities.',
    ),
  },
];

export const principals: CaseTopic = { topic: 'principals', cases };
