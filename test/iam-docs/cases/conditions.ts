/** Condition operators: every family, missing keys, negated operators, ...IfExists and Null. */
import type { CaseTopic, ContextValue, DocCase } from '../case';
import { ACCOUNT, allow, complete, deny, policy, userArn } from '../build';
import { cite, pages } from '../pages';

const alice = userArn('alice');
const anyUser = `arn:aws:iam::${ACCOUNT}:user/*`;
const bucket = 'amzn-s3-demo-bucket';
const object = `arn:aws:s3:::${bucket}/data.csv`;
const admin = policy('admin', allow('*', '*'));
const request = (action: string, resource: string, context: Record<string, ContextValue>, principal = alice) =>
  complete(principal, action, resource, ACCOUNT, context);
const allowWith = (name: string, action: string, resource: string, condition: Record<string, unknown>) =>
  policy(name, allow(action, resource, { Condition: condition }));
const denyWith = (name: string, action: string, resource: string, condition: Record<string, unknown>) =>
  policy(name, deny(action, resource, { Condition: condition }));

const missingKeyFalse =
  'If the key that you specify in a policy condition is not present in the request context, the values do not match and the condition is false.';
const missingKeyNegated =
  'If the policy condition requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition is true.';

// "Example string condition operator"
const jobCategory = allowWith('iamuser-admin', 'iam:*AccessKey*', anyUser, {
  StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' },
});
const accessKeyRequest = (context: Record<string, ContextValue>) => request('iam:CreateAccessKey', userArn('bob'), context);
// "Example using ForAnyValue with a string condition operator"
const createTags = allowWith('create-tags', 'ec2:CreateTags', 'arn:aws:ec2:*:*:instance/*', {
  StringEqualsIgnoreCase: { 'aws:RequestTag/environment': ['preprod', 'storage'] },
  'ForAnyValue:StringEquals': { 'aws:TagKeys': 'environment' },
});
const tagRequest = (context: Record<string, ContextValue>) =>
  request('ec2:CreateTags', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1234567890abcdef0`, context);
// "Creating a condition with multiple keys or values": AND across operators and keys, OR across values.
const departmentAndRole = allowWith('department-and-role', 's3:GetObject', '*', {
  StringEqualsIgnoreCase: { 'aws:PrincipalTag/department': ['finance', 'hr', 'legal'], 'aws:PrincipalTag/role': ['audit', 'security'] },
  StringEquals: { 'aws:PrincipalAccount': ACCOUNT },
});
const maxKeys = allowWith('max-keys', 's3:ListBucket', `arn:aws:s3:::${bucket}`, { NumericLessThanEquals: { 's3:max-keys': '10' } });
const listRequest = (context: Record<string, ContextValue>) => request('s3:ListBucket', `arn:aws:s3:::${bucket}`, context);
const freshCredentials = allowWith('fresh credentials', 'iam:*AccessKey*', anyUser, {
  DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' },
});
const denyInsecure = policy('BooleanExample', {
  Sid: 'BooleanExample',
  ...deny('s3:ReplicateObject', [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], {
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  }),
});
const replicateRequest = (context: Record<string, ContextValue>) => request('s3:ReplicateObject', object, context);
const binary = allowWith('binary', 's3:GetObject', '*', { BinaryEquals: { 'aws:userid': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } });
const fromRange = allowWith('from range', 'iam:*AccessKey*', anyUser, { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } });
const mixedRanges = allowWith('v4 and v6', 's3:GetObject', '*', {
  IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] },
});
const singleAddress = allowWith('one address', 's3:GetObject', '*', { IpAddress: { 'aws:SourceIp': '203.0.113.7' } });
const instanceTypes = allowWith('RunInstance', 'ec2:RunInstances', '*', {
  StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] },
});
const runRequest = (context: Record<string, ContextValue>) =>
  request('ec2:RunInstances', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`, context);
// The ArnLike / StringLike contrast printed in the archived edition.
const financePattern = 'arn:aws:someservice:*:111122223333:finance/*';
const financeValue = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
const sourceArnRequest = (sourceArn: string) => request('s3:GetObject', object, { 'aws:SourceArn': sourceArn });

