/** The Action and NotAction elements. */
import type { CaseTopic, DocCase } from '../case';
import { ACCOUNT, allow, complete, policy, userArn } from '../build';
import { cite, pages } from '../pages';

const alice = userArn('alice');
const request = (action: string, resource: string, context: Record<string, boolean> = {}) =>
  complete(alice, action, resource, ACCOUNT, context);
const object = 'arn:aws:s3:::amzn-s3-demo-bucket/data.csv';

// "NotAction with Allow", first example: everything in S3 on S3 resources except deleting a bucket.
const allS3ButDeleteBucket = policy('all-s3-but-DeleteBucket', {
  Effect: 'Allow',
  NotAction: 's3:DeleteBucket',
  Resource: 'arn:aws:s3:::*',
});
// "NotAction with Allow", second example: every action in every service except IAM.
const allButIam = policy('all-but-iam', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
// "NotAction with Deny": deny everything but IAM to users who did not sign in with MFA.
const denyAllUsersNotUsingMfa = policy('DenyAllUsersNotUsingMFA', {
  Sid: 'DenyAllUsersNotUsingMFA',
  Effect: 'Deny',
  NotAction: 'iam:*',
  Resource: '*',
  Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
});

const cases: DocCase[] = [
  {
    what: 'prefix and action name are matched case-insensitively',
    policies: { identity: [policy('mixed case', allow('IAM:listaccesskeys', '*'))] },
    request: request('iam:ListAccessKeys', alice),
    expected: 'Allowed',
    source: cite(
      pages.action,
      'The prefix and the action name are case insensitive. For example, iam:ListAccessKeys is the same as IAM:listaccesskeys.',
    ),
  },
  {
    what: 'a service wildcard covers every action of that service',
    policies: { identity: [policy('s3 all', allow('s3:*', '*'))] },
    request: request('s3:PutObject', object),
    expected: 'Allowed',
    source: cite(pages.action, 'You can use a wildcard (*) to give access to all the actions the specific AWS product offers.'),
  },
  {
    what: 'a service wildcard covers no action of another service',
    policies: { identity: [policy('s3 all', allow('s3:*', '*'))] },
    request: request('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:queue1`),
    expected: 'ImplicitlyDenied',
    source: cite(pages.action, 'For example, the following Action element applies to all S3 actions.'),
  },
  {
    what: 'a wildcard inside the action name matches CreateAccessKey',
    policies: { identity: [policy('access keys', allow('iam:*AccessKey*', '*'))] },
    request: request('iam:CreateAccessKey', alice),
    expected: 'Allowed',
    source: cite(
      pages.action,
      'For example, the following Action element applies to all IAM actions that include the string AccessKey, including CreateAccessKey, DeleteAccessKey, ListAccessKeys, and UpdateAccessKey.',
    ),
  },
  {
    what: 'a wildcard inside the action name does not match an action without the string',
    policies: { identity: [policy('access keys', allow('iam:*AccessKey*', '*'))] },
    request: request('iam:CreateUser', alice),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.action,
      'For example, the following Action element applies to all IAM actions that include the string AccessKey, including CreateAccessKey, DeleteAccessKey, ListAccessKeys, and UpdateAccessKey.',
    ),
  },
  {
    what: 'any one action of a list matches',
    policies: {
      identity: [
        policy('list', allow(['sqs:SendMessage', 'sqs:ReceiveMessage', 'ec2:StartInstances', 'iam:ChangePassword', 's3:GetObject'], '*')),
      ],
    },
    request: request('ec2:StartInstances', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1234567890abcdef0`),
    expected: 'Allowed',
    source: cite(pages.action, 'You can specify multiple values for the Action element.'),
  },
  {
    what: 'NotAction with Allow allows actions of other services',
    policies: { identity: [allButIam] },
    request: request('s3:GetObject', object),
    expected: 'Allowed',
    source: cite(pages.notAction, 'The following example allows users to access every action in every AWS service except for IAM.'),
  },
  {
    what: 'NotAction with Allow does not allow the listed actions',
    policies: { identity: [allButIam] },
    request: request('iam:CreateUser', userArn('newhire')),
    expected: 'ImplicitlyDenied',
    source: cite(pages.notAction, 'The following example allows users to access every action in every AWS service except for IAM.'),
  },
  {
    what: 'NotAction with an S3 resource allows other S3 actions',
    policies: { identity: [allS3ButDeleteBucket] },
    request: request('s3:GetObject', object),
    expected: 'Allowed',
    source: cite(
      pages.notAction,
      'The following example allows users to access all of the Amazon S3 actions that can be performed on any S3 resource except for deleting a bucket.',
    ),
  },
  {
    what: 'NotAction with an S3 resource does not allow the excluded action',
    policies: { identity: [allS3ButDeleteBucket] },
    request: request('s3:DeleteBucket', 'arn:aws:s3:::amzn-s3-demo-bucket'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.notAction,
      'The following example allows users to access all of the Amazon S3 actions that can be performed on any S3 resource except for deleting a bucket.',
    ),
  },
  {
    what: 'NotAction with an S3 resource allows no action of another service',
    policies: { identity: [allS3ButDeleteBucket] },
    request: request('ec2:DescribeInstances', '*'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.notAction,
      'This policy also does not allow actions in other services, because other service actions are not applicable to the S3 resources.',
    ),
  },
  {
    what: 'NotAction with an S3 resource does not allow ListAllMyBuckets',
    policies: { identity: [allS3ButDeleteBucket] },
    request: request('s3:ListAllMyBuckets', '*'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.notAction,
      'This does not allow users to use the ListAllMyBuckets S3 API operation, because that action requires the "*" resource.',
    ),
    conflict: 'service-wide-s3-resource-and-ListAllMyBuckets',
    note: 'The evaluation-logic example (resources topic) says a statement on arn:aws:s3:::* does let Carlos list all buckets.',
  },
  {
    what: 'NotAction with Deny denies unlisted actions to a user without MFA',
    policies: { identity: [policy('admin', allow('*', '*')), denyAllUsersNotUsingMfa] },
    request: request('s3:GetObject', object),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.notAction,
      'The following conditional example denies access to non-IAM actions if the user is not signed in using MFA.',
    ),
    note: 'Long-term credentials carry no aws:MultiFactorAuthPresent, and BoolIfExists treats the missing key as a match.',
  },
  {
    what: 'NotAction with Deny leaves the listed actions alone',
    policies: { identity: [policy('admin', allow('*', '*')), denyAllUsersNotUsingMfa] },
    request: request('iam:ListUsers', '*'),
    expected: 'Allowed',
    source: cite(
      pages.notAction,
      'Note, however, that this would not grant the user access to any actions; it would only explicitly deny all other actions except IAM actions.',
    ),
  },
  {
    what: 'NotAction with Deny has no effect on a user signed in with MFA',
    policies: { identity: [policy('admin', allow('*', '*')), denyAllUsersNotUsingMfa] },
    request: request('s3:GetObject', object, { 'aws:MultiFactorAuthPresent': true }),
    expected: 'Allowed',
    source: cite(
      pages.notAction,
      'If the user is signed in with MFA, then the "Condition" test fails and the final "Deny" statement has no effect.',
    ),
  },
  {
    what: 'NotAction with Deny grants nothing by itself',
    policies: { identity: [denyAllUsersNotUsingMfa] },
    request: request('iam:ListUsers', '*'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.notAction,
      'This combination does not allow the listed items, but instead explicitly denies the actions not listed. You must still allow actions that you want to allow.',
    ),
  },
];

export const actions: CaseTopic = { topic: 'actions', cases };
