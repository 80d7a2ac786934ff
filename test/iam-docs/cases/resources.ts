/** The Resource and NotResource elements: ARN patterns, wildcards across segments, actions without resource types. */
import type { CaseTopic, DocCase } from '../case';
import { ACCOUNT, allow, complete, deny, policy, userArn } from '../build';
import { cite, pages } from '../pages';

const alice = userArn('alice');
const queue = `arn:aws:sqs:us-east-1:${ACCOUNT}:queue1`;
const admin = policy('admin', allow('*', '*'));
const request = (action: string, resource: string, principal = alice) => complete(principal, action, resource, ACCOUNT, {});
const trailingStar =
  'If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries.';
const demo = 'amzn-s3-demo-bucket';
const nestedTest = policy('nested test', allow('s3:GetObject', `arn:aws:s3:::${demo}/*/test/*`));
// "NotResource": HRPayroll members may reach nothing in S3 but the Payroll folder.
const hrPayrollDeny = policy('HRPayroll', {
  Effect: 'Deny',
  Action: 's3:*',
  NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'],
});
const dangerousNotResource = policy('everything but HRBucket', { Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::HRBucket' });
// "Policy evaluation logic": Carlos may list all buckets through a statement on arn:aws:s3:::*.
const allowS3ListRead = policy('carlos', {
  Sid: 'AllowS3ListRead',
  ...allow(['s3:GetBucketLocation', 's3:GetAccountPublicAccessBlock', 's3:ListAccessPoints', 's3:ListAllMyBuckets'], 'arn:aws:s3:::*'),
});

const cases: DocCase[] = [
  {
    what: 'a Deny on arn:aws:sqs:* covers a queue in any Region and account',
    policies: { identity: [admin, policy('no sqs', deny('sqs:*', 'arn:aws:sqs:*'))] },
    request: request('sqs:SendMessage', queue),
    expected: 'ExplicitlyDenied',
    source: cite(pages.resource, trailingStar),
  },
  {
    what: 'an Allow on arn:aws:sqs:* covers a queue',
    policies: { identity: [policy('sqs', allow('sqs:SendMessage', 'arn:aws:sqs:*'))] },
    request: request('sqs:SendMessage', queue),
    expected: 'Allowed',
    source: cite(pages.resource, trailingStar),
  },
  {
    what: 'an Allow on arn:aws:sqs:us-east-1:* covers a queue in that Region',
    policies: { identity: [policy('sqs us-east-1', allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:*'))] },
    request: request('sqs:SendMessage', queue),
    expected: 'Allowed',
    source: cite(pages.resource, trailingStar),
  },
  {
    what: 'an Allow on arn:aws:sqs:us-east-1:* does not cover another Region',
    policies: { identity: [policy('sqs us-east-1', allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:*'))] },
    request: request('sqs:SendMessage', `arn:aws:sqs:eu-west-1:${ACCOUNT}:queue1`),
    expected: 'ImplicitlyDenied',
    source: cite(pages.resource, 'You can use multiple * or ? characters in each segment.'),
  },
  {
    what: 'a Deny on arn:aws:sqs:* does not reach another service',
    policies: { identity: [admin, policy('no sqs', deny('*', 'arn:aws:sqs:*'))] },
    request: request('sns:Publish', `arn:aws:sns:us-east-1:${ACCOUNT}:topic1`),
    expected: 'Allowed',
    source: cite(pages.resource, trailingStar),
  },
  {
    what: 'a Deny on arn:aws:s3:* covers an S3 object',
    policies: { identity: [admin, policy('no s3', deny('s3:*', 'arn:aws:s3:*'))] },
    request: request('s3:GetObject', `arn:aws:s3:::${demo}/data.csv`),
    expected: 'ExplicitlyDenied',
    source: cite(pages.resource, trailingStar),
  },
  {
    what: 'arn:aws:s3:::* covers every bucket and object',
    policies: { identity: [policy('s3 everywhere', allow('s3:GetObject', 'arn:aws:s3:::*'))] },
    request: request('s3:GetObject', `arn:aws:s3:::${demo}/a/b/c.txt`),
    expected: 'Allowed',
    source: cite(
      pages.resource,
      'The asterisk (*) character can expand to replace everything within a segment, including characters like a forward slash (/) that may otherwise appear to be a delimiter within a given service namespace.',
    ),
  },
  {
    what: 'a wildcard before /test/ spans several path levels',
    policies: { identity: [nestedTest] },
    request: request('s3:GetObject', `arn:aws:s3:::${demo}/1/2/test/3/object.jpg`),
    expected: 'Allowed',
    source: cite(
      pages.resource,
      'The wildcards in the ARN apply to all of the following objects in the bucket, not only the first object listed.',
    ),
  },
  {
    what: 'a wildcard may match an empty path level',
    policies: { identity: [nestedTest] },
    request: request('s3:GetObject', `arn:aws:s3:::${demo}//test/object.jpg`),
    expected: 'Allowed',
    source: cite(
      pages.resource,
      'While / works as a delimiter, there is no specific significance when this character is used within a resource ARN. It is treated the same as any other valid character.',
    ),
  },
  {
    what: 'a pattern with /test/ does not match 1-test',
    policies: { identity: [nestedTest] },
    request: request('s3:GetObject', `arn:aws:s3:::${demo}/1-test/object.jpg`),
    expected: 'ImplicitlyDenied',
    source: cite(pages.resource, 'The ARN would not match the following objects: | amzn-s3-demo-bucket/1-test/object.jpg'),
  },
  {
    what: 'a pattern with /*/test/ does not match test at the top level',
    policies: { identity: [nestedTest] },
    request: request('s3:GetObject', `arn:aws:s3:::${demo}/test/object.jpg`),
    expected: 'ImplicitlyDenied',
    source: cite(pages.resource, 'The ARN would not match the following objects: | amzn-s3-demo-bucket/test/object.jpg'),
  },
  {
    what: 'a question mark matches exactly one character',
    policies: { identity: [policy('one char', allow('s3:GetObject', `arn:aws:s3:::${demo}/log?.txt`))] },
    request: request('s3:GetObject', `arn:aws:s3:::${demo}/log10.txt`),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.resource2023,
      'You can use wildcard characters (* and ?) within ARN segments (the parts separated by colons) to represent any combination of characters with an askterisk (*) and any single character with a question mark (?).',
    ),
  },
  {
    what: 'a wildcard in the Region and account segments matches any of them',
    policies: { identity: [admin, policy('DenyEC2Production', deny('ec2:*', 'arn:aws:ec2:*:*:instance/i-1234567890abcdef0'))] },
    request: request('ec2:StopInstances', `arn:aws:ec2:us-west-2:${ACCOUNT}:instance/i-1234567890abcdef0`),
    expected: 'ExplicitlyDenied',
    source: cite(pages.boundaries, 'The DenyEC2Production statement explicitly denies access to the i-1234567890abcdef0 instance.'),
  },
  {
    what: 'the user name in a Resource ARN is case sensitive',
    policies: { identity: [policy('Bob only', allow('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/Bob`))] },
    request: request('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/bob`),
    expected: 'ImplicitlyDenied',
    source: cite(pages.resource, 'In the Resource element, the IAM user name is case sensitive.'),
  },
  {
    what: 'any one ARN of a Resource list matches',
    policies: {
      identity: [
        policy(
          'two tables',
          allow('dynamodb:GetItem', [
            `arn:aws:dynamodb:us-east-2:${ACCOUNT}:table/books_table`,
            `arn:aws:dynamodb:us-east-2:${ACCOUNT}:table/magazines_table`,
          ]),
        ),
      ],
    },
    request: request('dynamodb:GetItem', `arn:aws:dynamodb:us-east-2:${ACCOUNT}:table/magazines_table`),
    expected: 'Allowed',
    source: cite(pages.resource, 'You can specify multiple resources in the Resource element by using an array of ARNs.'),
  },
  {
    what: 'an action without resource types is allowed by Resource "*"',
    policies: { identity: [policy('list buckets', allow('s3:ListAllMyBuckets', '*'))] },
    request: request('s3:ListAllMyBuckets', '*'),
    expected: 'Allowed',
    source: cite(
      pages.resource,
      'In these cases, any actions that you list in the Action or NotAction element apply to all resources in that service. When this is the case, you use the wildcard character (*) in the Resource element.',
    ),
  },
  {
    what: 'an action without resource types is allowed by a statement on arn:aws:s3:::*',
    policies: { identity: [allowS3ListRead] },
    request: request('s3:ListAllMyBuckets', '*', userArn('carlossalazar')),
    expected: 'Allowed',
    source: cite(
      pages.evaluationLogic,
      'The AllowS3ListRead statement in this policy allows Carlos to view a list of all of the buckets in the account.',
    ),
    conflict: 'service-wide-s3-resource-and-ListAllMyBuckets',
    note: 'The NotAction page (actions topic) says a statement on arn:aws:s3:::* does not allow ListAllMyBuckets.',
  },
  {
    what: 'NotResource with Deny leaves the listed folder alone',
    policies: { identity: [policy('s3 all', allow('s3:*', '*')), hrPayrollDeny] },
    request: request('s3:GetObject', 'arn:aws:s3:::HRBucket/Payroll/march.csv'),
    expected: 'Allowed',
    source: cite(
      pages.notResource,
      'The following policy explicitly denies access to all Amazon S3 resources other than the listed resources.',
    ),
  },
  {
    what: 'NotResource with Deny denies every other S3 resource',
    policies: { identity: [policy('s3 all', allow('s3:*', '*')), hrPayrollDeny] },
    request: request('s3:GetObject', 'arn:aws:s3:::HRBucket/Bonuses/march.csv'),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.notResource,
      'The following policy explicitly denies access to all Amazon S3 resources other than the listed resources.',
    ),
  },
  {
    what: 'NotResource with Deny grants nothing by itself',
    policies: { identity: [hrPayrollDeny] },
    request: request('s3:GetObject', 'arn:aws:s3:::HRBucket/Payroll/march.csv'),
    expected: 'ImplicitlyDenied',
    source: cite(pages.notResource, 'Note, however, that this policy does not grant the user access to any resources.'),
  },
  {
    what: 'NotResource with Deny on S3 actions does not reach EC2',
    policies: { identity: [policy('admin', allow('*', '*')), hrPayrollDeny] },
    request: request('ec2:StartInstances', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1234567890abcdef0`),
    expected: 'Allowed',
    source: cite(
      pages.notResource,
      'In the example above, the policy affects only Amazon S3 actions, and therefore only Amazon S3 resources.',
    ),
  },
  {
    what: 'Allow with NotResource allows every action on other resources',
    policies: { identity: [dangerousNotResource] },
    request: request('iam:PutUserPolicy', alice),
    expected: 'Allowed',
    source: cite(
      pages.notResource,
      'This statement is very dangerous, because it allows all actions in AWS on all resources except the HRBucket S3 bucket.',
    ),
  },
  {
    what: 'Allow with NotResource does not allow the listed resource',
    policies: { identity: [dangerousNotResource] },
    request: request('s3:ListBucket', 'arn:aws:s3:::HRBucket'),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.notResource,
      'This statement is very dangerous, because it allows all actions in AWS on all resources except the HRBucket S3 bucket.',
    ),
  },
];

export const resources: CaseTopic = { topic: 'resources', cases };
