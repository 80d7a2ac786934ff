/**
 * fast-check generators for the differential test: requests and policy sets drawn from small pools
 * so that matches, near misses and every evaluation path come up often.
 *
 * The generated space is the subset where AWS's documented behaviour and the oracle agree. Areas left
 * out on purpose (each is covered by hand-written unit tests instead):
 * - A role session with a session policy that does not allow, and a resource policy naming the
 *   session directly ("*" or its own ARN). AWS: such a grant is not limited by the session policy
 *   (IAM User Guide, "Session policies"); the oracle applies the session policy to it anyway.
 * - NotPrincipal lists that name only some levels of the caller (e.g. the session but not its role
 *   and account). AWS checks account, role and session separately, so all must be listed to escape a
 *   Deny (IAM User Guide, "NotPrincipal"); the oracle lets any one listed level escape. Lists here
 *   name all of the caller's levels or none of them. NotPrincipal with Allow is not supported by AWS
 *   and our parser rejects it.
 * - IfExists combined with ForAnyValue/ForAllValues: the oracle ignores IfExists on set operators.
 * - IpAddress values without a prefix length: the oracle compares them as text and never lets
 *   NotIpAddress match an address of the other IP version; we treat them as /32 or /128.
 * - ${*}, ${?}, ${$} in non-wildcard operators: the oracle leaves them as literal "${*}" text there.
 * - Dates mixing ISO 8601 and epoch seconds: the oracle compares epoch seconds with milliseconds.
 * - "*" in a request resource (a bare "*", or an S3 key containing one): the oracle reads it as a
 *   pattern over many resources and matches specific ARNs against it; keys with "?" are generated.
 * - The account root user: AWS grants it full access in its own account; the oracle does not model it.
 * - Service principals together with identity, boundary, session or SCP policies (none apply to them).
 * - Empty strings in keys used as policy variables: the oracle treats "" as a missing value.
 * - Wildcards or variables before the first "/" of a non-S3 resource part, and ARNs with fewer than
 *   six parts: the oracle cuts the resource type prefix at the first ":" or "/" (even one inside
 *   ${aws:...}), compares it literally, and pads short ARNs.
 * - Negated operators (StringNotEquals, StringNotLike, ArnNotLike, ...) whose value uses a variable with
 *   no value, and NotResource entries with such a variable. IAM User Guide, "Policy variables with no
 *   value": "Inverted condition operators like StringNotEquals or StringNotLike do match against a null
 *   value", and "the resource that includes a policy variable with no value will not match any
 *   resource"; the oracle makes the negated comparison and the NotResource entry fail instead.
 * - Requests without a resource ARN ("*") against ARN patterns: the evaluation-logic example grants
 *   s3:ListAllMyBuckets with Resource "arn:aws:s3:::*" (IAM User Guide, "Policy evaluation logic",
 *   "Example identity-based and resource-based policy evaluation"); the oracle grants such actions
 *   only with Resource "*". (Bare "*" request resources were already out, see above.)
 * - Policies AWS documents no meaning for, which the engine refuses (IamPolicyError) and the oracle
 *   evaluates anyway: partial wildcards in a Principal ("You cannot use a wildcard to match part of a
 *   principal name or ARN", Principal), a single-valued operator on a key with several values
 *   ("Multivalued condition keys require condition set operators ForAllValues or ForAnyValue",
 *   Single-valued vs. multivalued context keys), a key with several values as a policy variable ("You
 *   can't use a multivalued condition key as a variable", Policy variables), and statements with neither
 *   Resource nor NotResource ("Statements must include either a Resource or a NotResource element",
 *   Resource).
 * - Role trust policies and KMS key policies (sts:AssumeRole on a role, kms:* on a key): they must
 *   name the caller or its account ("Policy evaluation logic": "IAM role trust policies and KMS key
 *   policies are exceptions"), which the oracle does not model. No generated resource is a role or key.
 */
