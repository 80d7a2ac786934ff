/**
 * Hand-written cases run through both engines. `outsideOracle` marks the few where documented AWS
 * behaviour differs from the oracle: those are checked against `expected` only.
 */
import type { Decision, IamRequest, NamedPolicy, PolicySet } from '../../lib/engines/iam';
import { A, B } from './generators';

export interface HandCase {
  name: string;
  request: IamRequest;
  policies: PolicySet;
  expected: Decision;
  outsideOracle?: string;
}

const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const p = (name: string, ...statements: object[]): NamedPolicy => ({ name, document: doc(...statements) });

const SESSION = `arn:aws:sts::${A}:assumed-role/exporter/task-1`;
const ROLE = `arn:aws:iam::${A}:role/service-role/exporter`;
const USER = `arn:aws:iam::${A}:user/alice`;
const CROSS_SESSION = `arn:aws:sts::${B}:assumed-role/reader/r1`;
const BUCKET = 'arn:aws:s3:::prod-exports';
const TABLE = `arn:aws:dynamodb:us-east-1:${A}:table/Orders`;
const ctx = {
  'aws:PrincipalArn': ROLE,
  'aws:PrincipalAccount': A,
  'aws:SecureTransport': 'true',
  'aws:CurrentTime': '2024-06-01T00:00:00Z',
};

const req = (action: string, resourceArn: string, extra: Partial<IamRequest> = {}): IamRequest => ({
  principalArn: SESSION,
  action,
  resourceArn,
  resourceAccount: A,
  context: ctx,
  ...extra,
});

