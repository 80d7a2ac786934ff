/** Evaluation logic within one account: explicit deny, implicit deny, allow from identity or resource policies. */
import type { CaseTopic, DocCase } from '../case';
import { ACCOUNT, allow, complete, deny, policy, rootArn, userArn } from '../build';
import { cite, pages } from '../pages';

const alice = userArn('alice');
const bucket = 'amzn-s3-demo-bucket';
const object = `arn:aws:s3:::${bucket}/report.csv`;
const readObjects = policy('read-objects', allow('s3:GetObject', `arn:aws:s3:::${bucket}/*`));
const plainRequest = (principal: string, action = 's3:GetObject', resource = object) => complete(principal, action, resource, ACCOUNT, {});

// The example policy on "The difference between explicit and implicit denies".
const getListNoReports = policy(
  'AllowGetListDenyReports',
  { Sid: 'AllowGetList', ...allow(['iam:Get*', 'iam:List*'], '*') },
  { Sid: 'DenyReports', ...deny('iam:*Report', '*') },
);
const iamRequest = (action: string) => ({ ...plainRequest(alice, action, '*') });

// "Policy evaluation logic": Carlos's identity policy and bucket policy (account 123456789012 as printed).
const carlosAccount = '123456789012';
const carlos = userArn('carlossalazar', carlosAccount);
const carlosIdentity = policy(
  'carlos',
  {
    Sid: 'AllowS3ListRead',
    ...allow(['s3:GetBucketLocation', 's3:GetAccountPublicAccessBlock', 's3:ListAccessPoints', 's3:ListAllMyBuckets'], 'arn:aws:s3:::*'),
  },
  { Sid: 'AllowS3Self', ...allow('s3:*', ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar']) },
  { Sid: 'DenyS3Logs', ...deny('s3:*', 'arn:aws:s3:::*log*') },
);
const carlosBucketPolicy = policy(
  'carlossalazar bucket policy',
  allow('s3:*', ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'], { Principal: { AWS: carlos } }),
);
const carlosPut = (bucketName: string) => complete(carlos, 's3:PutObject', `arn:aws:s3:::${bucketName}/notes.txt`, carlosAccount, {});

const cases: DocCase[] = [
  {
    what: 'an identity-based Allow grants the request',
    policies: { identity: [readObjects] },
    request: plainRequest(alice),
    expected: 'Allowed',
    source: cite(
      pages.denyAllow,
      'Requests must be explicitly allowed by a policy or set of policies following the evaluation logic below to be allowed.',
    ),
  },
  {
    what: 'with no policy at all an IAM user is implicitly denied',
    policies: {},
    request: plainRequest(alice),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.denyAllow,
      'By default, all requests are implicitly denied with the exception of the AWS account root user, which has full access.',
    ),
  },
  {
    what: 'the account root user needs no policy in its own account',
    policies: {},
    request: plainRequest(rootArn()),
    expected: 'Allowed',
    source: cite(
      pages.denyAllow,
      'By default, all requests are implicitly denied with the exception of the AWS account root user, which has full access.',
    ),
  },
  {
    what: 'an Allow for another action leaves the request implicitly denied',
    policies: { identity: [readObjects] },
    request: plainRequest(alice, 's3:PutObject'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.interplay,
      'An implicit denial occurs when there is no applicable Deny statement but also no applicable Allow statement. Because an IAM principal is denied access by default, they must be explicitly allowed to perform an action.',
    ),
  },
  {
    what: 'a Deny in the same identity policy overrides its Allow',
    policies: { identity: [policy('allow-and-deny', allow('s3:*', '*'), deny('s3:GetObject', `arn:aws:s3:::${bucket}/*`))] },
    request: plainRequest(alice),
    expected: 'ExplicitlyDenied',
    source: cite(pages.denyAllow, 'An explicit deny overrides an explicit allow.'),
  },
  {
    what: 'a Deny in one identity policy overrides an Allow in another',
    policies: { identity: [policy('admin', allow('*', '*')), policy('no-s3', deny('s3:*', '*'))] },
    request: plainRequest(alice),
    expected: 'ExplicitlyDenied',
    source: cite(pages.evaluationLogic, 'Remember, an explicit deny in any of these policies overrides the allow.'),
  },
  {
    what: 'a Deny in the bucket policy overrides an identity-based Allow',
    policies: {
      identity: [readObjects],
      resource: policy('bucket policy', deny('s3:GetObject', `arn:aws:s3:::${bucket}/*`, { Principal: { AWS: alice } })),
    },
    request: plainRequest(alice),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.interplay,
      'If policies that apply to a request include an Allow statement and a Deny statement, the Deny statement trumps the Allow statement. The request is explicitly denied.',
    ),
  },
  {
    what: 'a Deny to every principal in the bucket policy binds an administrator',
    policies: {
      identity: [policy('admin', allow('*', '*'))],
      resource: policy('bucket policy', deny('s3:*', [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], { Principal: '*' })),
    },
    request: plainRequest(alice),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.denyAllow,
      'In all those policies, the enforcement code looks for a Deny statement that applies to the request. This is called an explicit deny.',
    ),
  },
  {
    what: 'a bucket policy naming the user grants access with no identity policy',
    policies: { resource: policy('bucket policy', allow('s3:GetObject', `arn:aws:s3:::${bucket}/*`, { Principal: { AWS: alice } })) },
    request: plainRequest(alice),
    expected: 'Allowed',
    source: cite(
      pages.denyAllow,
      'For most resources, you only need an explicit Allow for the principal in either an identity-based policy or a resource-based policy to grant access.',
    ),
  },
  {
    what: 'an identity Allow suffices when the bucket policy names someone else',
    policies: {
      identity: [readObjects],
      resource: policy('bucket policy', allow('s3:GetObject', `arn:aws:s3:::${bucket}/*`, { Principal: { AWS: userArn('bob') } })),
    },
    request: plainRequest(alice),
    expected: 'Allowed',
    source: cite(
      pages.evaluationLogic,
      "If either the identity-based policy or the resource-based policy within the same account allows the request and the other doesn't, the request is still allowed.",
    ),
  },
  {
    what: 'a bucket policy naming another user grants this user nothing',
    policies: {
      resource: policy('bucket policy', allow('s3:GetObject', `arn:aws:s3:::${bucket}/*`, { Principal: { AWS: userArn('bob') } })),
    },
    request: plainRequest(alice),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.denyAllow,
      'If there are no identity-based policies or no statements in identity-based policies that allow the requested action, then the request is implicitly denied and the enforcement code returns a final decision of Deny.',
    ),
  },
  {
    what: "an Allow from one of the user's group policies counts",
    policies: {
      identity: [policy('user inline', allow('ec2:DescribeInstances', '*')), policy('group developers', allow('s3:GetObject', '*'))],
    },
    request: plainRequest(alice),
    expected: 'Allowed',
    source: cite(
      pages.denyAllow,
      'For an IAM user, these include user policies and policies from groups to which the user belongs. If there are no identity-based policies or no statements in identity-based policies that allow the requested action, then the request is implicitly denied and the enforcement code returns a final decision of Deny.',
    ),
  },
  {
    what: 'AllowGetList allows an iam:Get action',
    policies: { identity: [getListNoReports] },
    request: iamRequest('iam:GetUser'),
    expected: 'Allowed',
    source: cite(
      pages.interplay,
      'The AllowGetList statement allows read-only access to IAM actions that begin with the prefixes Get and List.',
    ),
  },
  {
    what: 'AllowGetList leaves iam:CreatePolicy implicitly denied',
    policies: { identity: [getListNoReports] },
    request: iamRequest('iam:CreatePolicy'),
    expected: 'ImplicitlyDenied',
    source: cite(pages.interplay, 'All other actions in IAM, such as iam:CreatePolicy are implicitly denied.'),
  },
  {
    what: 'DenyReports explicitly denies an action matching both statements',
    policies: { identity: [getListNoReports] },
    request: iamRequest('iam:GetOrganizationsAccessReport'),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.interplay,
      'The DenyReports statement explicitly denies access to IAM reports by denying access to actions that include the Report suffix, such as iam:GetOrganizationsAccessReport.',
    ),
  },
  {
    what: 'DenyReports still denies a report action another policy allows',
    policies: { identity: [getListNoReports, policy('reports', allow('iam:GenerateCredentialReport', '*'))] },
    request: iamRequest('iam:GenerateCredentialReport'),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.interplay,
      'If someone adds another policy to this principal to grant them access to IAM reports, such as iam:GenerateCredentialReport, report-related requests are still denied because of this explicit deny.',
    ),
  },
  {
    what: "Carlos's write to a logs bucket meets DenyS3Logs",
    policies: { identity: [carlosIdentity], resource: carlosBucketPolicy },
    request: carlosPut('carlossalazar-logs'),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.evaluationLogic,
      'AWS first checks for a Deny statement that applies to the context of the request. It finds one, because the identity-based policy explicitly denies Carlos access to any S3 buckets used for logging.',
    ),
  },
  {
    what: "Carlos's write to his own bucket is allowed by both policies",
    policies: { identity: [carlosIdentity], resource: carlosBucketPolicy },
    request: carlosPut('carlossalazar'),
    expected: 'Allowed',
    source: cite(
      pages.evaluationLogic,
      'Both the identity-based policy and the resource-based policy allow the request. Therefore, AWS allows the request.',
    ),
  },
  {
    what: 'the account root user is still bound by an explicit Deny in a bucket policy',
    policies: { resource: policy('bucket policy', deny('s3:GetObject', `arn:aws:s3:::${bucket}/*`, { Principal: { AWS: rootArn() } })) },
    request: plainRequest(rootArn()),
    expected: 'ExplicitlyDenied',
    source: cite(pages.denyAllow, 'An explicit deny overrides an explicit allow.'),
    note: 'The root user is the one exception to the default implicit deny; nothing on the page exempts it from an explicit Deny.',
  },
];

export const evaluation: CaseTopic = { topic: 'evaluation', cases };