import fc from 'fast-check';
import type { IamRequest, NamedPolicy, PolicySet, RequestContext } from '../../lib/engines/iam';

export const A = '111111111111';
export const B = '222222222222';

export interface Caller {
  arn: string;
  kind: 'user' | 'role' | 'assumed-role' | 'federated-user' | 'service';
  account?: string;
  /** Every level AWS checks for NotPrincipal: all listed means the caller escapes. */
  levels: string[];
  /** The role (for sessions) or IAM user (for federated users) behind the caller. */
  issuer?: string;
}

export const CALLERS: Caller[] = [
  { arn: `arn:aws:iam::${A}:user/alice`, kind: 'user', account: A, levels: [A, `arn:aws:iam::${A}:user/alice`] },
  { arn: `arn:aws:iam::${A}:user/dev/bob`, kind: 'user', account: A, levels: [`arn:aws:iam::${A}:root`, `arn:aws:iam::${A}:user/dev/bob`] },
  { arn: `arn:aws:iam::${B}:user/carol`, kind: 'user', account: B, levels: [B, `arn:aws:iam::${B}:user/carol`] },
  {
    arn: `arn:aws:sts::${A}:assumed-role/AppRole/s1`,
    kind: 'assumed-role',
    account: A,
    issuer: `arn:aws:iam::${A}:role/AppRole`,
    levels: [A, `arn:aws:iam::${A}:role/AppRole`, `arn:aws:sts::${A}:assumed-role/AppRole/s1`],
  },
  {
    arn: `arn:aws:sts::${A}:assumed-role/Worker/w1`,
    kind: 'assumed-role',
    account: A,
    issuer: `arn:aws:iam::${A}:role/svc/Worker`,
    levels: [`arn:aws:iam::${A}:root`, `arn:aws:iam::${A}:role/svc/Worker`, `arn:aws:sts::${A}:assumed-role/Worker/w1`],
  },
  {
    arn: `arn:aws:sts::${B}:assumed-role/Reader/r1`,
    kind: 'assumed-role',
    account: B,
    issuer: `arn:aws:iam::${B}:role/Reader`,
    levels: [B, `arn:aws:iam::${B}:role/Reader`, `arn:aws:sts::${B}:assumed-role/Reader/r1`],
  },
  { arn: `arn:aws:iam::${A}:role/AppRole`, kind: 'role', account: A, levels: [A, `arn:aws:iam::${A}:role/AppRole`] },
  { arn: `arn:aws:iam::${B}:role/Reader`, kind: 'role', account: B, levels: [`arn:aws:iam::${B}:root`, `arn:aws:iam::${B}:role/Reader`] },
  {
    arn: `arn:aws:sts::${A}:federated-user/alice`,
    kind: 'federated-user',
    account: A,
    issuer: `arn:aws:iam::${A}:user/alice`,
    levels: [A, `arn:aws:sts::${A}:federated-user/alice`],
  },
  { arn: 'events.amazonaws.com', kind: 'service', levels: ['events.amazonaws.com'] },
  { arn: 's3.amazonaws.com', kind: 'service', levels: ['s3.amazonaws.com'] },
];

/** Entries for Principal/NotPrincipal "AWS" lists: exact, issuer, account, near misses and partial wildcards. */
const AWS_ENTRIES = [
  A,
  B,
  `arn:aws:iam::${A}:root`,
  `arn:aws:iam::${B}:root`,
  `arn:aws:iam::${A}:user/alice`,
  `arn:aws:iam::${A}:user/dev/bob`,
  `arn:aws:iam::${A}:user/bob`,
  `arn:aws:iam::${B}:user/carol`,
  `arn:aws:iam::${A}:role/AppRole`,
  `arn:aws:iam::${A}:role/approle`,
  `arn:aws:iam::${A}:role/svc/Worker`,
  `arn:aws:iam::${A}:role/Worker`,
  `arn:aws:iam::${B}:role/Reader`,
  `arn:aws:iam::${A}:role/Reader`,
  `arn:aws:sts::${A}:assumed-role/AppRole/s1`,
  `arn:aws:sts::${A}:assumed-role/AppRole/s2`,
  `arn:aws:sts::${A}:assumed-role/Worker/w1`,
  `arn:aws:sts::${B}:assumed-role/Reader/r1`,
  `arn:aws:sts::${A}:federated-user/alice`,
];
const SERVICE_ENTRIES = ['events.amazonaws.com', 's3.amazonaws.com', 'lambda.amazonaws.com'];

