import { conditionMatches, conditionsMatch } from './conditions';
import { IamPolicyError } from './errors';
import { ContextLookup } from './context';
import { inCidr, parseCidr, parseIp } from './ip';
import { parsePolicy, type ParsedCondition } from './parse';
import type { RequestContext } from './types';

/** Parses `{operator: {key: values}}` and evaluates it against a context. */
function holds(block: Record<string, Record<string, unknown>>, context: RequestContext, version = '2012-10-17'): boolean | 'unknown' {
  const policy = parsePolicy({ Version: version, Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: block } }, 'test');
  return conditionsMatch(policy.statements[0].conditions, new ContextLookup(context), version === '2012-10-17');
}

function single(operator: string, key: string, values: unknown, context: RequestContext): boolean | 'unknown' {
  return holds({ [operator]: { [key]: values } }, context);
}

describe('string operators', () => {
  it('StringEquals is exact and case-sensitive; multiple values are OR', () => {
    expect(single('StringEquals', 'aws:username', 'alice', { 'aws:username': 'alice' })).toBe(true);
    expect(single('StringEquals', 'aws:username', 'Alice', { 'aws:username': 'alice' })).toBe(false);
    expect(single('StringEquals', 'aws:username', ['bob', 'alice'], { 'aws:username': 'alice' })).toBe(true);
    expect(single('StringEquals', 'aws:username', 'al*', { 'aws:username': 'alice' })).toBe(false);
  });

  it('StringNotEquals needs the value to differ from all listed values', () => {
    expect(single('StringNotEquals', 'aws:username', ['bob', 'carol'], { 'aws:username': 'alice' })).toBe(true);
    expect(single('StringNotEquals', 'aws:username', ['bob', 'alice'], { 'aws:username': 'alice' })).toBe(false);
  });

  it('IgnoreCase variants', () => {
    expect(single('StringEqualsIgnoreCase', 'aws:username', 'ALICE', { 'aws:username': 'alice' })).toBe(true);
    expect(single('StringNotEqualsIgnoreCase', 'aws:username', 'ALICE', { 'aws:username': 'alice' })).toBe(false);
  });

  it('StringLike / StringNotLike use wildcards', () => {
    expect(single('StringLike', 's3:prefix', 'home/*', { 's3:prefix': 'home/alice/' })).toBe(true);
    expect(single('StringLike', 's3:prefix', ['', 'home/?'], { 's3:prefix': '' })).toBe(true);
    expect(single('StringNotLike', 's3:prefix', 'home/*', { 's3:prefix': 'tmp/x' })).toBe(true);
    expect(single('StringNotLike', 's3:prefix', 'home/*', { 's3:prefix': 'home/x' })).toBe(false);
  });

  it('substitutes variables in 2012-10-17 policies only', () => {
    const ctx = { 's3:prefix': 'home/alice/docs', 'aws:username': 'alice' };
    expect(holds({ StringLike: { 's3:prefix': 'home/${aws:username}/*' } }, ctx)).toBe(true);
    expect(holds({ StringLike: { 's3:prefix': 'home/${aws:username}/*' } }, ctx, '2008-10-17')).toBe(false);
  });

  // IAM User Guide, "Policy variables with no value": "Inverted condition operators like StringNotEquals or
  // StringNotLike do match against a null value, as the value of the condition key they are testing against is
  // not equal to or like the effectively null value."
  it('a variable with no value matches nothing under positive operators, and satisfies negated ones', () => {
    const ctx = { 'aws:username': 'alice', 'aws:userid': 'AIDA1' };
    const noTag = { ...ctx };
    expect(single('StringEquals', 'aws:username', ['${aws:PrincipalTag/team}', 'alice'], noTag)).toBe(true);
    expect(single('StringEquals', 'aws:username', '${aws:PrincipalTag/team}', noTag)).toBe(false);
    expect(single('StringLike', 'aws:username', '${aws:PrincipalTag/team}*', noTag)).toBe(false);
    expect(single('StringNotEquals', 'aws:username', '${aws:PrincipalTag/team}', noTag)).toBe(true);
    expect(single('StringNotLike', 'aws:username', '${aws:PrincipalTag/team}*', noTag)).toBe(true);
    expect(
      single('ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/${aws:PrincipalTag/team}', {
        'aws:PrincipalArn': 'arn:aws:iam::1:role/x',
      }),
    ).toBe(true);
    // A value that does resolve still counts: alice equals alice.
    expect(single('StringNotEquals', 'aws:username', ['${aws:PrincipalTag/team}', 'alice'], noTag)).toBe(false);
  });

  it('condition key names are case-insensitive', () => {
    expect(single('StringEquals', 'AWS:UserName', 'alice', { 'aws:username': 'alice' })).toBe(true);
  });
});

