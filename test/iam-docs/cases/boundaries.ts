/** Permissions boundaries, alone and against resource-based policies that name the user, the role or the session. */
import type { CaseTopic, DocCase } from '../case';
import { ACCOUNT, allow, complete, deny, orgPath, policy, roleArn, sessionArn, userArn } from '../build';
import { cite, pages } from '../pages';

const shirley = userArn('ShirleyRodriguez');
// The boundary printed on the page: S3, CloudWatch and EC2 only.
const shirleyBoundary = policy('ShirleyBoundary', allow(['s3:*', 'cloudwatch:*', 'ec2:*'], '*'));
const bucket = 'amzn-s3-demo-bucket';
const object = `arn:aws:s3:::${bucket}/data.csv`;
const ec2Only = policy('ec2-only boundary', allow('ec2:*', '*'));
const appRole = roleArn('app');
const appSession = sessionArn('app', 'worker-1');
const request = (principal: string, action = 's3:GetObject', resource = object, context = {}) =>
  complete(principal, action, resource, ACCOUNT, context);
const bucketPolicyFor = (principal: unknown, rest: Record<string, unknown> = {}) =>
  policy('bucket policy', allow('s3:GetObject', `arn:aws:s3:::${bucket}/*`, { Principal: principal, ...rest }));