const s3All = p('S3All', { Sid: 'AllowS3', Effect: 'Allow', Action: 's3:*', Resource: '*' });
const protectExports = p('bucket', {
  Sid: 'ProtectExports',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:DeleteObject',
  Resource: `${BUCKET}/exports/*`,
  Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/admin/*` } },
});
const getPutBoundary = p('Boundary', { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' });
const fullAccess = p('FullAWSAccess', { Effect: 'Allow', Action: '*', Resource: '*' });
const grantTo = (principal: unknown, action = 's3:GetObject') =>
  p('bucket', { Sid: 'Grant', Effect: 'Allow', Principal: principal, Action: action, Resource: `${BUCKET}/*` });
const ecrEndpoint = p('vpce', {
  Effect: 'Allow',
  Principal: '*',
  Action: ['s3:GetObject'],
  Resource: ['arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*'],
});

export const HAND_CASES: HandCase[] = [
  {
    name: 'guide: bucket policy Deny catches the delete',
    request: req('s3:DeleteObject', `${BUCKET}/exports/a.csv`),
    policies: { identity: [s3All], resource: protectExports },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'guide: reading exports is fine',
    request: req('s3:GetObject', `${BUCKET}/exports/a.csv`),
    policies: { identity: [s3All], resource: protectExports },
    expected: 'Allowed',
  },
  {
    name: 'guide: delete outside exports is fine',
    request: req('s3:DeleteObject', `${BUCKET}/tmp/a.csv`),
    policies: { identity: [s3All], resource: protectExports },
    expected: 'Allowed',
  },
  {
    name: 'guide: admin role escapes the Deny condition',
    request: req('s3:DeleteObject', `${BUCKET}/exports/a.csv`, {
      context: { ...ctx, 'aws:PrincipalArn': `arn:aws:iam::${A}:role/admin/ops` },
    }),
    policies: { identity: [s3All], resource: protectExports },
    expected: 'Allowed',
  },
  {
    name: 'guide: boundary without delete',
    request: req('s3:DeleteObject', `${BUCKET}/tmp/a.csv`),
    policies: { identity: [s3All], permissionsBoundary: getPutBoundary },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'guide: boundary allows put',
    request: req('s3:PutObject', `${BUCKET}/tmp/a.csv`),
    policies: { identity: [s3All], permissionsBoundary: getPutBoundary },
    expected: 'Allowed',
  },
  {
    name: 'guide: SCP denies deletes',
    request: req('s3:DeleteObject', `${BUCKET}/tmp/a.csv`),
    policies: { identity: [s3All], scps: [fullAccess, p('NoDeletes', { Effect: 'Deny', Action: 's3:Delete*', Resource: '*' })] },
    expected: 'ExplicitlyDenied',
  },
  { name: 'no policy at all', request: req('s3:GetObject', `${BUCKET}/a`), policies: {}, expected: 'ImplicitlyDenied' },
  {
    name: 'identity allows other service only',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { identity: [p('Ddb', { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' })] },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'case-insensitive action',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { identity: [p('Up', { Effect: 'Allow', Action: 'S3:GETOBJECT', Resource: '*' })] },
    expected: 'Allowed',
  },
  {
    name: 'NotAction allow',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { identity: [p('NA', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] },
    expected: 'Allowed',
  },
  {
    name: 'NotResource deny misses',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { identity: [s3All, p('NR', { Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/*` })] },
    expected: 'Allowed',
  },
  {
    name: 'NotResource deny hits',
    request: req('s3:GetObject', 'arn:aws:s3:::other/a'),
    policies: { identity: [s3All, p('NR', { Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/*` })] },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'resource policy grants the session',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { resource: grantTo({ AWS: SESSION }) },
    expected: 'Allowed',
  },
  {
    name: 'resource policy grants the role',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { resource: grantTo({ AWS: ROLE }) },
    expected: 'Allowed',
  },
  {
    name: 'resource policy grants the account only',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { resource: grantTo({ AWS: A }) },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'account grant plus identity',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { resource: grantTo({ AWS: `arn:aws:iam::${A}:root` }), identity: [s3All] },
    expected: 'Allowed',
  },
  {
    name: 'boundary does not limit a session-ARN grant',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { resource: grantTo({ AWS: SESSION }), permissionsBoundary: p('B', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' }) },
    expected: 'Allowed',
  },
  {
    name: 'boundary limits a role-ARN grant',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { resource: grantTo({ AWS: ROLE }), permissionsBoundary: p('B', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' }) },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'boundary does not limit a "*" grant',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { resource: grantTo('*'), permissionsBoundary: p('B', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' }) },
    expected: 'Allowed',
  },
  {
    name: 'user ARN grant is not limited by the user boundary',
    request: req('s3:GetObject', `${BUCKET}/a`, { principalArn: USER }),
    policies: { resource: grantTo({ AWS: USER }), permissionsBoundary: p('B', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' }) },
    expected: 'Allowed',
  },
  {
    name: 'session policy limits identity',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { identity: [s3All], session: [p('S', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' })] },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'session policy limits a role-ARN grant',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { resource: grantTo({ AWS: ROLE }), session: [p('S', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' })] },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'session policy does not limit a session-ARN grant',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { resource: grantTo({ AWS: SESSION }), session: [p('S', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' })] },
    expected: 'Allowed',
    outsideOracle: 'AWS: a resource policy naming the session ARN is not limited by the session policy; the oracle limits it',
  },
  {
    name: 'NotPrincipal Deny with a boundary always denies',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: {
      identity: [s3All],
      permissionsBoundary: fullAccess,
      resource: p('bucket', { Effect: 'Deny', NotPrincipal: { AWS: [SESSION, ROLE, A] }, Action: 's3:*', Resource: `${BUCKET}/*` }),
    },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'NotPrincipal naming session, role and account exempts the session',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: {
      identity: [s3All],
      resource: p('bucket', { Effect: 'Deny', NotPrincipal: { AWS: [SESSION, ROLE, A] }, Action: 's3:*', Resource: `${BUCKET}/*` }),
    },
    expected: 'Allowed',
  },
  {
    name: 'NotPrincipal naming only the session does not exempt it',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: {
      identity: [s3All],
      resource: p('bucket', { Effect: 'Deny', NotPrincipal: { AWS: [SESSION] }, Action: 's3:*', Resource: `${BUCKET}/*` }),
    },
    expected: 'ExplicitlyDenied',
    outsideOracle: 'AWS checks account, role and session separately for NotPrincipal; the oracle exempts on any one',
  },
  {
    name: 'cross-account needs identity',
    request: req('s3:GetObject', `${BUCKET}/a`, { principalArn: CROSS_SESSION }),
    policies: { resource: grantTo({ AWS: B }) },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'cross-account needs resource',
    request: req('s3:GetObject', `${BUCKET}/a`, { principalArn: CROSS_SESSION }),
    policies: { identity: [s3All] },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'cross-account both allow',
    request: req('s3:GetObject', `${BUCKET}/a`, { principalArn: CROSS_SESSION }),
    policies: { identity: [s3All], resource: grantTo({ AWS: B }) },
    expected: 'Allowed',
  },
  {
    name: 'cross-account role grant',
    request: req('s3:GetObject', `${BUCKET}/a`, { principalArn: CROSS_SESSION }),
    policies: { identity: [s3All], resource: grantTo({ AWS: `arn:aws:iam::${B}:role/reader` }) },
    expected: 'Allowed',
  },
  {
    name: 'cross-account boundary',
    request: req('s3:GetObject', `${BUCKET}/a`, { principalArn: CROSS_SESSION }),
    policies: {
      identity: [s3All],
      resource: grantTo({ AWS: CROSS_SESSION }),
      permissionsBoundary: p('B', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' }),
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'SCP level without allow',
    request: req('dynamodb:GetItem', TABLE),
    policies: {
      identity: [fullAccess],
      scps: [
        { target: 'r-root', policies: [fullAccess] },
        { target: 'ou-x', policies: [s3All] },
      ],
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'SCP levels allow',
    request: req('dynamodb:GetItem', TABLE),
    policies: {
      identity: [fullAccess],
      scps: [
        { target: 'r-root', policies: [fullAccess] },
        { target: 'ou-x', policies: [fullAccess] },
      ],
    },
    expected: 'Allowed',
  },
  {
    name: 'VPC endpoint allows ECR layers',
    request: req('s3:GetObject', 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/sha256/ab'),
    policies: { identity: [s3All], vpcEndpoint: ecrEndpoint },
    expected: 'Allowed',
  },
  {
    name: 'VPC endpoint blocks other buckets',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: { identity: [s3All], vpcEndpoint: ecrEndpoint },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'ECS task role GetItem with condition on table',
    request: req('dynamodb:GetItem', TABLE, { context: { ...ctx, 'aws:RequestedRegion': 'us-east-1' } }),
    policies: {
      identity: [
        p('Task', {
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query'],
          Resource: `arn:aws:dynamodb:*:${A}:table/Orders`,
          Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
        }),
      ],
    },
    expected: 'Allowed',
  },
  {
    name: 'secure transport deny',
    request: req('s3:GetObject', `${BUCKET}/a`, { context: { ...ctx, 'aws:SecureTransport': 'false' } }),
    policies: {
      identity: [s3All],
      resource: p('bucket', {
        Sid: 'TLS',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: `${BUCKET}/*`,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'source VPCE deny with StringNotEquals on a missing key',
    request: req('s3:GetObject', `${BUCKET}/a`),
    policies: {
      identity: [s3All],
      resource: p('bucket', {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: `${BUCKET}/*`,
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
      }),
    },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'IP allow-list with IPv6 caller',
    request: req('s3:GetObject', `${BUCKET}/a`, { context: { ...ctx, 'aws:SourceIp': '2001:db8::5' } }),
    policies: {
      identity: [s3All],
      resource: p('bucket', {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: `${BUCKET}/*`,
        Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
      }),
    },
    expected: 'Allowed',
  },
  {
    name: 'home directory with ${aws:username}',
    request: req('s3:PutObject', 'arn:aws:s3:::home/alice/x', { principalArn: USER, context: { 'aws:username': 'alice' } }),
    policies: { identity: [p('Home', { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' })] },
    expected: 'Allowed',
  },
  {
    name: 'variables stay literal in 2008 policies',
    request: req('s3:PutObject', 'arn:aws:s3:::home/alice/x', { principalArn: USER, context: { 'aws:username': 'alice' } }),
    policies: {
      identity: [
        {
          name: 'Old',
          document: {
            Version: '2008-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' }],
          },
        },
      ],
    },
    expected: 'ImplicitlyDenied',
    outsideOracle: 'the oracle substitutes variables whatever the policy Version',
  },
  {
    name: 'tag-on-create with ForAllValues',
    request: req('dynamodb:PutItem', TABLE, { context: { ...ctx, 'aws:TagKeys': ['env', 'owner'] } }),
    policies: {
      identity: [
        p('Tags', {
          Effect: 'Allow',
          Action: 'dynamodb:*',
          Resource: '*',
          Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } },
        }),
      ],
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'service principal named in a queue policy',
    request: {
      principalArn: 'events.amazonaws.com',
      action: 'sqs:SendMessage',
      resourceArn: `arn:aws:sqs:us-east-1:${A}:jobs`,
      context: { 'aws:SourceArn': `arn:aws:events:us-east-1:${A}:rule/r` },
    },
    policies: {
      resource: p('queue', {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: '*',
        Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:events:us-east-1:${A}:rule/*` } },
      }),
    },
    expected: 'Allowed',
  },
  {
    name: 'account root in its own account',
    request: req('s3:GetObject', `${BUCKET}/a`, { principalArn: `arn:aws:iam::${A}:root` }),
    policies: {},
    expected: 'Allowed',
    outsideOracle: 'AWS gives the root user full access in its account; the oracle does not model the root user',
  },
];