describe('missing keys, IfExists and Null', () => {
  it('positive operators are false, negated operators true when the key is absent', () => {
    expect(single('StringEquals', 'aws:SourceVpce', 'vpce-1', {})).toBe(false);
    expect(single('StringNotEquals', 'aws:SourceVpce', 'vpce-1', {})).toBe(true);
    expect(single('ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Admin', {})).toBe(true);
    expect(single('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', {})).toBe(true);
    expect(single('NumericNotEquals', 's3:max-keys', '10', {})).toBe(true);
  });

  it('IfExists is true when the key is absent and otherwise tests the value', () => {
    expect(single('StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1', {})).toBe(true);
    expect(single('StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1', { 'aws:SourceVpce': 'vpce-2' })).toBe(false);
    expect(single('BoolIfExists', 'aws:MultiFactorAuthPresent', 'false', { 'aws:MultiFactorAuthPresent': 'false' })).toBe(true);
  });

  it('Null tests presence', () => {
    expect(single('Null', 'aws:TokenIssueTime', 'true', {})).toBe(true);
    expect(single('Null', 'aws:TokenIssueTime', 'false', {})).toBe(false);
    expect(single('Null', 'aws:TokenIssueTime', 'false', { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' })).toBe(true);
    expect(single('Null', 'aws:TokenIssueTime', true, {})).toBe(true);
  });
});

describe('numeric, date, bool, binary', () => {
  it('numeric comparisons', () => {
    const ctx = { 's3:max-keys': '10' };
    expect(single('NumericEquals', 's3:max-keys', '10', ctx)).toBe(true);
    expect(single('NumericEquals', 's3:max-keys', '10.0', ctx)).toBe(true);
    expect(single('NumericLessThan', 's3:max-keys', '11', ctx)).toBe(true);
    expect(single('NumericLessThanEquals', 's3:max-keys', '10', ctx)).toBe(true);
    expect(single('NumericGreaterThan', 's3:max-keys', '10', ctx)).toBe(false);
    expect(single('NumericGreaterThanEquals', 's3:max-keys', 10, ctx)).toBe(true);
    expect(single('NumericNotEquals', 's3:max-keys', ['1', '2'], ctx)).toBe(true);
    expect(single('NumericEquals', 's3:max-keys', 'ten', ctx)).toBe(false);
    expect(single('NumericNotEquals', 's3:max-keys', 'ten', ctx)).toBe(false);
  });

  it('date comparisons on ISO 8601 and epoch seconds', () => {
    const ctx = { 'aws:CurrentTime': '2024-06-01T12:00:00Z', 'aws:EpochTime': '1717243200' };
    expect(single('DateLessThan', 'aws:CurrentTime', '2025-01-01T00:00:00Z', ctx)).toBe(true);
    expect(single('DateGreaterThan', 'aws:CurrentTime', '2025-01-01', ctx)).toBe(false);
    expect(single('DateEquals', 'aws:CurrentTime', '2024-06-01T12:00:00Z', ctx)).toBe(true);
    expect(single('DateNotEquals', 'aws:CurrentTime', '2024-06-01T12:00:00Z', ctx)).toBe(false);
    expect(single('DateGreaterThanEquals', 'aws:EpochTime', '1717243200', ctx)).toBe(true);
    expect(single('DateLessThanEquals', 'aws:CurrentTime', '1717243200', ctx)).toBe(true);
  });

  it('Bool compares true/false case-insensitively; JSON booleans work', () => {
    expect(single('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'false' })).toBe(true);
    expect(single('Bool', 'aws:SecureTransport', false, { 'aws:SecureTransport': 'FALSE' })).toBe(true);
    expect(single('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': true })).toBe(false);
    expect(single('Bool', 'aws:SecureTransport', 'yes', { 'aws:SecureTransport': 'true' })).toBe(false);
  });

  it('BinaryEquals compares the base64 text', () => {
    expect(single('BinaryEquals', 'x:key', 'QmluYXJ5', { 'x:key': 'QmluYXJ5' })).toBe(true);
    expect(single('BinaryEquals', 'x:key', 'QmluYXJ5', { 'x:key': 'qmluyxj5' })).toBe(false);
  });
});

describe('IP addresses', () => {
  it('parses IPv4 and IPv6 forms', () => {
    expect(parseIp('10.1.2.3')).toEqual({ version: 4, value: 0x0a010203n });
    expect(parseIp('2001:db8::1')?.version).toBe(6);
    expect(parseIp('::ffff:10.0.0.1')?.value).toBe(parseIp('::ffff:a00:1')?.value);
    expect(parseIp('10.1.2')).toBeNull();
    expect(parseIp('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(inCidr(parseIp('2001:db8::ff')!, parseCidr('2001:db8::/64')!)).toBe(true);
  });

  it('IpAddress / NotIpAddress for v4 and v6 CIDRs', () => {
    const v4 = { 'aws:SourceIp': '203.0.113.7' };
    const v6 = { 'aws:SourceIp': '2001:db8:1::7' };
    expect(single('IpAddress', 'aws:SourceIp', '203.0.113.0/24', v4)).toBe(true);
    expect(single('IpAddress', 'aws:SourceIp', '203.0.113.7', v4)).toBe(true);
    expect(single('IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '203.0.112.0/23'], v4)).toBe(true);
    expect(single('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', v4)).toBe(false);
    expect(single('IpAddress', 'aws:SourceIp', '2001:db8::/32', v6)).toBe(true);
    expect(single('IpAddress', 'aws:SourceIp', '203.0.113.0/24', v6)).toBe(false);
    expect(single('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', v6)).toBe(true);
    expect(single('IpAddress', 'aws:SourceIp', '0.0.0.0/0', v4)).toBe(true);
  });
});

describe('ARN operators', () => {
  const ctx = { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/app/Deployer', 'aws:username': 'Deployer' };
  it('match each of the six parts, wildcards allowed, case-sensitive', () => {
    expect(single('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/app/*', ctx)).toBe(true);
    expect(single('ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/app/*', ctx)).toBe(true);
    expect(single('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/App/*', ctx)).toBe(false);
    expect(single('ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/ops/*', ctx)).toBe(true);
    expect(single('ArnNotEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/app/Deployer', ctx)).toBe(false);
    expect(single('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/app/${aws:username}', ctx)).toBe(true);
    // '*' does not cross a colon: the account part cannot swallow the region's.
    expect(single('ArnLike', 'aws:PrincipalArn', 'arn:aws:*:role/app/Deployer', ctx)).toBe(false);
  });
});

describe('set operators and multivalued keys', () => {
  const ctx = { 'aws:TagKeys': ['env', 'team'] };

  it('ForAnyValue needs one request value to match; false when the key is absent', () => {
    expect(single('ForAnyValue:StringEquals', 'aws:TagKeys', ['team', 'owner'], ctx)).toBe(true);
    expect(single('ForAnyValue:StringEquals', 'aws:TagKeys', ['owner'], ctx)).toBe(false);
    expect(single('ForAnyValue:StringEquals', 'aws:TagKeys', ['owner'], {})).toBe(false);
    expect(single('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['env'], ctx)).toBe(true);
  });

  it('ForAllValues needs every request value to match; true when the key is absent or empty', () => {
    expect(single('ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team', 'owner'], ctx)).toBe(true);
    expect(single('ForAllValues:StringEquals', 'aws:TagKeys', ['env'], ctx)).toBe(false);
    expect(single('ForAllValues:StringEquals', 'aws:TagKeys', ['env'], {})).toBe(true);
    expect(single('ForAllValues:StringEquals', 'aws:TagKeys', ['env'], { 'aws:TagKeys': [] })).toBe(true);
    expect(single('ForAllValues:StringLike', 'aws:TagKeys', ['*e*'], ctx)).toBe(true);
  });

  // Single-valued vs. multivalued context keys: "Multivalued condition keys require condition set operators
  // ForAllValues or ForAnyValue." AWS documents no result without one, so the engine refuses.
  it('a single-valued operator on a multivalued key is refused', () => {
    expect(() => single('StringEquals', 'aws:TagKeys', 'env', ctx)).toThrow(/needs ForAnyValue or ForAllValues/);
    expect(() => single('StringNotEquals', 'aws:TagKeys', 'owner', ctx)).toThrow(IamPolicyError);
  });

  it('set operators treat a single-valued key as a one-element set', () => {
    expect(single('ForAnyValue:StringEquals', 'aws:username', 'alice', { 'aws:username': 'alice' })).toBe(true);
  });
});

describe('condition blocks', () => {
  it('ANDs operators and keys', () => {
    const block = { StringEquals: { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'blue' }, Bool: { 'aws:SecureTransport': 'true' } };
    const ok = { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'blue', 'aws:SecureTransport': 'true' };
    expect(holds(block, ok)).toBe(true);
    expect(holds(block, { ...ok, 'aws:SecureTransport': 'false' })).toBe(false);
    expect(holds(block, { ...ok, 'aws:PrincipalTag/team': 'red' })).toBe(false);
  });

  it('evaluates a parsed condition directly', () => {
    const cond: ParsedCondition = { operator: 'StringLike', base: 'StringLike', ifExists: false, key: 'k', values: ['a*'] };
    expect(conditionMatches(cond, new ContextLookup({ k: 'abc' }), true)).toBe(true);
  });
});