function roleName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1).toLowerCase();
}

/** Does the entry name the caller at any level, in either engine's reading? Such entries are kept out of "none" lists. */
function namesCaller(entry: string, caller: Caller): boolean {
  if (entry === caller.arn) return true;
  if (caller.kind === 'service') return false;
  if (entry === caller.account || entry === `arn:aws:iam::${caller.account}:root`) return true;
  if (caller.issuer && entry === caller.issuer) return true;
  if (
    caller.kind === 'assumed-role' &&
    entry.startsWith(`arn:aws:iam::${caller.account}:role/`) &&
    roleName(entry) === roleName(caller.issuer!)
  )
    return true;
  if (caller.kind === 'role' && entry.startsWith(`arn:aws:iam::${caller.account}:role/`) && roleName(entry) === roleName(caller.arn))
    return true;
  return false;
}

interface ResourceChoice {
  arn: string;
  account?: string;
  service: string;
}

const RESOURCES: ResourceChoice[] = [
  { arn: 'arn:aws:s3:::bucket-a/exports/2024/a.csv', service: 's3' },
  { arn: 'arn:aws:s3:::bucket-a/home/alice/notes.txt', service: 's3' },
  { arn: 'arn:aws:s3:::bucket-a/tmp/x', service: 's3' },
  { arn: 'arn:aws:s3:::bucket-a', service: 's3' },
  { arn: 'arn:aws:s3:::Bucket-B/data/blue/1', service: 's3' },
  { arn: 'arn:aws:s3:::bucket-a/exports/literal?star', service: 's3' },
  { arn: `arn:aws:dynamodb:us-east-1:${A}:table/Orders`, account: A, service: 'dynamodb' },
  { arn: `arn:aws:dynamodb:eu-west-1:${B}:table/orders/index/byDate`, account: B, service: 'dynamodb' },
  { arn: `arn:aws:sqs:us-east-1:${A}:jobs-queue`, account: A, service: 'sqs' },
  { arn: `arn:aws:sqs:us-east-1:${A}:alice-queue`, account: A, service: 'sqs' },
  { arn: `arn:aws:ecr:us-east-1:${B}:repository/app`, account: B, service: 'ecr' },
];

const ACTIONS: Record<string, string[]> = {
  s3: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
  dynamodb: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  sqs: ['sqs:SendMessage', 'sqs:ReceiveMessage'],
  ecr: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
};
const ALL_ACTIONS = Object.values(ACTIONS).flat();

const ACTION_PATTERNS = [
  '*',
  's3:*',
  's3:Get*',
  's3:GetObject',
  's3:getobject',
  'S3:PutObject',
  's3:*Object',
  's3:?etObject',
  's3:Delete*',
  's3:List*',
  'dynamodb:*',
  'dynamodb:Get*',
  'dynamodb:Query',
  'DynamoDB:putitem',
  'sqs:*Message',
  'sqs:SendMessage',
  'ecr:*',
  'ecr:Get*',
  'ecr:BatchGetImage',
  'iam:PassRole',
];