const cases: DocCase[] = [
  {
    what: 'StringEquals on a principal tag with the required value',
    policies: { identity: [jobCategory] },
    request: accessKeyRequest({ 'aws:PrincipalTag/job-category': 'iamuser-admin' }),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'For example, the following statement contains a Condition element that uses aws:PrincipalTag key to specify that the principal making the request must be tagged with the iamuser-admin job category.',
    ),
  },
  {
    what: 'StringEquals on a principal tag with another value',
    policies: { identity: [jobCategory] },
    request: accessKeyRequest({ 'aws:PrincipalTag/job-category': 'dev-ops' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      '"StringEquals": { "aws:PrincipalTag/job-category": "iamuser-admin" } | aws:PrincipalTag/job-category: – dev-ops | No match',
    ),
  },
  {
    what: 'StringEquals on a principal tag the user does not have',
    policies: { identity: [jobCategory] },
    request: accessKeyRequest({}),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'If a user without the tag attempts to view or edit an access key, the condition returns false and the request is implicitly denied by this statement.',
    ),
  },
  {
    what: 'StringEquals is case sensitive',
    policies: { identity: [jobCategory] },
    request: accessKeyRequest({ 'aws:PrincipalTag/job-category': 'IAMUser-Admin' }),
    expected: 'ImplicitlyDenied',
    source: cite(pages.conditionOperators, 'StringEquals | Exact matching, case sensitive'),
  },
  {
    what: 'StringEqualsIgnoreCase accepts another capitalization',
    policies: { identity: [createTags] },
    request: tagRequest({ 'aws:TagKeys': ['environment', 'costcenter'], 'aws:RequestTag/environment': 'PreProd' }),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'When you append IgnoreCase to the operator, you allow any existing tag value capitalization, such as preprod, Preprod, and PreProd, to resolve to true.',
    ),
  },
  {
    what: 'ForAnyValue:StringEquals on tag keys is case sensitive',
    policies: { identity: [createTags] },
    request: tagRequest({ 'aws:TagKeys': ['Environment'], 'aws:RequestTag/Environment': 'preprod' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'ForAnyValue comparison is case sensitive, which stops users from using the incorrect case for the tag key, such as using Environment instead of environment.',
    ),
  },
  {
    what: 'a second operator fails when its key is missing',
    policies: { identity: [createTags] },
    request: tagRequest({ 'aws:RequestTag/environment': 'storage' }),
    expected: 'ImplicitlyDenied',
    source: cite(pages.conditionOperators, 'No aws:TagKeys in the request context. aws:RequestTag/environment: – storage | No match'),
  },
  {
    what: 'several keys and operators must all match',
    policies: { identity: [departmentAndRole] },
    request: request('s3:GetObject', object, {
      'aws:PrincipalTag/department': 'HR',
      'aws:PrincipalTag/role': 'audit',
      'aws:PrincipalAccount': ACCOUNT,
    }),
    expected: 'Allowed',
    source: cite(
      pages.multipleValues,
      'If your policy has multiple condition operators or multiple keys attached to a single condition operator, the conditions are evaluated using a logical AND. If a single condition operator includes multiple values for one key, that condition operator is evaluated using a logical OR.',
    ),
  },
  {
    what: 'one key of several missing fails the whole condition',
    policies: { identity: [departmentAndRole] },
    request: request('s3:GetObject', object, { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalAccount': ACCOUNT }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.multipleValues,
      'The user making the request must have both principal tag keys, department and role, that include one of the tag key values specified in the policy.',
    ),
  },
  {
    what: 'NumericLessThanEquals within the limit',
    policies: { identity: [maxKeys] },
    request: listRequest({ 's3:max-keys': '5' }),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'If this policy allowed all Amazon S3 operations, then only the operations that include the max-keys context key with a value of less than or equal to 10 would be allowed.',
    ),
  },
  {
    what: 'NumericLessThanEquals compares numbers, not strings',
    policies: { identity: [maxKeys] },
    request: listRequest({ 's3:max-keys': '100' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'Numeric condition operators let you construct Condition elements that restrict access based on comparing a key to an integer or decimal value.',
    ),
    note: 'As strings "100" sorts before "10"; as numbers it is greater.',
  },
  {
    what: 'NumericLessThanEquals with the key missing',
    policies: { identity: [maxKeys] },
    request: listRequest({}),
    expected: 'ImplicitlyDenied',
    source: cite(pages.conditionOperators, missingKeyFalse),
  },
  {
    what: 'DateGreaterThan with temporary credentials issued later',
    policies: { identity: [freshCredentials] },
    request: accessKeyRequest({ 'aws:TokenIssueTime': '2020-06-01T00:00:00Z' }),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'This condition specifies that the temporary security credentials used to make the request were issued in 2020.',
    ),
  },
  {
    what: 'DateGreaterThan with long-term credentials has no key to compare',
    policies: { identity: [freshCredentials] },
    request: accessKeyRequest({}),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'In this example, if an IAM user attempts to view or edit an access key, the request is denied.',
    ),
  },
  {
    what: 'DateLessThan accepts an epoch value in the policy',
    policies: { identity: [allowWith('until 2030', 's3:GetObject', '*', { DateLessThan: { 'aws:CurrentTime': '1893456000' } })] },
    request: request('s3:GetObject', object, { 'aws:CurrentTime': '2026-03-01T12:00:00Z' }),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'You must specify date/time values with one of the W3C implementations of the ISO 8601 date formats or in epoch (UNIX) time.',
    ),
    note: '1893456000 is 2030-01-01T00:00:00Z.',
  },
  {
    what: 'DateLessThan after the date',
    policies: { identity: [allowWith('until 2030', 's3:GetObject', '*', { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } })] },
    request: request('s3:GetObject', object, { 'aws:CurrentTime': '2031-01-01T00:00:00Z' }),
    expected: 'ImplicitlyDenied',
    source: cite(pages.conditionOperators, 'DateLessThan | Matching before a specific date and time'),
  },
  {
    what: 'Bool Deny over plain HTTP',
    policies: { identity: [admin, denyInsecure] },
    request: replicateRequest({ 'aws:SecureTransport': false }),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'The following identity-based policy uses the Bool condition operator with the aws:SecureTransport key to deny replicating objects and object tags to the destination bucket and its contents if the request is not over SSL.',
    ),
  },
  {
    what: 'Bool Deny does not apply over TLS',
    policies: { identity: [admin, denyInsecure] },
    request: replicateRequest({ 'aws:SecureTransport': true }),
    expected: 'Allowed',
    source: cite(pages.conditionOperators, '"Bool": { "aws:SecureTransport": "false" } | aws:SecureTransport: – true | No match'),
  },
  {
    what: 'Bool Deny does not apply when the key is missing',
    policies: { identity: [admin, denyInsecure] },
    request: replicateRequest({}),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      '"Bool": { "aws:SecureTransport": "false" } | No aws:SecureTransport in the request context. | No match',
    ),
  },
  {
    what: 'Bool Deny on MFA=false does not catch long-term credentials',
    policies: { identity: [admin, denyWith('deny no MFA', '*', '*', { Bool: { 'aws:MultiFactorAuthPresent': 'false' } })] },
    request: request('s3:GetObject', object, {}),
    expected: 'Allowed',
    source: cite(
      pages.globalKeys,
      'This statement does not deny access to requests that are made using long-term credentials, or to requests that are authenticated using MFA.',
    ),
  },
  {
    what: 'BinaryEquals with the same base-64 value',
    policies: { identity: [binary] },
    request: request('s3:GetObject', object, { 'aws:userid': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' }),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'It compares the value of the specified key byte for byte against a base-64 encoded representation of the binary value in the policy.',
    ),
  },
  {
    what: 'BinaryEquals with another value',
    policies: { identity: [binary] },
    request: request('s3:GetObject', object, { 'aws:userid': 'ASIAIOSFODNN7EXAMPLE' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      '"BinaryEquals": { "key" : "QmluYXJ5VmFsdWVJbkJhc2U2NA==" } | key: – ASIAIOSFODNN7EXAMPLE | No match',
    ),
  },
  {
    what: 'IpAddress inside the range',
    policies: { identity: [fromRange] },
    request: accessKeyRequest({ 'aws:SourceIp': '203.0.113.1' }),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'The following statement uses the IpAddress condition operator with the aws:SourceIp key to specify that the request must come from the IP range 203.0.113.0 to 203.0.113.255.',
    ),
  },
  {
    what: 'IpAddress outside the range',
    policies: { identity: [fromRange] },
    request: accessKeyRequest({ 'aws:SourceIp': '198.51.100.1' }),
    expected: 'ImplicitlyDenied',
    source: cite(pages.conditionOperators, '"IpAddress": { "aws:SourceIp": "203.0.113.0/24" } | aws:SourceIp: – 198.51.100.1 | No match'),
  },
  {
    what: 'IpAddress with no source IP (a VPC endpoint request)',
    policies: { identity: [fromRange] },
    request: accessKeyRequest({ 'aws:SourceVpce': 'vpce-1a2b3c4d' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'The aws:SourceIp key is always present in the request context, except when the requester uses a VPC endpoint to make the request. In this case, the condition returns false and the request is implicitly denied by this statement.',
    ),
  },
  {
    what: 'NotIpAddress Deny applies when there is no source IP',
    policies: { identity: [admin, denyWith('deny outside range', '*', '*', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })] },
    request: request('s3:GetObject', object, { 'aws:SourceVpce': 'vpce-1a2b3c4d' }),
    expected: 'ExplicitlyDenied',
    source: cite(pages.conditionOperators, missingKeyNegated),
  },
  {
    what: 'IpAddress matches an IPv6 address in a mixed list',
    policies: { identity: [mixedRanges] },
    request: request('s3:GetObject', object, { 'aws:SourceIp': '2001:db8:1234:5678::abcd' }),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      "The following example shows how to mix IPv4 and IPv6 addresses to cover all of your organization's valid IP addresses.",
    ),
  },
  {
    what: 'an address without a prefix means /32: the same address',
    policies: { identity: [singleAddress] },
    request: request('s3:GetObject', object, { 'aws:SourceIp': '203.0.113.7' }),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'If you specify an IP address without the associated routing prefix, IAM uses the default prefix value of /32.',
    ),
  },
  {
    what: 'an address without a prefix means /32: the next address',
    policies: { identity: [singleAddress] },
    request: request('s3:GetObject', object, { 'aws:SourceIp': '203.0.113.8' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'If you specify an IP address without the associated routing prefix, IAM uses the default prefix value of /32.',
    ),
  },
  {
    what: 'ArnLike checks each ARN segment apart',
    policies: { identity: [allowWith('arn like', 's3:GetObject', '*', { ArnLike: { 'aws:SourceArn': financePattern } })] },
    request: sourceArnRequest(financeValue),
    expected: 'ImplicitlyDenied',
    source: cite(pages.conditionOperators2023, 'With an ArnLike condition, which matches elements between colons, the match fails.'),
  },
  {
    what: 'StringLike lets a wildcard run across colons',
    policies: { identity: [allowWith('string like', 's3:GetObject', '*', { StringLike: { 'aws:SourceArn': financePattern } })] },
    request: sourceArnRequest(financeValue),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators2023,
      'With a StringLike condition, the match succeeds. The first asterisk matches us-east-2:999999999999:store/abc:.',
    ),
  },
  {
    what: 'ArnEquals with the key missing (a direct call)',
    policies: {
      identity: [
        allowWith('from topic', 's3:GetObject', '*', { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:TOPIC-ID` } }),
      ],
    },
    request: request('s3:GetObject', object, {}),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'If an IAM user attempts to perform this operation directly, the condition returns false and the request is implicitly denied by this statement.',
    ),
  },
  {
    what: 'StringNotEquals Deny applies when the key is missing',
    policies: { identity: [admin, denyWith('deny other teams', 's3:*', '*', { StringNotEquals: { 'aws:PrincipalTag/team': 'blue' } })] },
    request: request('s3:GetObject', object, {}),
    expected: 'ExplicitlyDenied',
    source: cite(pages.conditionOperators, missingKeyNegated),
  },
  {
    what: 'StringNotLike Deny applies when the key is missing',
    policies: { identity: [admin, denyWith('deny other prefixes', 's3:*', '*', { StringNotLike: { 's3:prefix': 'home/*' } })] },
    request: request('s3:ListBucket', `arn:aws:s3:::${bucket}`, {}),
    expected: 'ExplicitlyDenied',
    source: cite(pages.conditionOperators, missingKeyNegated),
  },
  {
    what: 'ArnNotLike Deny applies when the key is missing',
    policies: {
      identity: [admin, denyWith('deny other sources', 's3:*', '*', { ArnNotLike: { 'aws:SourceArn': `arn:aws:sns:*:${ACCOUNT}:*` } })],
    },
    request: request('s3:GetObject', object, {}),
    expected: 'ExplicitlyDenied',
    source: cite(pages.conditionOperators, missingKeyNegated),
  },
  {
    what: 'StringNotEquals with several values must differ from all of them',
    policies: {
      identity: [admin, denyWith('two teams only', 's3:*', '*', { StringNotEquals: { 'aws:PrincipalTag/team': ['blue', 'green'] } })],
    },
    request: request('s3:GetObject', object, { 'aws:PrincipalTag/team': 'green' }),
    expected: 'Allowed',
    source: cite(
      pages.multipleValues,
      'When multiple values are listed in a policy for negated matching condition operators such as StringNotEquals and DateNotEquals, the effective permissions work like a logical AND.',
    ),
  },
  {
    what: 'StringLikeIfExists with a matching instance type',
    policies: { identity: [instanceTypes] },
    request: runRequest({ 'ec2:InstanceType': 't1.micro' }),
    expected: 'Allowed',
    source: cite(pages.conditionOperators, 'This way, the test only happens if the condition key exists.'),
  },
  {
    what: 'StringLikeIfExists with another instance type',
    policies: { identity: [instanceTypes] },
    request: runRequest({ 'ec2:InstanceType': 'm2.micro' }),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      '"StringLikeIfExists": { "ec2:InstanceType": [ "t1.*", "t2.*", "m3.*" ] } | ec2:InstanceType: – m2.micro | No match',
    ),
  },
  {
    what: 'StringLikeIfExists with the key missing',
    policies: { identity: [instanceTypes] },
    request: { ...runRequest({}), resource: `arn:aws:ec2:us-east-1::image/ami-12345678` },
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'You do this to say "If the condition key is present in the context of the request, process the key as specified in the policy. If the key is not present, evaluate the condition element as true."',
    ),
  },
  {
    what: 'StringLike without IfExists fails on a resource without the key',
    policies: {
      identity: [
        allowWith('THISPOLICYDOESNOTWORK', 'ec2:RunInstances', '*', { StringLike: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } }),
      ],
    },
    request: { ...runRequest({}), resource: `arn:aws:ec2:us-east-1::image/ami-12345678` },
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'These additional resources do not have the ec2:InstanceType condition key, so the StringLike check fails, and the user is not granted the ability to launch any instance type.',
    ),
  },
  {
    what: 'StringNotEqualsIfExists Deny still denies when the key is missing',
    policies: {
      identity: [admin, denyWith('deny other teams', 's3:*', '*', { StringNotEqualsIfExists: { 'aws:PrincipalTag/team': 'blue' } })],
    },
    request: request('s3:GetObject', object, {}),
    expected: 'ExplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'If you are using an "Effect": "Deny" element with a negated condition operator like StringNotEqualsIfExists, the request is still denied even if the condition key is not present.',
    ),
  },
  {
    what: 'Null false requires temporary credentials: with them',
    policies: { identity: [allowWith('temporary only', 'ec2:*', '*', { Null: { 'aws:TokenIssueTime': 'false' } })] },
    request: request('ec2:DescribeInstances', '*', { 'aws:TokenIssueTime': '2026-03-01T10:00:00Z' }),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'The following example shows a condition that states that the user must be using temporary credentials (the key cannot be absent) for the user to use the Amazon EC2 API.',
    ),
  },
  {
    what: 'Null false requires temporary credentials: with access keys',
    policies: { identity: [allowWith('temporary only', 'ec2:*', '*', { Null: { 'aws:TokenIssueTime': 'false' } })] },
    request: request('ec2:DescribeInstances', '*', {}),
    expected: 'ImplicitlyDenied',
    source: cite(
      pages.conditionOperators,
      'If the user is using temporary credentials, then the key aws:TokenIssueTime exists and has a value.',
    ),
  },
  {
    what: 'Null true requires the key to be absent',
    policies: { identity: [allowWith('long-term only', 'ec2:*', '*', { Null: { 'aws:TokenIssueTime': 'true' } })] },
    request: request('ec2:DescribeInstances', '*', {}),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators2023,
      'The following example shows a condition that states that the user must not be using temporary credentials (the key must not exist) for the user to use the Amazon EC2 API.',
    ),
  },
  {
    what: 'condition key names are case-insensitive',
    policies: { identity: [admin, denyWith('insecure', '*', '*', { Bool: { 'AWS:securetransport': 'false' } })] },
    request: request('s3:GetObject', object, { 'aws:SecureTransport': false }),
    expected: 'ExplicitlyDenied',
    source: cite(pages.variables, 'Key names are case-insensitive. For example, aws:CurrentTime is equivalent to AWS:currenttime.'),
  },
  {
    what: 'NullIfExists is not an operator',
    policies: { identity: [allowWith('null if exists', 's3:GetObject', '*', { NullIfExists: { 'aws:TokenIssueTime': 'true' } })] },
    request: request('s3:GetObject', object, {}),
    expected: 'Error',
    source: cite(
      pages.conditionOperators,
      'You can add IfExists to the end of any condition operator name except the Null condition—for example, StringLikeIfExists.',
    ),
  },
];

export const conditions: CaseTopic = { topic: 'conditions', cases };
