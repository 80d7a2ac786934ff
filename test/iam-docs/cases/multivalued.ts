/** ForAllValues and ForAnyValue over multivalued keys: missing keys, empty sets, empty strings, single-valued misuse. */
import type { CaseTopic, ContextValue, DocCase } from '../case';
import { ACCOUNT, allow, complete, deny, policy, userArn } from '../build';
import { cite, pages } from '../pages';

const alice = userArn('alice');
const thread = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Thread`;
const request = (action: string, resource: string, context: Record<string, ContextValue>) =>
  complete(alice, action, resource, ACCOUNT, context);
const admin = policy('admin', allow('*', '*'));

// "Examples of using multiple values with condition set operators": the Thread table.
const onlyTheseAttributes = policy(
  'only ID, Message, Tags',
  allow('dynamodb:GetItem', 'arn:aws:dynamodb:*:*:table/Thread', {
    Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['ID', 'Message', 'Tags'] } },
  }),
);
const getItem = (attributes: ContextValue | undefined) =>
  request('dynamodb:GetItem', thread, attributes === undefined ? {} : { 'dynamodb:Attributes': attributes });
const denyIdAndPostDateTime = policy(
  'deny ID, PostDateTime',
  deny('dynamodb:PutItem', 'arn:aws:dynamodb:*:*:table/Thread', {
    Condition: { 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['ID', 'PostDateTime'] } },
  }),
);
const putItem = (attributes: ContextValue | undefined) =>
  request('dynamodb:PutItem', thread, attributes === undefined ? {} : { 'dynamodb:Attributes': attributes });
// "Multivalued context key examples": deny IAM tagging unless every tag key starts with key1.
const denyRestrictedTags = policy('DenyRestrictedTags', {
  Sid: 'DenyRestrictedTags',
  ...deny(['iam:Tag*', 'iam:UnTag*'], ['*'], { Condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } } }),
});
const tagUser = (tagKeys: ContextValue | undefined) =>
  request('iam:TagUser', userArn('bob'), tagKeys === undefined ? {} : { 'aws:TagKeys': tagKeys });
const denyWebserverSnapshots = policy(
  'deny webserver snapshots',
  deny(['ec2:CreateSnapshot', 'ec2:CreateSnapshots'], 'arn:aws:ec2:us-west-2::snapshot/*', {
    Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'webserver' } },
  }),
);
const snapshot = (tagKeys: ContextValue | undefined) =>
  request(
    'ec2:CreateSnapshot',
    'arn:aws:ec2:us-west-2::snapshot/snap-1234567890abcdef0',
    tagKeys === undefined ? {} : { 'aws:TagKeys': tagKeys },
  );

const forAllValuesVacuous =
  'The ForAllValues qualifier returns true if there are no context keys in the request or if the context key value resolves to a null dataset, such as an empty string.';

const cases: DocCase[] = [
  {
    what: 'ForAllValues: every requested attribute is listed',
    policies: { identity: [onlyTheseAttributes] },
    request: getItem(['ID', 'Message', 'Tags']),
    expected: 'Allowed',
    source: cite(
      pages.multipleValues,
      "In that case, the request is allowed because the user's requested attributes all match values specified in the policy.",
    ),
  },
  {
    what: 'ForAllValues: one requested attribute is not listed',
    policies: { identity: [onlyTheseAttributes] },
    request: getItem(['ID', 'Message', 'UserName']),
    expected: 'ImplicitlyDenied',
    source: cite(pages.multipleValues, "However, if the user's request includes the UserName attribute, the request fails."),
  },
  {
    what: 'ForAllValues: the key is missing from the request',
    policies: { identity: [onlyTheseAttributes] },
    request: getItem(undefined),
    expected: 'Allowed',
    source: cite(pages.conditionOperators, forAllValuesVacuous),
  },
  {
    what: 'ForAllValues: the key is an empty string',
    policies: { identity: [onlyTheseAttributes] },
    request: getItem(''),
    expected: 'Allowed',
    source: cite(pages.conditionOperators, forAllValuesVacuous),
  },
  {
    what: 'ForAllValues: the key is an empty set',
    policies: { identity: [onlyTheseAttributes] },
    request: getItem([]),
    expected: 'Allowed',
    source: cite(pages.conditionOperators, forAllValuesVacuous),
  },
  {
    what: 'ForAllValues with a Null false guard: the key is missing',
    policies: {
      identity: [
        policy(
          'only listed, and some',
          allow('dynamodb:GetItem', thread, {
            Condition: {
              'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['ID', 'Message', 'Tags'] },
              Null: { 'dynamodb:Attributes': 'false' },
            },
          }),
        ),
      ],
    },
    request: getItem(undefined),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'To prevent missing context keys or context keys with empty values from evaluating to true, you can include the Null condition operator in your policy with a false value to check if the context key exists and its value is not null.',
    ),
  },
  {
    what: 'ForAnyValue Deny: one forbidden attribute is requested',
    policies: { identity: [admin, denyIdAndPostDateTime] },
    request: putItem(['PostDateTime', 'Message']),
    expected: 'ExplicitlyDenied',
    source: cite(pages.multipleValues, "Because the policy's effect is Deny, the request is denied."),
  },
  {
    what: 'ForAnyValue Deny: no forbidden attribute is requested',
    policies: { identity: [denyIdAndPostDateTime] },
    request: putItem(['UserName']),
    expected: 'ImplicitlyDenied',
    source: cite(pages.multipleValues, 'It is not explicitly denied by this policy, but all requests are implicitly denied.'),
  },
  {
    what: 'ForAnyValue Deny: the key is missing',
    policies: { identity: [admin, denyIdAndPostDateTime] },
    request: putItem(undefined),
    expected: 'Allowed',
    source: cite(pages.multipleValues, 'For no matching key or a null dataset, the condition returns false.'),
  },
  {
    what: 'ForAnyValue Deny: the key is an empty set',
    policies: { identity: [admin, denyIdAndPostDateTime] },
    request: putItem([]),
    expected: 'Allowed',
    source: cite(pages.multipleValues, 'For no matching key or a null dataset, the condition returns false.'),
  },
  {
    what: 'ForAllValues:StringNotLike Deny: every tag key has the allowed prefix',
    policies: { identity: [admin, denyRestrictedTags] },
    request: tagUser(['key1:hr', 'key1:personnel']),
    expected: 'Allowed',
    source: cite(
      pages.multiValuedExamples,
      '"ForAllValues:StringNotLike": { "aws:TagKeys": "key1*" } | aws:TagKeys: – key1:hr – key1:personnel | No match May be allowed by another statement.',
    ),
  },
  {
    what: 'ForAllValues:StringNotLike Deny: a tag key without the prefix',
    policies: { identity: [admin, denyRestrictedTags] },
    request: tagUser(['key2:audit']),
    expected: 'ExplicitlyDenied',
    source: cite(pages.multiValuedExamples, '"ForAllValues:StringNotLike": { "aws:TagKeys": "key1*" } | aws:TagKeys: – key2:audit | Match'),
  },
  {
    what: 'ForAllValues:StringNotLike Deny: no tag keys in the request',
    policies: { identity: [admin, denyRestrictedTags] },
    request: tagUser(undefined),
    expected: 'ExplicitlyDenied',
    source: cite(pages.multiValuedExamples, 'The ForAllValues set operator also returns true if there are no context keys in the request.'),
  },
  {
    what: 'ForAnyValue Deny on tag keys: one of several keys matches',
    policies: { identity: [admin, denyWebserverSnapshots] },
    request: snapshot(['environment', 'webserver', 'test']),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.multiValuedExamples,
      'If your tagging request includes any one of the tag key values specified in the policy, the aws:TagKeys context key returns true invoking the deny policy effect.',
    ),
  },
  {
    what: 'ForAnyValue Deny on tag keys: none matches',
    policies: { identity: [admin, denyWebserverSnapshots] },
    request: snapshot(['environment', 'test']),
    expected: 'Allowed',
    source: cite(
      pages.multiValuedExamples,
      '"ForAnyValue:StringEquals": { "aws:TagKeys": "webserver" } | aws:TagKeys: – environment – test | No match May be allowed by another statement.',
    ),
  },
  {
    what: 'ForAnyValue Deny on tag keys: no tag keys in the request',
    policies: { identity: [admin, denyWebserverSnapshots] },
    request: snapshot(undefined),
    expected: 'Allowed',
    source: cite(
      pages.multiValuedExamples,
      '"ForAnyValue:StringEquals": { "aws:TagKeys": "webserver" } | No aws:TagKeys in the request context. | No match May be allowed by another statement.',
    ),
  },
  {
    what: 'ForAllValues over a single-valued key that is missing is overly permissive',
    policies: {
      identity: [
        policy(
          'blue team',
          allow('s3:GetObject', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:PrincipalTag/team': 'blue' } } }),
        ),
      ],
    },
    request: request('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/data.csv', {}),
    expected: 'Allowed',
    source: cite(
      pages.singleVsMulti,
      'Using condition set operators with single-valued condition keys can lead to overly permissive policies.',
    ),
    note: 'ForAllValues is true when the key is missing, so the Allow applies to a principal without the tag.',
  },
  {
    what: 'a multivalued key under an operator without a set qualifier is refused',
    policies: {
      identity: [policy('tag keys', allow('iam:TagUser', '*', { Condition: { StringEquals: { 'aws:TagKeys': 'environment' } } }))],
    },
    request: tagUser(['environment', 'costcenter']),
    expected: 'Error',
    source: cite(pages.singleVsMulti, 'Multivalued condition keys require condition set operators ForAllValues or ForAnyValue.'),
    note: 'The pages define no result for this; a grader must not guess one.',
  },
];

export const multivalued: CaseTopic = { topic: 'multivalued', cases };