const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::bucket-a',
  'arn:aws:s3:::bucket-a/*',
  'arn:aws:s3:::bucket-a/exports/*',
  'arn:aws:s3:::bucket-?/*',
  'arn:aws:s3:::*',
  'arn:aws:s3:::bucket-a/*/2024/*',
  'arn:aws:s3:::BUCKET-A/*',
  'arn:aws:S3:::bucket-a/tmp/?',
  'arn:aws:s3:::bucket-a/exports/2024/a.csv',
  'arn:aws:s3:::bucket-a/home/${aws:username}/*',
  'arn:aws:s3:::Bucket-B/data/${aws:PrincipalTag/team}/*',
  "arn:aws:s3:::bucket-a/${aws:PrincipalTag/dir, 'tmp'}/*",
  'arn:aws:s3:::bucket-a/home/${aws:userid}/*',
  'arn:aws:s3:::bucket-a/exports/literal${?}star',
  'arn:aws:s3:::bucket-a/exports/literal?star',
  'arn:aws:s3:::bucket-a/exports/literal${*}star',
  `arn:aws:dynamodb:us-east-1:${A}:table/Orders`,
  'arn:aws:dynamodb:*:*:table/Orders',
  `arn:aws:dynamodb:us-*:${A}:table/*`,
  `arn:aws:dynamodb:*:${B}:table/orders/index/*`,
  `arn:aws:DynamoDB:eu-west-1:${B}:table/orders*`,
  'arn:aws:dynamodb:*:*:*',
  `arn:aws:sqs:us-east-1:${A}:jobs-*`,
  'arn:aws:sqs:*:*:*',
  `arn:aws:dynamodb:us-east-1:${A}:table/\${aws:PrincipalTag/table, 'Orders'}`,
  `arn:aws:ecr:us-east-1:${B}:repository/app`,
  'arn:aws:ecr:*:*:repository/*',
  'arn:aws:*:*:*:*',
  `arn:aws:sqs:us-east-?:${A}:*`,
];

/** Context keys and the values they may take; a key is present in about half the requests. */
const CONTEXT_POOLS: Record<string, Array<string | string[]>> = {
  'aws:username': ['alice', 'bob', 'Alice'],
  'aws:userid': ['AIDAEXAMPLE'],
  'aws:PrincipalTag/team': ['blue', 'red'],
  'aws:PrincipalTag/dir': ['exports', 'tmp'],
  'aws:SourceVpce': ['vpce-1a', 'vpce-2b'],
  's3:prefix': ['', 'home/alice/', 'tmp/', 'literal*star'],
  'aws:RequestTag/env': ['prod', 'dev'],
  's3:max-keys': ['5', '10', '10.5', '999', 'abc'],
  'aws:CurrentTime': ['2024-01-01T00:00:00Z', '2024-06-01T12:00:00Z', '2025-03-01T08:30:00Z'],
  'aws:EpochTime': ['1704067200', '1717243200', '1740817800'],
  'aws:SecureTransport': ['true', 'false', 'TRUE'],
  'aws:SourceIp': ['203.0.113.7', '10.1.2.3', '192.168.0.1', '2001:db8::7', '2001:db9::1'],
  'aws:PrincipalArn': [`arn:aws:iam::${A}:role/AppRole`, `arn:aws:iam::${A}:user/alice`, `arn:aws:iam::${B}:role/Reader`],
  'aws:SourceArn': ['arn:aws:s3:::bucket-a', `arn:aws:sqs:us-east-1:${A}:jobs-queue`],
  'aws:TagKeys': [[], ['env'], ['env', 'team'], ['team', 'owner']],
  'x:bin': ['QUJD', 'ZGVm'],
};

/** The value in about `present` of cases, undefined otherwise. */
const maybe = <T>(arb: fc.Arbitrary<T>, present: number): fc.Arbitrary<T | undefined> =>
  fc.oneof(
    { weight: Math.round(present * 100), arbitrary: arb },
    { weight: Math.round((1 - present) * 100), arbitrary: fc.constant(undefined) },
  );

