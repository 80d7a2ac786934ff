/** Cross-account requests: the caller's account and the resource's account must both allow. */
import type { CaseTopic, DocCase } from '../case';
import { ACCOUNT, OTHER_ACCOUNT, allow, complete, deny, policy, roleArn, rootArn, sessionArn, userArn } from '../build';
import { cite, pages } from '../pages';

// The caller lives in ACCOUNT (trusted); the bucket belongs to OTHER_ACCOUNT (trusting).
const alice = userArn('alice');
const bucket = 'shared-bucket';
const object = `arn:aws:s3:::${bucket}/data.csv`;
const request = (principal: string, action = 's3:GetObject', resource = object) => complete(principal, action, resource, OTHER_ACCOUNT, {});
const readShared = policy('read-shared', allow('s3:GetObject', `arn:aws:s3:::${bucket}/*`));
const bucketPolicyFor = (
  principal: unknown,
  action: string | string[] = 's3:GetObject',
  resource: string | string[] = `arn:aws:s3:::${bucket}/*`,
) => policy('bucket policy', allow(action, resource, { Principal: principal }));

// "Cross-account policy evaluation logic": Carlos in 111111111111, the Production bucket in 222222222222.
const carlos = userArn('carlossalazar', '111111111111');
const carlosIdentity = policy(
  'carlos',
  { Sid: 'AllowS3ListRead', ...allow('s3:ListAllMyBuckets', '*') },
  { Sid: 'AllowS3ProductionObjectActions', ...allow('s3:*Object*', 'arn:aws:s3:::Production/*') },
  { Sid: 'DenyS3Logs', ...deny('s3:*', ['arn:aws:s3:::*log*', 'arn:aws:s3:::*log*/*']) },
);
const productionBucketPolicy = policy(
  'Production bucket policy',
  allow(['s3:GetObject*', 's3:PutObject*', 's3:ReplicateObject', 's3:RestoreObject'], 'arn:aws:s3:::Production/*', {
    Principal: { AWS: carlos },
  }),
);
const carlosPut = (bucketName: string) => complete(carlos, 's3:PutObject', `arn:aws:s3:::${bucketName}/notes.txt`, '222222222222', {});

