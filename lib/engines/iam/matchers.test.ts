import { splitArn } from './arn';
import { ContextLookup } from './context';
import { actionMatches, resourceMatches } from './matchers';
import { NO_VALUE, resolveLiteral, resolvePattern } from './variables';
import type { PatternToken } from './wildcard';
import { globMatch, matchTokens } from './wildcard';

const arn = (s: string) => splitArn(s)!;

describe('wildcards', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'ac', true],
    ['a*c', 'acb', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*a*a*', 'banana', true],
    ['*x*', 'banana', false],
    ['ab', 'AB', false],
    ['a**b?', 'azzbq', true],
  ])('%s vs %s -> %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });

  it('compares case-insensitively on request', () => {
    expect(globMatch('GetObj*', 'getobject', true)).toBe(true);
  });
});

describe('actions', () => {
  it('matches service exactly and name with wildcards, ignoring case', () => {
    expect(actionMatches('s3:Get*', 's3:GetObject')).toBe(true);
    expect(actionMatches('S3:getobject', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:Get*', 's3:PutObject')).toBe(false);
    expect(actionMatches('s3:*', 'dynamodb:GetItem')).toBe(false);
    expect(actionMatches('*', 'dynamodb:GetItem')).toBe(true);
    expect(actionMatches('s3:*Object', 's3:DeleteObject')).toBe(true);
  });
});

describe('policy variables', () => {
  const ctx = new ContextLookup({ 'aws:username': 'alice', 'aws:PrincipalTag/team': 'blue', 'aws:TagKeys': ['a', 'b'], 'x:star': 'a*b' });

  it('substitutes case-insensitive keys and tag keys', () => {
    expect(resolveLiteral('home/${aws:username}/', ctx, true)).toBe('home/alice/');
    expect(resolveLiteral('${AWS:PrincipalTag/team}', ctx, true)).toBe('blue');
  });

  it('keeps ${...} literal in 2008-10-17 policies', () => {
    expect(resolveLiteral('home/${aws:username}', ctx, false)).toBe('home/${aws:username}');
  });

  it('supports ${*}, ${?} and ${$} as literal characters', () => {
    const tokens = resolvePattern('a${*}b${?}${$}', ctx, { wildcards: true, variables: true }) as PatternToken[];
    expect(matchTokens(tokens, 'a*b?$')).toBe(true);
    expect(matchTokens(tokens, 'axb?$')).toBe(false);
  });

  it('uses the default when the key is missing', () => {
    expect(resolveLiteral("${aws:userid, 'anonymous'}", ctx, true)).toBe('anonymous');
  });

  it('has no value without a default', () => {
    expect(resolveLiteral('${aws:userid}', ctx, true)).toBe(NO_VALUE);
  });

  // Policy variables: "You can't use a multivalued condition key as a variable."
  it('refuses a key with several values as a variable', () => {
    expect(() => resolveLiteral('${aws:TagKeys}', ctx, true)).toThrow(/several values/);
    expect(() => resolveLiteral("${aws:TagKeys, 'none'}", ctx, true)).toThrow(/several values/);
  });

  it('treats substituted text as literal, never as wildcards', () => {
    const tokens = resolvePattern('${x:star}', ctx, { wildcards: true, variables: true }) as PatternToken[];
    expect(matchTokens(tokens, 'a*b')).toBe(true);
    expect(matchTokens(tokens, 'axxb')).toBe(false);
  });
});

describe('resources', () => {
  const ctx = new ContextLookup({ 'aws:username': 'alice' });
  const object = arn('arn:aws:s3:::prod-bucket/exports/2024/report.csv');

  it('matches "*" and ARN patterns with wildcards', () => {
    expect(resourceMatches('*', object, ctx, true)).toBe(true);
    expect(resourceMatches('arn:aws:s3:::prod-bucket/*', object, ctx, true)).toBe(true);
    expect(resourceMatches('arn:aws:s3:::prod-bucket/exports/*', object, ctx, true)).toBe(true);
    expect(resourceMatches('arn:aws:s3:::prod-bucket', object, ctx, true)).toBe(false);
    expect(resourceMatches('arn:aws:s3:::*-bucket/*/20??/*', object, ctx, true)).toBe(true);
  });

  it('is case-sensitive in the resource part only', () => {
    expect(resourceMatches('arn:aws:s3:::Prod-bucket/*', object, ctx, true)).toBe(false);
    expect(resourceMatches('arn:AWS:S3:::prod-bucket/*', object, ctx, true)).toBe(true);
  });

  it('matches region and account wildcards per segment', () => {
    const table = arn('arn:aws:dynamodb:us-east-1:111122223333:table/Orders');
    expect(resourceMatches('arn:aws:dynamodb:*:*:table/Orders', table, ctx, true)).toBe(true);
    expect(resourceMatches('arn:aws:dynamodb:us-*:111122223333:table/*', table, ctx, true)).toBe(true);
    expect(resourceMatches('arn:aws:dynamodb:eu-*:111122223333:table/*', table, ctx, true)).toBe(false);
    expect(resourceMatches('arn:aws:dynamodb:us-east-1:444455556666:table/Orders', table, ctx, true)).toBe(false);
  });

  it('substitutes variables in the resource part', () => {
    const home = arn('arn:aws:s3:::home/alice/notes.txt');
    expect(resourceMatches('arn:aws:s3:::home/${aws:username}/*', home, ctx, true)).toBe(true);
    // "the resource that includes a policy variable with no value will not match any resource" (Policy variables with no value)
    expect(resourceMatches('arn:aws:s3:::home/${aws:userid}/*', home, ctx, true)).toBe(false);
  });

  it('does not match a specific ARN against a "*" request resource, and fails closed on non-ARNs', () => {
    expect(resourceMatches('arn:aws:s3:::b', '*', ctx, true)).toBe(false);
    expect(() => resourceMatches('bucket/*', object, ctx, true)).toThrow(/is not "\*" or an ARN/);
  });
});
