/** Policy variables in Resource and Condition: present, missing, defaults, negated operators, literal forms. */
import type { CaseTopic, ContextValue, DocCase } from '../case';
import { ACCOUNT, OTHER_ACCOUNT, allow, complete, deny, orgPath, policy, sessionArn, userArn } from '../build';
import { cite, pages } from '../pages';

const alice = userArn('alice');
const appSession = sessionArn('app', 'worker-1');
const bucket = 'amzn-s3-demo-bucket';
const admin = policy('admin', allow('*', '*'));
const request = (principal: string, action: string, resource: string, context: Record<string, ContextValue>) =>
  complete(principal, action, resource, ACCOUNT, context);
const ownTable = policy('own table', allow('dynamodb:*', `arn:aws:dynamodb:us-east-2:${ACCOUNT}:table/\${aws:username}`));
const tableOf = (name: string) => `arn:aws:dynamodb:us-east-2:${ACCOUNT}:table/${name}`;
const deptPrefix = policy('AllowOnlyDeptS3Prefix', {
  Sid: 'AllowOnlyDeptS3Prefix',
  ...allow('s3:GetObject', `arn:aws:s3:::${bucket}/\${aws:PrincipalTag/dept}/*`),
});
const teamBucket = policy('team bucket', allow('s3:ListBucket', `arn:aws:s3:::${bucket}-\${aws:PrincipalTag/team, 'company-wide'}`));
const ownerTag = policy('AllowUnlessOwnedBySomeoneElse', {
  Sid: 'AllowUnlessOwnedBySomeoneElse',
  ...allow('s3:GetObject', '*', { Condition: { StringEquals: { 's3:ExistingObjectTag/owner': '${aws:PrincipalTag/owner}' } } }),
});
// "Policy variables with no value": Deny unless the object's Team tag equals the principal's.
const denyOtherTeams = policy(
  'deny other teams',
  deny('s3:GetObject', `arn:aws:s3:::${bucket}/*`, {
    Condition: { StringNotEquals: { 's3:ExistingObjectTag/Team': '${aws:PrincipalTag/Team}' } },
  }),
);
const object = `arn:aws:s3:::${bucket}/plans.txt`;

// The archived Variables page's topic policy, with the topic in another account so that the policy decides.
const topicArn = `arn:aws:sns:us-east-1:${OTHER_ACCOUNT}:updates`;
const endpointTopicPolicy = policy(
  'topic policy',
  allow('sns:*', topicArn, {
    Principal: { AWS: ACCOUNT },
    Condition: { StringLike: { 'sns:endpoint': 'https://example.com/${aws:username}/' }, StringEquals: { 'sns:Protocol': 'https' } },
  }),
);
const subscribe = (endpoint: string) => ({
  ...request(alice, 'sns:Subscribe', topicArn, { 'aws:username': 'alice', 'sns:endpoint': endpoint, 'sns:Protocol': 'https' }),
  resourceAccount: OTHER_ACCOUNT,
});

const boolConflictPolicy = policy(
  'secure when MFA is',
  allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:SecureTransport': '${aws:MultiFactorAuthPresent}' } } }),
);
const boolConflictRequest = request(appSession, 's3:GetObject', object, {
  'aws:SecureTransport': true,
  'aws:MultiFactorAuthPresent': true,
});

