/**
 * The scenario's verdicts come from breakfix's IAM engine. Here every request
 * the criteria and status ask about, over the policies of each variant armed,
 * fixed and short-cut, is also put to the test oracle (@cloud-copilot/iam-simulate,
 * a devDependency used only in tests), and the two must agree.
 */
import { baseContext, evaluate, NamedPolicy, PolicySet, ScpLevel } from '../../../lib/engines/iam';
import { oracleDecision } from '../../../test/iam-oracle/oracle';
import { scpDocument } from '../lab';

const ACCOUNT = '123456789012';
const BUCKET = `s3-delete-access-denied-data-${ACCOUNT}`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/s3-delete-access-denied-${name}`;
const STEWARD = role('data-steward');
const CLEANUP = role('cleanup-job');
const DELETES = ['s3:DeleteObject', 's3:DeleteObjectVersion'];
const s3All: NamedPolicy = {
  name: 'S3All',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
};
const admin: NamedPolicy = {
  name: 'Admin',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

const bucketPolicy = (...Statement: object[]): NamedPolicy => ({ name: BUCKET, document: { Version: '2012-10-17', Statement } });
const protect = (extra: object) => ({ Sid: 'ProtectRetainedData', Effect: 'Deny', Principal: { AWS: '*' }, Action: DELETES, ...extra });
const armedBucket = bucketPolicy(
  protect({ Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': STEWARD } } }),
);
const twoDenies = bucketPolicy(
  protect({ NotResource: `arn:aws:s3:::${BUCKET}/expired/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': STEWARD } } }),
  {
    Sid: 'ExpiredDataForCleanupOnly',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: DELETES,
    Resource: `arn:aws:s3:::${BUCKET}/expired/*`,
    Condition: { ArnNotLike: { 'aws:PrincipalArn': [STEWARD, CLEANUP] } },
  },
);
const boundary = (...extra: object[]): NamedPolicy => ({
  name: 'cleanup-boundary',
  document: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${BUCKET}/*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` },
      ...extra,
    ],
  },
});
const fullAccess: NamedPolicy = {
  name: 'FullAWSAccess',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};
const scps = (guard?: string): ScpLevel[] => [
  { target: 'r-root', policies: [fullAccess] },
  { target: ACCOUNT, policies: guard ? [fullAccess, { name: 'guard', document: guard }] : [fullAccess] },
];

/** Policy sets, per caller role name, as each variant and each fix or shortcut leaves them. */
const setups: Record<string, (caller: string) => PolicySet> = {
  'bucket-policy armed': () => ({ identity: [s3All], resource: armedBucket }),
  'bucket-policy: cleanup exempt by condition': () => ({
    identity: [s3All],
    resource: bucketPolicy(
      protect({ Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': [STEWARD, CLEANUP] } } }),
    ),
  }),
  'bucket-policy: NotResource scoping': () => ({
    identity: [s3All],
    resource: bucketPolicy(
      protect({ NotResource: `arn:aws:s3:::${BUCKET}/expired/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': STEWARD } } }),
    ),
  }),
  'bucket-policy: two denies': () => ({ identity: [s3All], resource: twoDenies }),
  'bucket-policy: Allow * added': () => ({
    identity: [s3All],
    resource: bucketPolicy(protect({ Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': STEWARD } } }), {
      Sid: 'AllowAll',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:*',
      Resource: `arn:aws:s3:::${BUCKET}/*`,
    }),
  }),
  'bucket-policy: every role exempt': () => ({
    identity: [s3All],
    resource: bucketPolicy(
      protect({
        Resource: `arn:aws:s3:::${BUCKET}/*`,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': [STEWARD, `arn:aws:iam::${ACCOUNT}:role/*`] } },
      }),
    ),
  }),
  'bucket-policy: admin on cleanup': (c) => ({ identity: c === CLEANUP ? [s3All, admin] : [s3All], resource: armedBucket }),
  'permissions-boundary armed': (c) => ({
    identity: [s3All],
    resource: twoDenies,
    permissionsBoundary: c === CLEANUP ? boundary() : undefined,
  }),
  'permissions-boundary: delete on expired added': (c) => ({
    identity: [s3All],
    resource: twoDenies,
    permissionsBoundary:
      c === CLEANUP ? boundary({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${BUCKET}/expired/*` }) : undefined,
  }),
  'scp armed': () => ({ identity: [s3All], resource: twoDenies, scps: scps(scpDocument(BUCKET)) }),
  'scp: cleanup exempt': () => ({
    identity: [s3All],
    resource: twoDenies,
    scps: scps(scpDocument(BUCKET).replace('"arn:aws:iam::*:role/*-data-steward"', `["arn:aws:iam::*:role/*-data-steward","${CLEANUP}"]`)),
  }),
};

const callers = [CLEANUP, role('reporting'), `arn:aws:iam::${ACCOUNT}:role/another-team-s3-full-access`, STEWARD];
const requests: [string, string][] = [
  ['s3:DeleteObject', `arn:aws:s3:::${BUCKET}/expired/2024-01-31/orders.csv`],
  ['s3:DeleteObject', `arn:aws:s3:::${BUCKET}/exports/2025-06-30/customers.csv`],
  ['s3:DeleteObject', `arn:aws:s3:::${BUCKET}/ledger/2025/q2.parquet`],
  ['s3:GetObject', `arn:aws:s3:::${BUCKET}/exports/2025-06-30/customers.csv`],
  ['s3:PutObject', `arn:aws:s3:::${BUCKET}/expired/new.csv`],
];

const cases = Object.keys(setups).flatMap((setup) =>
  callers.flatMap((roleArn) => requests.map(([action, resourceArn]) => [setup, roleArn, action, resourceArn] as const)),
);

test.each(cases)('%s: %s %s %s', (setup, roleArn, action, resourceArn) => {
  const session = roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/job';
  const request = {
    principalArn: session,
    action,
    resourceArn,
    resourceAccount: ACCOUNT,
    context: baseContext({ principalArn: session, roleArn, currentTime: new Date('2026-11-22T08:00:00Z') }),
  };
  const policies = setups[setup](roleArn);
  expect(evaluate(request, policies).decision).toBe(oracleDecision(request, policies));
});

test('the comparison covers every setup, caller and request', () => {
  expect(cases).toHaveLength(Object.keys(setups).length * callers.length * requests.length);
  console.log(`s3-delete-access-denied: ${cases.length} scenario decisions compared with the oracle`);
});