const randomCase = (s: string) => fc.constantFrom(s, s.toLowerCase(), s.toUpperCase());

function contextArb(): fc.Arbitrary<RequestContext> {
  const entries = Object.entries(CONTEXT_POOLS).map(([key, pool]) =>
    maybe(
      fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constant(key) }, { weight: 1, arbitrary: randomCase(key) }), fc.constantFrom(...pool)),
      0.5,
    ),
  );
  return fc.tuple(...entries).map((pairs) => {
    const ctx: RequestContext = {};
    for (const pair of pairs) if (pair) ctx[pair[0]] = pair[1];
    return ctx;
  });
}

type Triplet = [operator: string, key: string, values: string[]];

const values = (pool: string[]) => fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 });
const STRING_KEYS = [
  'aws:username',
  'aws:PrincipalTag/team',
  'aws:SourceVpce',
  's3:prefix',
  'aws:RequestTag/env',
  'AWS:UserName',
  'aws:principaltag/TEAM',
];
const STRING_VALUES = [
  'alice',
  'Alice',
  'bob',
  'blue',
  'red',
  'vpce-1a',
  'vpce-2b',
  'home/alice/',
  'tmp/',
  '',
  'prod',
  'al*',
  'home/*',
  'vpce-?a',
  '${aws:username}',
  'home/${aws:username}/',
  '${aws:PrincipalTag/team}',
  "${aws:PrincipalTag/missing, 'blue'}",
  '${aws:userid}',
  'literal*star',
];
const LIKE_ONLY_VALUES = ['*', 'literal${*}star', '${aws:username}*', '?lice'];
const SET_VALUES = ['env', 'team', 'owner', 't*', 'ENV'];
const STRING_OPS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'];
const LIKE_OPS = ['StringLike', 'StringNotLike'];

const ifExists = (op: string) => fc.constantFrom(op, op, op, `${op}IfExists`);

const tripletArb: fc.Arbitrary<Triplet> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(...STRING_OPS).chain(ifExists), fc.constantFrom(...STRING_KEYS), values(STRING_VALUES)),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constantFrom(...LIKE_OPS).chain(ifExists),
      fc.constantFrom(...STRING_KEYS),
      values([...STRING_VALUES, ...LIKE_ONLY_VALUES]),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc
        .constantFrom(
          'NumericEquals',
          'NumericNotEquals',
          'NumericLessThan',
          'NumericLessThanEquals',
          'NumericGreaterThan',
          'NumericGreaterThanEquals',
        )
        .chain(ifExists),
      fc.constantFrom('s3:max-keys', 'S3:Max-Keys'),
      values(['5', '10', '10.0', '10.5', '1000', '-1', 'abc']),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.tuple(
        fc
          .constantFrom('DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals')
          .chain(ifExists),
        fc.constant('aws:CurrentTime'),
        values(['2024-01-01T00:00:00Z', '2024-06-01T12:00:00Z', '2025-01-01', '2023-12-31T23:59:59Z']),
      ),
      fc.tuple(
        fc.constantFrom('DateLessThan', 'DateGreaterThanEquals', 'DateEquals', 'DateNotEquals').chain(ifExists),
        fc.constant('aws:EpochTime'),
        values(['1704067200', '1717243200', '1735689600']),
      ),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom('Bool').chain(ifExists), fc.constant('aws:SecureTransport'), values(['true', 'false', 'True'])),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constantFrom('IpAddress', 'NotIpAddress').chain(ifExists),
      fc.constant('aws:SourceIp'),
      values(['203.0.113.0/24', '10.0.0.0/8', '203.0.113.7/32', '2001:db8::/32', '2001:db8::7/128', '192.168.0.0/16', '203.0.113.7/24']),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constantFrom('ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike').chain(ifExists),
      fc.constantFrom('aws:PrincipalArn', 'aws:SourceArn'),
      values([
        `arn:aws:iam::${A}:role/*`,
        'arn:aws:iam::*:role/AppRole',
        `arn:aws:iam::${A}:user/\${aws:username}`,
        `arn:aws:iam::${A}:role/App?ole`,
        `arn:aws:iam::${B}:*`,
        'arn:aws:s3:::bucket-a',
        'arn:aws:s3:::bucket-*',
        `arn:aws:sqs:*:${A}:jobs-queue`,
      ]),
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constant('Null'), fc.constantFrom(...Object.keys(CONTEXT_POOLS)), values(['true', 'false'])) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('BinaryEquals').chain(ifExists), fc.constant('x:bin'), values(['QUJD', 'ZGVm'])) },
  {
    weight: 3,
    arbitrary: fc.tuple(
      fc
        .tuple(fc.constantFrom('ForAnyValue', 'ForAllValues'), fc.constantFrom(...STRING_OPS, ...LIKE_OPS))
        .map(([set, op]) => `${set}:${op}`),
      fc.constantFrom('aws:TagKeys', 'aws:TagKeys', 'aws:username', 'aws:RequestTag/env'),
      values([...SET_VALUES, 'alice', 'prod']),
    ),
  },
);

