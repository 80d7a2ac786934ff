/**
 * drift-compare: CloudFormation's drift semantics on one resource, without
 * any SDK. Cases follow "Detect unmanaged configuration changes to stacks
 * and resources with drift detection" (CloudFormation User Guide) and
 * "PropertyDifference" / "StackResourceDrift" (CloudFormation API Reference).
 */
import { asText, canonicalExpected, compareResource, isDriftSupported, sgRule } from './drift-compare';

describe('compareResource', () => {
  test('identical values are IN_SYNC, whatever the template wrote numbers and booleans as', () => {
    const r = compareResource(
      'AWS::Logs::LogGroup',
      { LogGroupName: '/a', RetentionInDays: '30' },
      { LogGroupName: '/a', RetentionInDays: 30 },
    );
    expect(r).toMatchObject({ status: 'IN_SYNC', differences: [] });
    const t = compareResource(
      'AWS::DynamoDB::Table',
      { TimeToLiveSpecification: { AttributeName: 'exp', Enabled: 'true' } },
      { TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } },
    );
    expect(t.status).toBe('IN_SYNC');
  });

  test('only properties set in the template are compared: a changed default is not drift', () => {
    const r = compareResource('AWS::Lambda::Function', { Timeout: 10 }, { Timeout: 10, MemorySize: 1024, Description: 'changed' });
    expect(r.status).toBe('IN_SYNC');
    expect(r.expected).toEqual({ Timeout: 10 });
    expect(r.actual).toEqual({ Timeout: 10 });
  });

  test('properties the type does not compare are ignored, even when set', () => {
    const r = compareResource('AWS::Logs::LogGroup', { LogGroupName: '/a', Tags: [{ Key: 'k', Value: 'v' }] }, { LogGroupName: '/a' });
    expect(r.status).toBe('IN_SYNC');
  });

  test('a changed scalar is NOT_EQUAL at its path, values as text', () => {
    const r = compareResource('AWS::SSM::Parameter', { Value: 'a' }, { Value: 'b' });
    expect(r.differences).toEqual([{ propertyPath: '/Value', expectedValue: 'a', actualValue: 'b', differenceType: 'NOT_EQUAL' }]);
  });

  test('a property gone from the live resource is REMOVE, its actual value "null"', () => {
    const r = compareResource('AWS::Logs::LogGroup', { RetentionInDays: 30 }, {});
    expect(r.differences).toEqual([
      { propertyPath: '/RetentionInDays', expectedValue: '30', actualValue: 'null', differenceType: 'REMOVE' },
    ]);
  });

  test('a key added to an object the template set is ADD; nested paths use /', () => {
    const r = compareResource(
      'AWS::Lambda::Function',
      { Environment: { Variables: { MODE: 'a' } } },
      { Environment: { Variables: { MODE: 'b', DEBUG: '1' } } },
    );
    expect(r.differences).toEqual([
      { propertyPath: '/Environment/Variables/MODE', expectedValue: 'a', actualValue: 'b', differenceType: 'NOT_EQUAL' },
      { propertyPath: '/Environment/Variables/DEBUG', expectedValue: 'null', actualValue: '1', differenceType: 'ADD' },
    ]);
  });

  test('set-like lists match in any order; extra live items are ADD, missing ones REMOVE', () => {
    const inSync = compareResource('AWS::IAM::Role', { ManagedPolicyArns: ['arn:b', 'arn:a'] }, { ManagedPolicyArns: ['arn:a', 'arn:b'] });
    expect(inSync.status).toBe('IN_SYNC');
    const r = compareResource(
      'AWS::IAM::Role',
      { ManagedPolicyArns: ['arn:a', 'arn:c'] },
      { ManagedPolicyArns: ['arn:z', 'arn:b', 'arn:a'] },
    );
    // Live items are indexed in canonical (sorted) order: arn:a, arn:b, arn:z.
    expect(r.differences).toEqual([
      { propertyPath: '/ManagedPolicyArns/1', expectedValue: 'arn:c', actualValue: 'null', differenceType: 'REMOVE' },
      { propertyPath: '/ManagedPolicyArns/1', expectedValue: 'null', actualValue: 'arn:b', differenceType: 'ADD' },
      { propertyPath: '/ManagedPolicyArns/2', expectedValue: 'null', actualValue: 'arn:z', differenceType: 'ADD' },
    ]);
  });

  test('named items (inline policies) are matched by name and compared inside', () => {
    const doc = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    const r = compareResource(
      'AWS::IAM::Role',
      { Policies: [{ PolicyName: 'p', PolicyDocument: JSON.stringify(doc('s3:GetObject')) }] },
      {
        Policies: [
          { PolicyName: 'q', PolicyDocument: doc('sqs:*') },
          { PolicyName: 'p', PolicyDocument: doc('s3:*') },
        ],
      },
    );
    expect(r.differences).toEqual([
      {
        propertyPath: '/Policies/0/PolicyDocument/Statement/0/Action',
        expectedValue: 's3:GetObject',
        actualValue: 's3:*',
        differenceType: 'NOT_EQUAL',
      },
      {
        propertyPath: '/Policies/1',
        expectedValue: 'null',
        actualValue: JSON.stringify({ PolicyName: 'q', PolicyDocument: doc('sqs:*') }),
        differenceType: 'ADD',
      },
    ]);
  });

  test('ordered lists compare position by position', () => {
    const r = compareResource(
      'AWS::DynamoDB::Table',
      { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
      { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] },
    );
    expect(r.differences).toEqual([
      { propertyPath: '/KeySchema/0/AttributeName', expectedValue: 'id', actualValue: 'pk', differenceType: 'NOT_EQUAL' },
    ]);
  });

  test('a deleted resource is DELETED with no property structures', () => {
    expect(compareResource('AWS::SSM::Parameter', { Value: 'a' }, undefined)).toEqual({ status: 'DELETED', differences: [] });
  });

  test('unsupported types are refused (the engine reports them NOT_CHECKED)', () => {
    expect(isDriftSupported('AWS::EC2::VPC')).toBe(false);
    expect(() => compareResource('AWS::EC2::VPC', {}, {})).toThrow(/does not support/);
  });
});

describe('security group rules', () => {
  test('template and live rules meet in one canonical shape (protocol names, ports, -1 without ports)', () => {
    expect(sgRule({ IpProtocol: '6', FromPort: '443', ToPort: 443, CidrIp: '10.0.0.0/8' }, false)).toEqual({
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      CidrIp: '10.0.0.0/8',
    });
    expect(sgRule({ IpProtocol: 'all', FromPort: -1, ToPort: -1, CidrIp: '0.0.0.0/0' }, true)).toEqual({
      IpProtocol: '-1',
      CidrIp: '0.0.0.0/0',
    });
    const template = canonicalExpected('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '1.2.3.4/32' }],
    });
    expect(template.SecurityGroupIngress).toEqual([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '1.2.3.4/32' }]);
  });
});

test('asText: scalars as text, structures as JSON, missing as "null"', () => {
  expect([asText(30), asText(true), asText('x'), asText(undefined), asText(null), asText({ a: [1] })]).toEqual([
    '30',
    'true',
    'x',
    'null',
    'null',
    '{"a":[1]}',
  ]);
});