const cases: DocCase[] = [
  {
    what: 'identity policy and bucket policy both allow',
    policies: { identity: [readShared], resource: bucketPolicyFor({ AWS: alice }) },
    request: request(alice),
    expected: 'Allowed',
    source: cite(pages.crossAccount, 'The request is allowed only if both evaluations return a decision of Allow.'),
  },
  {
    what: 'an identity Allow without a bucket policy is not enough',
    policies: { identity: [readShared] },
    request: request(alice),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.crossAccount,
      'Additionally, the resource-based policy in AccountB must allow the requester in AccountA to access the resource.',
    ),
  },
  {
    what: 'a bucket policy naming the user is not enough without an identity Allow',
    policies: { resource: bucketPolicyFor({ AWS: alice }) },
    request: request(alice),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.crossAccount,
      'For cross-account requests, the requester in the trusted AccountA must have an identity-based policy. That policy must allow them to make a request to the resource in the trusting AccountB.',
    ),
  },
  {
    what: 'an explicit Deny in the caller account decides even without a bucket policy',
    policies: { identity: [carlosIdentity] },
    request: carlosPut('Production-logs'),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.crossAccount,
      'Because the request is explicitly denied within one of the accounts, the final decision is to deny the request.',
    ),
  },
  {
    what: "Carlos's write to the Production bucket is allowed in both accounts",
    policies: { identity: [carlosIdentity], resource: productionBucketPolicy },
    request: carlosPut('Production'),
    expected: 'Allowed',
    source: cite(pages.crossAccount, 'Because both accounts allow the request, the final decision is to allow the request.'),
  },
  {
    what: 'an explicit Deny in the bucket policy decides against an identity Allow',
    policies: {
      identity: [readShared],
      resource: policy(
        'bucket policy',
        allow('s3:*', `arn:aws:s3:::${bucket}/*`, { Principal: { AWS: ACCOUNT } }),
        deny('s3:GetObject', `arn:aws:s3:::${bucket}/*`, { Principal: { AWS: alice } }),
      ),
    },
    request: request(alice),
    expected: 'ExplicitlyDenied',
    source: cite(pages.crossAccount, 'AWS allows the request only if both account policy evaluations allow the request.'),
  },
  {
    what: "a bucket policy naming the caller's account delegates to its identity policies",
    policies: { identity: [readShared], resource: bucketPolicyFor({ AWS: rootArn(ACCOUNT) }) },
    request: request(alice),
    expected: 'Allowed',
    source: cite(
      pages.principal,
      'When you allow access to a different account, an administrator in that account must then grant access to an identity (IAM user or role) in that account.',
    ),
  },
  {
    what: 'the bare account ID in Principal behaves like the account ARN',
    policies: { identity: [readShared], resource: bucketPolicyFor({ AWS: ACCOUNT }) },
    request: request(alice),
    expected: 'Allowed',
    source: cite(
      pages.principal,
      'The account ARN and the shortened account ID behave the same way. Both delegate permissions to the account.',
    ),
  },
  {
    what: 'an account principal does not limit the grant to the root user',
    policies: { identity: [readShared], resource: bucketPolicyFor({ AWS: rootArn(ACCOUNT) }) },
    request: request(userArn('bob')),
    expected: 'Allowed',
    source: cite(
      pages.principal,
      'Using the account ARN in the Principal element does not limit permissions to only the root user of the account.',
    ),
  },
  {
    what: 'an account principal without an identity Allow grants the user nothing',
    policies: { resource: bucketPolicyFor({ AWS: rootArn(ACCOUNT) }) },
    request: request(alice),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.principal,
      'You can specify AWS account identifiers in the Principal element of a resource-based policy or in condition keys that support principals. This delegates authority to the account.',
    ),
  },
  {
    what: 'a user cannot be delegated more than the bucket policy grants the account',
    policies: {
      identity: [policy('s3-everything', allow('s3:*', '*'))],
      resource: bucketPolicyFor({ AWS: ACCOUNT }, 's3:ListBucket', `arn:aws:s3:::${bucket}`),
    },
    request: request(alice, 's3:GetObject'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.roleVsResourcePolicies,
      'If you try to delegate more permissions than your account has, your principals will still have only list access.',
    ),
  },
  {
    what: 'the delegated list access itself is allowed',
    policies: {
      identity: [policy('s3-everything', allow('s3:*', '*'))],
      resource: bucketPolicyFor({ AWS: ACCOUNT }, 's3:ListBucket', `arn:aws:s3:::${bucket}`),
    },
    request: request(alice, 's3:ListBucket', `arn:aws:s3:::${bucket}`),
    expected: 'Allowed',
    source: cite(
      pages.roleVsResourcePolicies,
      'Alternatively, if the resource-based policy allows only list permissions, then you can delegate only list access.',
    ),
  },
  {
    what: "the other account's root user has what the bucket policy grants its account",
    policies: { resource: bucketPolicyFor({ AWS: ACCOUNT }, 's3:*') },
    request: request(rootArn(ACCOUNT)),
    expected: 'Allowed',
    source: cite(
      pages.roleVsResourcePolicies,
      'The AccountB root user has all of the permissions that are granted to the account. Therefore, the root user has full access to BucketA.',
    ),
  },
  {
    what: 'a public bucket policy still needs an identity Allow from another account',
    policies: { resource: bucketPolicyFor('*') },
    request: request(alice),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.principal,
      'For principals in other accounts, they must also have identity-based permissions in their account that allow them to access your resource.',
    ),
  },
  {
    what: 'a public bucket policy needs nothing more from a user in the same account',
    policies: { resource: bucketPolicyFor('*') },
    request: { ...request(userArn('carol', OTHER_ACCOUNT)) },
    expected: 'Allowed',
    source: cite(pages.principal, 'For IAM users and role principals within your account, no other permissions are required.'),
  },
  {
    what: 'a bucket policy naming a role grants its sessions from another account',
    policies: { identity: [readShared], resource: bucketPolicyFor({ AWS: roleArn('auditor') }) },
    request: request(sessionArn('auditor', 'jane')),
    expected: 'Allowed',
    source: cite(
      pages.crossAccount,
      'The resource-based policy in the trusting account must specify the principal of the trusted account that will have access to the resource. You can specify the entire account or its IAM users, federated users, IAM roles, or assumed-role sessions.',
    ),
  },
];

export const crossAccount: CaseTopic = { topic: 'cross-account', cases };