/** Variables other than ${*} ${?} ${$} and those with a default can have no value in a generated request. */
const mayHaveNoValue = (v: string) => /\$\{(?![*?$]\})[^},]+\}/.test(v);
const NEGATED_OPERATOR = /(StringNot|ArnNot)/;

const conditionArb: fc.Arbitrary<Record<string, Record<string, string | string[]>>> = fc
  .array(tripletArb, { minLength: 1, maxLength: 3 })
  .map((triplets) => {
    const block: Record<string, Record<string, string | string[]>> = {};
    for (const [op, key, generated] of triplets) {
      // See the header: negated operators against a variable with no value are left out.
      const kept = NEGATED_OPERATOR.test(op) ? generated.filter((v) => !mayHaveNoValue(v)) : generated;
      const vals = kept.length > 0 ? kept : ['no-such-value'];
      block[op] = block[op] ?? {};
      block[op][key] = vals.length === 1 ? vals[0] : vals;
    }
    return block;
  });

const oneOrMany = (arb: fc.Arbitrary<string[]>) =>
  arb.chain((list) => (list.length === 1 ? fc.constantFrom<string | string[]>(list[0], list) : fc.constant(list)));

type PrincipalMode = 'resource' | 'endpoint' | 'none';

interface StatementOptions {
  mode: PrincipalMode;
  caller: Caller;
  /** Patterns that match the request, mixed in so that Allow paths come up as often as denials. */
  hints: { actions: string[]; resources: string[] };
  /** Keep Principal elements from naming the caller directly (see the session-policy exclusion above). */
  noDirectGrant: boolean;
}

function principalArb(caller: Caller, noDirectGrant: boolean): fc.Arbitrary<unknown> {
  const direct = (e: string) => noDirectGrant && e === caller.arn && caller.kind !== 'role';
  const awsPool = AWS_ENTRIES.filter((e) => !direct(e));
  const servicePool = SERVICE_ENTRIES.filter((e) => !direct(e));
  const listed = fc
    .record(
      {
        AWS: oneOrMany(fc.array(fc.constantFrom(...awsPool), { minLength: 1, maxLength: 3 })),
        Service: oneOrMany(fc.array(fc.constantFrom(...servicePool), { minLength: 1, maxLength: 2 })),
      },
      { requiredKeys: [] },
    )
    .filter((p) => Object.keys(p).length > 0);
  if (noDirectGrant) return listed;
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('*') },
    { weight: 1, arbitrary: fc.constant({ AWS: '*' }) },
    { weight: 5, arbitrary: listed },
  );
}

