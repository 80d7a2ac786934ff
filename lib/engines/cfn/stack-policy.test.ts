/**
 * Stack-policy semantics, each case from the CloudFormation User Guide's
 * "Prevent updates to stack resources" (protect-stack-resources.html); the
 * quoted sentence is the rule the case holds the module to.
 */
import { StackPolicyError, StackResourceChange, decideStackUpdate, parseStackPolicy } from './stack-policy';

const modifyDb: StackResourceChange = { action: 'Update:Modify', logicalId: 'ProductionDatabase', resourceType: 'AWS::RDS::DBInstance' };
const modifyLogs: StackResourceChange = { action: 'Update:Modify', logicalId: 'OrdersApiLogGroup', resourceType: 'AWS::Logs::LogGroup' };
const deleteLogs: StackResourceChange = { ...modifyLogs, action: 'Update:Delete' };
const replaceDb: StackResourceChange = { ...modifyDb, action: 'Update:Replace' };

const decide = (policy: object | string | undefined, change: StackResourceChange) =>
  decideStackUpdate(parseStackPolicy(typeof policy === 'string' || policy === undefined ? policy : JSON.stringify(policy)), change);

const ALLOW_ALL = { Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' };

describe('no policy', () => {
  // "When you create a stack, no stack policy is set, so all update actions are allowed on all resources."
  test.each([undefined, '', '   '])('body %p allows every update', (body) => {
    const d = decide(body, replaceDb);
    expect(d).toMatchObject({ allowed: true, decidedBy: 'no-policy' });
    expect(d.sentence).toBe('No stack policy is set, so Update:Replace on ProductionDatabase (AWS::RDS::DBInstance) is allowed.');
  });
});

describe('default deny once a policy is set', () => {
  // "When you set a stack policy on your stack, any update not explicitly allowed is denied by default."
  test('a deny-only policy for one resource denies updates to every other resource too', () => {
    const policy = { Statement: [{ Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/OrdersTable' }] };
    const d = decide(policy, modifyLogs);
    expect(d).toMatchObject({ allowed: false, decidedBy: 'default-deny' });
    expect(d.statement).toBeUndefined();
    expect(d.sentence).toMatch(/no statement allowing Update:Modify on OrdersApiLogGroup \(AWS::Logs::LogGroup\)/);
  });

  test('an Allow for one resource leaves the others denied', () => {
    const policy = {
      Statement: [{ Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/OrdersApiLogGroup' }],
    };
    expect(decide(policy, modifyLogs)).toMatchObject({ allowed: true, decidedBy: 'allow', statement: { index: 1 } });
    expect(decide(policy, modifyDb)).toMatchObject({ allowed: false, decidedBy: 'default-deny' });
  });
});

describe('Deny overrides Allow', () => {
  // The page's first example: "the explicit Deny statement overrides it for the resource with the ProductionDatabase logical ID".
  const example = {
    Statement: [
      ALLOW_ALL,
      { Sid: 'KeepDb', Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/ProductionDatabase' },
    ],
  };
  test('the protected resource is denied, by the Deny statement', () => {
    const d = decide(example, modifyDb);
    expect(d).toMatchObject({ allowed: false, decidedBy: 'deny', statement: { index: 2, sid: 'KeepDb' } });
    expect(d.sentence).toBe(
      "The stack policy's statement 2 (Sid KeepDb) denies Update:Modify on ProductionDatabase (AWS::RDS::DBInstance).",
    );
  });
  test('every other resource is allowed by the Allow statement', () => {
    expect(decide(example, modifyLogs)).toMatchObject({ allowed: true, decidedBy: 'allow', statement: { index: 1 } });
  });
});

describe('Action and NotAction', () => {
  // "The following example shows how to specify just the replace and delete actions: ["Update:Replace", "Update:Delete"]"
  const replaceDelete = {
    Statement: [
      ALLOW_ALL,
      { Effect: 'Deny', Action: ['Update:Replace', 'Update:Delete'], Principal: '*', Resource: 'LogicalResourceId/ProductionDatabase' },
    ],
  };
  test('denying replace and delete still allows modify', () => {
    expect(decide(replaceDelete, modifyDb).allowed).toBe(true);
    expect(decide(replaceDelete, replaceDb)).toMatchObject({ allowed: false, decidedBy: 'deny', statement: { index: 2 } });
  });
  // "to allow all update actions except for Update:Delete, use NotAction"
  test('NotAction Update:Delete allows modify and leaves delete denied', () => {
    const policy = { Statement: [{ Effect: 'Allow', NotAction: 'Update:Delete', Principal: '*', Resource: '*' }] };
    expect(decide(policy, modifyLogs).allowed).toBe(true);
    expect(decide(policy, deleteLogs)).toMatchObject({ allowed: false, decidedBy: 'default-deny' });
  });
  // "Update:* Specifies all update actions. The asterisk is a wild card that represents all update actions."
  test('Update:* covers replace and delete', () => {
    const policy = { Statement: [ALLOW_ALL] };
    expect(decide(policy, replaceDb).allowed).toBe(true);
    expect(decide(policy, deleteLogs).allowed).toBe(true);
  });
});

describe('Resource and NotResource', () => {
  // "You can use a wild card with logical IDs ... "LogicalResourceId/CriticalResource*""
  test('a wildcard logical ID names every resource with that prefix, and only those', () => {
    const policy = {
      Statement: [ALLOW_ALL, { Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/Production*' }],
    };
    expect(decide(policy, modifyDb).allowed).toBe(false);
    expect(decide(policy, modifyLogs).allowed).toBe(true);
  });
  test('logical IDs compare with their case', () => {
    const policy = {
      Statement: [ALLOW_ALL, { Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/productiondatabase' }],
    };
    expect(decide(policy, modifyDb).allowed).toBe(true);
  });
  // "By allowing updates to all resources except for the ProductionDatabase resource, you deny updates to the ProductionDatabase resource."
  test('NotResource allows every resource but the one it names', () => {
    const policy = {
      Statement: [{ Effect: 'Allow', Action: 'Update:*', Principal: '*', NotResource: 'LogicalResourceId/ProductionDatabase' }],
    };
    expect(decide(policy, modifyLogs).allowed).toBe(true);
    expect(decide(policy, modifyDb)).toMatchObject({ allowed: false, decidedBy: 'default-deny' });
  });
});

describe('Condition on ResourceType', () => {
  // The page's example: Deny Update:* where StringEquals ResourceType is AWS::EC2::Instance or AWS::RDS::DBInstance, then Allow all.
  const byType = {
    Statement: [
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'Update:*',
        Resource: '*',
        Condition: { StringEquals: { ResourceType: ['AWS::EC2::Instance', 'AWS::RDS::DBInstance'] } },
      },
      ALLOW_ALL,
    ],
  };
  test('StringEquals denies the listed types, and any of the values may match', () => {
    expect(decide(byType, modifyDb)).toMatchObject({ allowed: false, decidedBy: 'deny', statement: { index: 1 } });
    expect(decide(byType, modifyLogs)).toMatchObject({ allowed: true, statement: { index: 2 } });
  });
  // "You must use the StringLike condition when you use wild cards."
  test('StringLike takes wildcards; StringEquals takes them literally', () => {
    const like = (op: string) => ({
      Statement: [
        ALLOW_ALL,
        { Effect: 'Deny', Principal: '*', Action: 'Update:*', Resource: '*', Condition: { [op]: { ResourceType: 'AWS::Logs::*' } } },
      ],
    });
    expect(decide(like('StringLike'), modifyLogs).allowed).toBe(false);
    expect(decide(like('StringLike'), modifyDb).allowed).toBe(true);
    expect(decide(like('StringEquals'), modifyLogs).allowed).toBe(true);
  });
  test('an Allow whose condition names another type allows nothing for this one', () => {
    const policy = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'Update:*',
          Resource: '*',
          Condition: { StringEquals: { ResourceType: 'AWS::DynamoDB::Table' } },
        },
      ],
    };
    expect(decide(policy, modifyLogs)).toMatchObject({ allowed: false, decidedBy: 'default-deny' });
  });
});

describe('what the page does not define is refused, never skipped', () => {
  // "The Principal element is required, but supports only the wild card (*)"
  test.each([
    ['a principal other than *', { Statement: [{ ...ALLOW_ALL, Principal: { AWS: '*' } }] }, /Principal/],
    ['no principal', { Statement: [{ Effect: 'Allow', Action: 'Update:*', Resource: '*' }] }, /Principal/],
    ['an IAM action', { Statement: [{ ...ALLOW_ALL, Action: 'cloudformation:UpdateStack' }] }, /not an update action/],
    ['an ARN resource', { Statement: [{ ...ALLOW_ALL, Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/t' }] }, /neither/],
    [
      'another condition operator',
      { Statement: [{ ...ALLOW_ALL, Condition: { StringNotEquals: { ResourceType: 'AWS::S3::Bucket' } } }] },
      /operator/,
    ],
    ['another condition key', { Statement: [{ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:username': 'ada' } } }] }, /condition key/],
    ['an unknown element', { Statement: [{ ...ALLOW_ALL, Effects: 'Allow' }] }, /do not define/],
    ['both Action and NotAction', { Statement: [{ ...ALLOW_ALL, NotAction: 'Update:Delete' }] }, /exactly one/],
    ['no Statement', { Version: '2012-10-17' }, /no Statement/],
  ])('%s', (_name, policy, message) => {
    expect(() => parseStackPolicy(JSON.stringify(policy))).toThrow(StackPolicyError);
    expect(() => parseStackPolicy(JSON.stringify(policy))).toThrow(message);
  });
  test('a body that is not JSON', () => {
    expect(() => parseStackPolicy('Statement: []')).toThrow(/not a JSON document/);
  });
});