const cases: DocCase[] = [
  {
    what: '${aws:username} in Resource names the caller',
    policies: { identity: [ownTable] },
    request: request(alice, 'dynamodb:GetItem', tableOf('alice'), { 'aws:username': 'alice' }),
    expected: 'Allowed',
    source: cite(
      pages.resource,
      "For example, you can use the key {aws:username} as part of a resource ARN to indicate that the current user's name should be included as part of the resource's name.",
    ),
  },
  {
    what: "${aws:username} in Resource does not name another user's table",
    policies: { identity: [ownTable] },
    request: request(alice, 'dynamodb:GetItem', tableOf('bob'), { 'aws:username': 'alice' }),
    expected: 'ImplicitlyDenied',
    source: cite(pages.resource, "The policy allows access to a Amazon DynamoDB table that matches the current user's name."),
  },
  {
    what: 'a Resource variable without a value matches no resource',
    policies: { identity: [ownTable] },
    request: request(appSession, 'dynamodb:GetItem', tableOf('app'), {}),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.variables,
      'If a variable that has no value in the authorization context is used as part of the Resource or NotResource element of a policy, the resource that includes a policy variable with no value will not match any resource.',
    ),
    note: 'aws:username is absent for role sessions.',
  },
  {
    what: 'a NotResource variable without a value excludes nothing from a Deny',
    policies: {
      identity: [
        admin,
        policy('outside own prefix', {
          Effect: 'Deny',
          Action: 's3:PutObject',
          NotResource: `arn:aws:s3:::${bucket}/\${aws:PrincipalTag/team}/*`,
        }),
      ],
    },
    request: request(appSession, 's3:PutObject', `arn:aws:s3:::${bucket}/red/notes.txt`, {}),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.variables,
      'If a variable that has no value in the authorization context is used as part of the Resource or NotResource element of a policy, the resource that includes a policy variable with no value will not match any resource.',
    ),
    note: 'The NotResource entry matches nothing, so every resource is outside it and the Deny applies.',
  },
  {
    what: 'a principal tag variable in Resource selects the tagged prefix',
    policies: { identity: [deptPrefix] },
    request: request(appSession, 's3:GetObject', `arn:aws:s3:::${bucket}/marketing/plan.txt`, { 'aws:PrincipalTag/dept': 'marketing' }),
    expected: 'Allowed',
    source: cite(
      pages.variables,
      'When a user makes a request to add an Amazon S3 object, IAM substitutes the dept tag value from the current request for the ${aws:PrincipalTag} variable and evaluates the policy.',
    ),
  },
  {
    what: 'a default value stands in for a missing tag',
    policies: { identity: [teamBucket] },
    request: request(appSession, 's3:ListBucket', `arn:aws:s3:::${bucket}-company-wide`, {}),
    expected: 'Allowed',
    source: cite(pages.variables, 'For users without team tags, it sets a default value of company-wide for the bucket name.'),
  },
  {
    what: 'a tag that is present wins over the default value',
    policies: { identity: [teamBucket] },
    request: request(appSession, 's3:ListBucket', `arn:aws:s3:::${bucket}-yellow`, { 'aws:PrincipalTag/team': 'yellow' }),
    expected: 'Allowed',
    source: cite(
      pages.variables,
      "For example, if a principal is tagged with team=yellow, they can access ExampleCorp's Amazon S3 bucket named amzn-s3-demo-bucket-yellow.",
    ),
  },
  {
    what: "without a tag the default value does not open another team's bucket",
    policies: { identity: [teamBucket] },
    request: request(appSession, 's3:ListBucket', `arn:aws:s3:::${bucket}-yellow`, {}),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.variables,
      'These users can access only the amzn-s3-demo-bucket-company-wide bucket where they can view broad information, such as instructions for joining a team.',
    ),
  },
  {
    what: 'a default value for aws:username stands in for a role session',
    policies: { identity: [policy('own or shared folder', allow('s3:PutObject', `arn:aws:s3:::${bucket}/\${aws:username, 'shared'}/*`))] },
    request: request(appSession, 's3:PutObject', `arn:aws:s3:::${bucket}/shared/notes.txt`, {}),
    expected: 'Allowed',
    source: cite(pages.variables, 'For users without team tags, it sets a default value of company-wide for the bucket name.'),
    note: 'The same default syntax with aws:username, which role sessions do not have.',
  },
  {
    what: 'a default value for aws:username yields to the user name',
    policies: { identity: [policy('own or shared folder', allow('s3:PutObject', `arn:aws:s3:::${bucket}/\${aws:username, 'shared'}/*`))] },
    request: request(alice, 's3:PutObject', `arn:aws:s3:::${bucket}/shared/notes.txt`, { 'aws:username': 'alice' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.variables,
      'A policy with this resource allows team members to access their team bucket, but not those of other teams.',
    ),
    note: 'alice has a user name, so the Resource names alice/*, not shared/*.',
  },
  {
    what: 'a default value in a Condition',
    policies: {
      identity: [
        policy(
          'owner or guest',
          allow('s3:GetObject', '*', {
            Condition: { StringEquals: { 's3:ExistingObjectTag/owner': "${aws:PrincipalTag/owner, 'guest'}" } },
          }),
        ),
      ],
    },
    request: request(appSession, 's3:GetObject', object, { 's3:ExistingObjectTag/owner': 'guest' }),
    expected: 'Allowed',
    source: cite(
      pages.variables2023,
      "To add a default value to a variable, surround the default value with single quotes (' '), and separate the variable text and the default value with a comma and space (, ).",
    ),
  },
  {
    what: 'a Condition variable equal to the object tag',
    policies: { identity: [ownerTag] },
    request: request(appSession, 's3:GetObject', object, { 'aws:PrincipalTag/owner': 'maria', 's3:ExistingObjectTag/owner': 'maria' }),
    expected: 'Allowed',
    source: cite(
      pages.variables,
      'The following policy allows a user to get objects from an Amazon S3 bucket if the tag-key value for aws:PrincipalTag matches the tag-key owner value passed in the request.',
    ),
  },
  {
    what: 'a Condition variable different from the object tag',
    policies: { identity: [ownerTag] },
    request: request(appSession, 's3:GetObject', object, { 'aws:PrincipalTag/owner': 'maria', 's3:ExistingObjectTag/owner': 'li' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.variables,
      'The following policy allows a user to get objects from an Amazon S3 bucket if the tag-key value for aws:PrincipalTag matches the tag-key owner value passed in the request.',
    ),
  },
  {
    what: 'StringEquals against a variable with no value does not match',
    policies: { identity: [ownerTag] },
    request: request(appSession, 's3:GetObject', object, { 's3:ExistingObjectTag/owner': 'maria' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.variables,
      'When you use a variable with no value in the condition element of an IAM policy, IAM JSON policy elements: Condition operators like StringEquals or StringLike do not match, and the policy statement does not take effect.',
    ),
  },
  {
    what: 'StringNotEquals against a variable with no value matches, so the Deny applies',
    policies: { identity: [admin, denyOtherTeams] },
    request: request(appSession, 's3:GetObject', object, { 's3:ExistingObjectTag/Team': 'blue' }),
    expected: 'ExplicitlyDenied',
    source: cite(pages.variables, 'Access is explicitly denied when aws:principaltag/Team is not set.'),
  },
  {
    what: 'StringNotEquals against a variable with the same value leaves the Deny out',
    policies: { identity: [admin, denyOtherTeams] },
    request: request(appSession, 's3:GetObject', object, { 's3:ExistingObjectTag/Team': 'blue', 'aws:PrincipalTag/Team': 'blue' }),
    expected: 'Allowed',
    source: cite(
      pages.variables,
      'In the following example, aws:principaltag/Team must be equal to s3:ExistingObjectTag/Team to allow access.',
    ),
  },
  {
    what: 'StringNotLike against a variable with no value matches',
    policies: {
      identity: [
        admin,
        policy(
          'deny outside own prefix',
          deny('s3:ListBucket', `arn:aws:s3:::${bucket}`, { Condition: { StringNotLike: { 's3:prefix': 'home/${aws:username}/*' } } }),
        ),
      ],
    },
    request: request(appSession, 's3:ListBucket', `arn:aws:s3:::${bucket}`, { 's3:prefix': 'home/app/' }),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.variables,
      'Inverted condition operators like StringNotEquals or StringNotLike do match against a null value, as the value of the condition key they are testing against is not equal to or like the effectively null value.',
    ),
  },
  {
    what: 'ArnNotLike against a variable with no value matches',
    policies: {
      identity: [
        admin,
        policy(
          'deny other topics',
          deny('sqs:SendMessage', '*', {
            Condition: { ArnNotLike: { 'aws:SourceArn': `arn:aws:sns:*:${ACCOUNT}:\${aws:PrincipalTag/topic}` } },
          }),
        ),
      ],
    },
    request: request(appSession, 'sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:queue1`, {
      'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:orders`,
    }),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.variables,
      'Inverted condition operators like StringNotEquals or StringNotLike do match against a null value, as the value of the condition key they are testing against is not equal to or like the effectively null value.',
    ),
    note: 'ArnNotLike is an inverted operator too; the tag is missing, so no ARN is "like" the null value.',
  },
  {
    what: "a variable in a string condition of a topic policy: the caller's own endpoint",
    policies: { resource: endpointTopicPolicy, identity: [policy('sns', allow('sns:Subscribe', '*'))] },
    request: subscribe('https://example.com/alice/'),
    expected: 'Allowed',
    source: cite(pages.variables2023, 'However this permission is granted only if the URL matches their AWS user name.'),
  },
  {
    what: "a variable in a string condition of a topic policy: another user's endpoint",
    policies: { resource: endpointTopicPolicy, identity: [policy('sns', allow('sns:Subscribe', '*'))] },
    request: subscribe('https://example.com/bob/'),
    expected: 'ImplicitlyDenied',
    source: cite(pages.variables2023, 'However this permission is granted only if the URL matches their AWS user name.'),
  },
  {
    what: 'without a Version element a variable is a literal string: the caller name does not match',
    policies: {
      identity: [{ name: 'no version', document: { Statement: [allow('s3:GetObject', `arn:aws:s3:::${bucket}/\${aws:username}/*`)] } }],
    },
    request: request(alice, 's3:GetObject', `arn:aws:s3:::${bucket}/alice/notes.txt`, { 'aws:username': 'alice' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.variables,
      "If you don't include the Version element and set it to an appropriate version date, variables like ${aws:username} are treated as literal strings in the policy.",
    ),
  },
  {
    what: 'without a Version element a variable is a literal string: the literal text matches',
    policies: {
      identity: [{ name: 'no version', document: { Statement: [allow('s3:GetObject', `arn:aws:s3:::${bucket}/\${aws:username}/*`)] } }],
    },
    request: request(alice, 's3:GetObject', `arn:aws:s3:::${bucket}/\${aws:username}/notes.txt`, { 'aws:username': 'alice' }),
    expected: 'Allowed',
    source: cite(
      pages.variables,
      "If you don't include the Version element and set it to an appropriate version date, variables like ${aws:username} are treated as literal strings in the policy.",
    ),
  },
  {
    what: 'version 2008-10-17 does not substitute variables',
    policies: {
      identity: [
        {
          name: 'old version',
          document: { Version: '2008-10-17', Statement: [allow('s3:GetObject', `arn:aws:s3:::${bucket}/\${aws:username}/*`)] },
        },
      ],
    },
    request: request(alice, 's3:GetObject', `arn:aws:s3:::${bucket}/alice/notes.txt`, { 'aws:username': 'alice' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.variables,
      "Variables were introduced in version 2012-10-17. Earlier versions of the policy language don't support policy variables.",
    ),
  },
  {
    what: '${*} stands for a literal asterisk',
    policies: { identity: [policy('literal star', allow('s3:GetObject', `arn:aws:s3:::${bucket}/\${*}`))] },
    request: request(alice, 's3:GetObject', `arn:aws:s3:::${bucket}/report.csv`, {}),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.variables,
      'For example, inserting an * asterisk in the string would be interpreted as a wildcard, matching any characters, instead of as a literal *.',
    ),
    note: 'With ${*} the Resource names only the object whose key is the single character *.',
  },
  {
    what: '${*} matches an object whose key is a literal asterisk',
    policies: { identity: [policy('literal star', allow('s3:GetObject', `arn:aws:s3:::${bucket}/\${*}`))] },
    request: request(alice, 's3:GetObject', `arn:aws:s3:::${bucket}/*`, {}),
    expected: 'Allowed',
    source: cite(pages.variables, '${*} - use where you need an * (asterisk) character.'),
  },
  {
    what: 'a variable in an SCP',
    policies: {
      identity: [admin],
      scps: orgPath(ACCOUNT, {
        ou: [
          policy('own team prefix', {
            Effect: 'Deny',
            Action: 's3:PutObject',
            NotResource: `arn:aws:s3:::${bucket}/\${aws:PrincipalTag/team}/*`,
          }),
        ],
      }),
    },
    request: request(appSession, 's3:PutObject', `arn:aws:s3:::${bucket}/blue/notes.txt`, { 'aws:PrincipalTag/team': 'red' }),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.variables,
      'Variables can be used in identity-based policies, resource policies, service control policies, session policies, and VPC endpoint policies.',
    ),
  },
  {
    what: 'a multivalued key cannot be a variable',
    policies: { identity: [policy('tag keys as variable', allow('s3:GetObject', `arn:aws:s3:::${bucket}/\${aws:TagKeys}/*`))] },
    request: request(alice, 's3:GetObject', `arn:aws:s3:::${bucket}/project/notes.txt`, { 'aws:TagKeys': ['project'] }),
    expected: 'Error',
    source: cite(
      pages.variables,
      "You can use any single-valued condition key as a variable. You can't use a multivalued condition key as a variable.",
    ),
    note: 'AWS documents no meaning for such a policy; a grader must refuse it rather than guess.',
  },
  {
    what: 'a variable before the fifth colon of a Resource ARN',
    policies: {
      identity: [policy('account as variable', allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:queue1'))],
    },
    request: request(alice, 'sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:queue1`, { 'aws:PrincipalAccount': ACCOUNT }),
    expected: 'Error',
    source: cite(
      pages.variables,
      "You can't use a variable to replace parts of the ARN before the fifth colon, such as the service or account.",
    ),
    note: 'AWS documents no meaning for such a policy; a grader must refuse it rather than guess.',
  },
  {
    what: 'Bool with a policy variable, read from the Condition operators page',
    policies: { identity: [boolConflictPolicy] },
    request: boolConflictRequest,
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'Boolean conditions let you construct Condition elements that restrict access based on comparing a key to true or false. | Policy variables – Supported',
    ),
    conflict: 'bool-policy-variable',
    note: 'This page lists policy variables as supported for Bool: ${aws:MultiFactorAuthPresent} becomes true and the condition matches.',
  },
  {
    what: 'Bool with a policy variable, read from the Variables page',
    policies: { identity: [boolConflictPolicy] },
    request: boolConflictRequest,
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.variables,
      "You can't use a policy variable with other operators, such as Numeric, Date, Boolean, Binary, IP Address, or Null operators.",
    ),
    conflict: 'bool-policy-variable',
    note: 'Read this way nothing is substituted, and the text ${aws:MultiFactorAuthPresent} is neither true nor false, so the condition does not match.',
  },
];

export const variables: CaseTopic = { topic: 'variables', cases };