const cases: DocCase[] = [
  {
    what: 'an identity Allow outside the boundary fails',
    policies: { identity: [policy('create-user', allow('iam:CreateUser', '*'))], permissionsBoundary: shirleyBoundary },
    request: request(shirley, 'iam:CreateUser', userArn('newhire')),
    expected: 'ImplicitlyDenied',
    source: cite(pages.boundaries, 'It fails because the permissions boundary does not allow the iam:CreateUser operation.'),
  },
  {
    what: 'an identity Allow inside the boundary succeeds',
    policies: { identity: [policy('s3-read', allow('s3:GetObject', '*'))], permissionsBoundary: shirleyBoundary },
    request: request(shirley),
    expected: 'Allowed',
    source: cite(
      pages.boundaries,
      'Identity-based policies grant permission to the entity, and permissions boundaries limit those permissions. The effective permissions are the intersection of both policy types.',
    ),
  },
  {
    what: 'a boundary alone grants nothing',
    policies: { permissionsBoundary: shirleyBoundary },
    request: request(shirley),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.boundaries,
      "When you use a policy to set the permissions boundary for a user, it limits the user's permissions but does not provide permissions on its own.",
    ),
  },
  {
    what: 'a Deny in the boundary overrides an identity Allow',
    policies: {
      identity: [policy('s3-all', allow('s3:*', '*'))],
      permissionsBoundary: policy('XCompanyBoundaries', allow('s3:*', '*'), deny('s3:*', ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/*'])),
    },
    request: request(userArn('zhang'), 's3:GetObject', 'arn:aws:s3:::logs/app.log'),
    expected: 'ExplicitlyDenied',
    source: cite(pages.boundaries, 'An explicit deny in either of these policies overrides the allow.'),
  },
  {
    what: 'a bucket policy naming the IAM user is not limited by the boundary',
    policies: { permissionsBoundary: ec2Only, resource: bucketPolicyFor({ AWS: shirley }) },
    request: request(shirley),
    expected: 'Allowed',
    source: cite(
      pages.denyAllow,
      'Within the same account, resource-based policies that grant permissions to an IAM user ARN (that is not a federated user session) are not limited by an implicit deny in an identity-based policy or permissions boundary.',
    ),
  },
  {
    what: "a bucket policy naming the role is limited by the role's boundary",
    policies: { permissionsBoundary: ec2Only, resource: bucketPolicyFor({ AWS: appRole }) },
    request: request(appSession),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.denyAllow,
      'Resource-based policies that grant permissions to an IAM role ARN are limited by an implicit deny in a permissions boundary or session policy.',
    ),
  },
  {
    what: "a bucket policy naming the role session is not limited by the role's boundary",
    policies: { permissionsBoundary: ec2Only, resource: bucketPolicyFor({ AWS: appSession }) },
    request: request(appSession),
    expected: 'Allowed',
    source: cite(
      pages.denyAllow,
      'Within the same account, resource-based policies that grant permissions to an IAM role session ARN grant permissions directly to the assumed role session. Permissions granted directly to a session are not limited by an implicit deny in an identity-based policy, a permissions boundary, or session policy.',
    ),
  },
  {
    what: 'a bucket policy naming the role grants its session when nothing limits the role',
    policies: { resource: bucketPolicyFor({ AWS: appRole }) },
    request: request(appSession),
    expected: 'Allowed',
    source: cite(
      pages.denyAllow,
      'You can specify the role ARN in the Principal element or the aws:PrincipalArn condition key. In both cases, the principal that makes the request is the IAM role session.',
    ),
  },
  {
    what: 'a wildcard-principal grant keyed on aws:PrincipalArn is not limited by the boundary',
    policies: {
      permissionsBoundary: ec2Only,
      resource: bucketPolicyFor({ AWS: '*' }, { Condition: { ArnEquals: { 'aws:PrincipalArn': appRole } } }),
    },
    request: request(appSession, 's3:GetObject', object, { 'aws:PrincipalArn': appRole }),
    expected: 'Allowed',
    source: cite(
      pages.denyAllow,
      'Permissions boundaries and session policies do not limit permissions granted using the aws:PrincipalArn condition key with a wildcard(*) in the Principal element, unless the identity-based policies contain an explicit deny.',
    ),
  },
  {
    what: 'an aws:PrincipalArn grant with a wildcard principal still yields to an identity Deny',
    policies: {
      identity: [policy('no-s3', deny('s3:*', '*'))],
      permissionsBoundary: ec2Only,
      resource: bucketPolicyFor({ AWS: '*' }, { Condition: { ArnEquals: { 'aws:PrincipalArn': appRole } } }),
    },
    request: request(appSession, 's3:GetObject', object, { 'aws:PrincipalArn': appRole }),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.denyAllow,
      'Permissions boundaries and session policies do not limit permissions granted using the aws:PrincipalArn condition key with a wildcard(*) in the Principal element, unless the identity-based policies contain an explicit deny.',
    ),
  },
  {
    what: 'SCP, boundary and identity policy all allowing lets the request through',
    policies: {
      identity: [policy('s3-read', allow('s3:GetObject', '*'))],
      permissionsBoundary: shirleyBoundary,
      scps: orgPath(ACCOUNT),
    },
    request: request(shirley),
    expected: 'Allowed',
    source: cite(
      pages.boundaries,
      'In this case, the request is allowed only if all three policy types allow it. The effective permissions are the intersection of all three policy types.',
    ),
  },
  {
    what: 'an SCP that does not allow the action stops a boundary-and-identity Allow',
    policies: {
      identity: [policy('s3-read', allow('s3:GetObject', '*'))],
      permissionsBoundary: shirleyBoundary,
      scps: orgPath(ACCOUNT).map((l, i) => (i === 1 ? { target: l.target, policies: [policy('ec2-only SCP', allow('ec2:*', '*'))] } : l)),
    },
    request: request(shirley),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.boundaries,
      'In this case, the request is allowed only if all three policy types allow it. The effective permissions are the intersection of all three policy types.',
    ),
  },
  {
    what: 'a boundary may use a policy variable: inside the own prefix',
    policies: {
      identity: [policy('bucket-all', allow('s3:*', `arn:aws:s3:::${bucket}/*`))],
      permissionsBoundary: policy('own-prefix boundary', allow('s3:*', `arn:aws:s3:::${bucket}/\${aws:username}/*`)),
    },
    request: request(shirley, 's3:PutObject', `arn:aws:s3:::${bucket}/ShirleyRodriguez/notes.txt`, { 'aws:username': 'ShirleyRodriguez' }),
    expected: 'Allowed',
    source: cite(pages.variables, 'Identity-based policies used as permissions boundaries also support policy variables.'),
  },
  {
    what: "a boundary may use a policy variable: another user's prefix",
    policies: {
      identity: [policy('bucket-all', allow('s3:*', `arn:aws:s3:::${bucket}/*`))],
      permissionsBoundary: policy('own-prefix boundary', allow('s3:*', `arn:aws:s3:::${bucket}/\${aws:username}/*`)),
    },
    request: request(shirley, 's3:PutObject', `arn:aws:s3:::${bucket}/zhang/notes.txt`, { 'aws:username': 'ShirleyRodriguez' }),
    expected: 'ImplicitlyDenied',
    source: cite(pages.variables, 'Identity-based policies used as permissions boundaries also support policy variables.'),
  },
];

export const boundaries: CaseTopic = { topic: 'boundaries', cases };