/** NotPrincipal names every level of the caller, or none of them. */
function notPrincipalArb(caller: Caller): fc.Arbitrary<unknown> {
  const unrelatedAws = AWS_ENTRIES.filter((e) => !namesCaller(e, caller));
  const unrelatedService = SERVICE_ENTRIES.filter((e) => e !== caller.arn);
  const extras = fc.subarray(unrelatedAws, { maxLength: 2 });
  const all = extras.map((more) => {
    if (caller.kind === 'service') return { Service: caller.levels };
    return { AWS: [...caller.levels, ...more] };
  });
  const none = fc
    .tuple(fc.subarray(unrelatedAws, { minLength: 1, maxLength: 3 }), fc.subarray(unrelatedService, { maxLength: 1 }))
    .map(([aws, svc]) => (svc.length ? { AWS: aws, Service: svc } : { AWS: aws }));
  return fc.oneof(all, none);
}

function statementArb(options: StatementOptions): fc.Arbitrary<Record<string, unknown>> {
  const { mode, caller, noDirectGrant } = options;
  const effect = fc.constantFrom('Allow', 'Allow', 'Allow', 'Allow', 'Deny');
  return fc
    .record({
      Sid: maybe(fc.constantFrom('Grant', 'ReadOnly', 'ProtectExports', 'S1', ''), 0.7),
      Effect: effect,
      actionKey: fc.constantFrom('Action', 'Action', 'Action', 'NotAction'),
      actions: oneOrMany(
        fc.array(
          fc.oneof(
            { weight: 1, arbitrary: fc.constantFrom(...ACTION_PATTERNS) },
            { weight: 2, arbitrary: fc.constantFrom(...options.hints.actions) },
          ),
          { minLength: 1, maxLength: 3 },
        ),
      ),
      resourceKey: fc.constantFrom('Resource', 'Resource', 'Resource', 'Resource', 'NotResource'),
      resources: oneOrMany(
        fc.array(
          fc.oneof(
            { weight: 1, arbitrary: fc.constantFrom(...RESOURCE_PATTERNS) },
            { weight: 2, arbitrary: fc.constantFrom(...options.hints.resources) },
          ),
          { minLength: 1, maxLength: 3 },
        ),
      ),
      Condition: maybe(conditionArb, 0.35),
      usePrincipal: fc.boolean(),
    })
    .chain((s) => {
      const statement: Record<string, unknown> = { Effect: s.Effect };
      if (s.Sid !== undefined) statement.Sid = s.Sid;
      statement[s.actionKey] = s.actions;
      if (s.resourceKey === 'Resource') statement.Resource = s.resources;
      if (s.resourceKey === 'NotResource') {
        // See the header: NotResource entries whose variable has no value are left out.
        const kept = (Array.isArray(s.resources) ? s.resources : [s.resources]).filter((r) => !mayHaveNoValue(r));
        statement.NotResource = kept.length > 0 ? kept : ['arn:aws:s3:::no-such-bucket/*'];
      }
      if (s.Condition) statement.Condition = s.Condition;
      if (mode === 'none') return fc.constant(statement);
      if (mode === 'endpoint') return fc.constant({ ...statement, Principal: '*' });
      if (s.Effect === 'Deny' && !s.usePrincipal) return notPrincipalArb(caller).map((np) => ({ ...statement, NotPrincipal: np }));
      return principalArb(caller, noDirectGrant).map((p) => ({ ...statement, Principal: p }));
    });
}

function documentArb(options: StatementOptions): fc.Arbitrary<Record<string, unknown>> {
  return fc.array(statementArb(options), { minLength: 1, maxLength: 3 }).chain((statements) => {
    const usesVariables = JSON.stringify(statements).includes('${');
    const version = usesVariables ? fc.constant('2012-10-17') : fc.constantFrom('2012-10-17', '2012-10-17', undefined);
    return fc.tuple(version, fc.boolean()).map(([v, asObject]) => {
      const doc: Record<string, unknown> = {};
      if (v) doc.Version = v;
      doc.Statement = statements.length === 1 && asObject ? statements[0] : statements;
      return doc;
    });
  });
}

const FULL_ACCESS: NamedPolicy = {
  name: 'FullAWSAccess',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

export interface GeneratedCase {
  request: IamRequest;
  policies: PolicySet;
}

export function caseArb(): fc.Arbitrary<GeneratedCase> {
  return fc
    .record({
      caller: fc.constantFrom(...CALLERS),
      resource: fc.constantFrom(...RESOURCES),
      sameS3Account: fc.constantFrom(true, true, true, false),
      sameService: fc.constantFrom(true, true, true, true, false),
      actionSeed: fc.nat(),
      context: contextArb(),
      hasSession: fc.constantFrom(false, false, false, true),
    })
    .chain((base) => {
      const { caller, resource } = base;
      const isService = caller.kind === 'service';
      const hasSession = base.hasSession && !isService;
      const pool = base.sameService ? ACTIONS[resource.service] : ALL_ACTIONS;
      const request: IamRequest = {
        principalArn: caller.arn,
        action: pool[base.actionSeed % pool.length],
        resourceArn: resource.arn,
        resourceAccount: resource.account ?? (base.sameS3Account === (caller.account !== B) ? A : B),
        context: base.context,
      };
      const service = request.action.split(':')[0];
      const hints = {
        actions: [request.action, `${service}:*`, `${service}:${request.action.split(':')[1].slice(0, 3)}*`, '*'],
        resources: ['*', resource.arn, ...RESOURCE_PATTERNS.filter((r) => r.includes(`:${resource.service}:`))],
      };
      const none: StatementOptions = { mode: 'none', caller, hints, noDirectGrant: false };
      const named =
        (prefix: string) =>
        (document: Record<string, unknown>, i: number): NamedPolicy => ({ name: `${prefix}${i}`, document });
      const scpLevel = (target: string) =>
        fc
          .tuple(fc.constantFrom(true, true, false), fc.array(documentArb(none), { minLength: 1, maxLength: 2 }))
          .map(([withFull, docs]) => ({
            target,
            policies: [...(withFull ? [FULL_ACCESS] : []), ...docs.map(named(`${target}-scp`))],
          }));
      return fc
        .record({
          identity: isService
            ? fc.constant([])
            : fc.oneof(
                { weight: 1, arbitrary: fc.constant([]) },
                { weight: 5, arbitrary: fc.array(documentArb(none), { minLength: 1, maxLength: 2 }) },
              ),
          resource: maybe(documentArb({ mode: 'resource', caller, hints, noDirectGrant: hasSession }), isService ? 0.9 : 0.6),
          boundary: isService ? fc.constant(undefined) : maybe(documentArb(none), 0.3),
          scps: isService
            ? fc.constant([])
            : fc.oneof(
                { weight: 3, arbitrary: fc.constant([]) },
                { weight: 1, arbitrary: fc.tuple(scpLevel('r-root')) },
                { weight: 1, arbitrary: fc.tuple(scpLevel('r-root'), scpLevel('ou-data')) },
              ),
          session: hasSession ? documentArb(none).map((d) => [d]) : fc.constant([]),
          endpoint: maybe(documentArb({ mode: 'endpoint', caller, hints, noDirectGrant: false }), 0.15),
        })
        .map((p): GeneratedCase => {
          const policies: PolicySet = {};
          if (p.identity.length) policies.identity = p.identity.map(named('identity'));
          if (p.resource) policies.resource = { name: 'resource-policy', document: p.resource };
          if (p.boundary) policies.permissionsBoundary = { name: 'boundary', document: p.boundary };
          if (p.scps.length) policies.scps = [...p.scps];
          if (p.session.length) policies.session = p.session.map(named('session'));
          if (p.endpoint) policies.vpcEndpoint = { name: 'vpce', document: p.endpoint };
          return { request, policies };
        });
    });
}
