/**
 * The documented rules issue 10 lists, one describe per rule, each quoting the AWS documentation page
 * (title) and the sentence it tests. The AWS documentation is the ground truth, not any oracle.
 */
import {
  evaluate,
  IamPolicyError,
  IndeterminateError,
  type IamRequest,
  type NamedPolicy,
  type PolicySet,
  type RequestContext,
} from './index';

const A = '111122223333';
const B = '444455556666';
const ROLE = `arn:aws:iam::${A}:role/worker`;
const SESSION = `arn:aws:sts::${A}:assumed-role/worker/s1`;
const USER = `arn:aws:iam::${A}:user/carlossalazar`;
const QUEUE = `arn:aws:sqs:us-east-2:${A}:queue1`;

const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const policy = (name: string, ...Statement: object[]): NamedPolicy => ({ name, document: doc(...Statement) });
const complete = (values: RequestContext) => ({ values, unknown: [] as string[] });

function req(action: string, resourceArn: string, context: RequestContext = {}, principalArn = SESSION): IamRequest {
  return { principalArn, action, resourceArn, resourceAccount: A, context: complete({ 'aws:PrincipalArn': ROLE, ...context }) };
}
const decide = (r: IamRequest, p: PolicySet) => evaluate(r, p).decision;

describe('IAM JSON policy elements: Resource — a trailing * expands past colons', () => {
  // "If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries."
  const allowSqs = policy('AllowSqs', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' });

  it('a Deny on arn:aws:sqs:* applies to a queue (it is not silently ignored)', () => {
    const deny = policy('DenyAllQueues', { Sid: 'NoQueues', Effect: 'Deny', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:*' });
    const result = evaluate(req('sqs:SendMessage', QUEUE), { identity: [allowSqs, deny] });
    expect(result.decision).toBe('ExplicitlyDenied');
    expect(result.decidingStatements.map((s) => s.sid)).toEqual(['NoQueues']);
  });

  it('an Allow on arn:aws:sqs:us-east-2:* grants a queue in that region and no other', () => {
    const allow = policy('Ohio', { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-2:*' });
    expect(decide(req('sqs:SendMessage', QUEUE), { identity: [allow] })).toBe('Allowed');
    expect(decide(req('sqs:SendMessage', `arn:aws:sqs:eu-west-1:${A}:queue1`), { identity: [allow] })).toBe('ImplicitlyDenied');
    expect(decide(req('sqs:SendMessage', 'arn:aws:s3:::bucket/key'), { identity: [allow] })).toBe('ImplicitlyDenied');
  });

  it('a shortened ARN that does not end with * names no resource: the policy fails closed', () => {
    const bad = policy('Bad', { Effect: 'Deny', Action: 'sqs:*', Resource: 'arn:aws:sqs' });
    expect(() => evaluate(req('sqs:SendMessage', QUEUE), { identity: [allowSqs, bad] })).toThrow(IamPolicyError);
  });
});

describe('Policy variables with no value', () => {
  // "Inverted condition operators like StringNotEquals or StringNotLike do match against a null value, as the value
  // of the condition key they are testing against is not equal to or like the effectively null value."
  // "For example, aws:principaltag/Team must be equal to s3:ExistingObjectTag/Team to allow access. Access is
  // specifically denied when aws:principaltag/Team is not set."
  const allowGet = policy('AllowGet', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
  const teamGuard = policy('TeamGuard', {
    Sid: 'SameTeamOnly',
    Effect: 'Deny',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::example-bucket/*',
    Condition: { StringNotEquals: { 's3:ExistingObjectTag/Team': '${aws:PrincipalTag/Team}' } },
  });
  const object = 'arn:aws:s3:::example-bucket/report.csv';

  it('denies a principal without the Team tag (the doc example)', () => {
    const r = req('s3:GetObject', object, { 's3:ExistingObjectTag/Team': 'blue' });
    expect(decide(r, { identity: [allowGet, teamGuard] })).toBe('ExplicitlyDenied');
  });

  it('lets the same team through and denies another team', () => {
    expect(
      decide(req('s3:GetObject', object, { 's3:ExistingObjectTag/Team': 'blue', 'aws:PrincipalTag/Team': 'blue' }), {
        identity: [allowGet, teamGuard],
      }),
    ).toBe('Allowed');
    expect(
      decide(req('s3:GetObject', object, { 's3:ExistingObjectTag/Team': 'blue', 'aws:PrincipalTag/Team': 'red' }), {
        identity: [allowGet, teamGuard],
      }),
    ).toBe('ExplicitlyDenied');
  });

  it('ArnNotLike and StringNotLike match too; StringEquals and StringLike do not', () => {
    const cond = (Condition: object) => policy('P', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition });
    const r = req('s3:GetObject', object, { 'aws:username': 'alice' });
    expect(
      decide(r, { identity: [cond({ ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/\${aws:PrincipalTag/Team}` } })] }),
    ).toBe('Allowed');
    expect(decide(r, { identity: [cond({ StringNotLike: { 'aws:username': '${aws:PrincipalTag/Team}*' } })] })).toBe('Allowed');
    expect(decide(r, { identity: [cond({ StringEquals: { 'aws:username': '${aws:PrincipalTag/Team}' } })] })).toBe('ImplicitlyDenied');
    expect(decide(r, { identity: [cond({ StringLike: { 'aws:username': '${aws:PrincipalTag/Team}*' } })] })).toBe('ImplicitlyDenied');
  });

  // "If a variable that has no value in the authorization context is used as part of the Resource or NotResource
  // element of a policy, the resource that includes a policy variable with no value will not match any resource."
  it('a Resource entry with a variable with no value matches no resource', () => {
    const home = policy('Home', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:PrincipalTag/Team}/*' });
    expect(decide(req('s3:GetObject', 'arn:aws:s3:::home/blue/x'), { identity: [home] })).toBe('ImplicitlyDenied');
    expect(decide(req('s3:GetObject', 'arn:aws:s3:::home/blue/x', { 'aws:PrincipalTag/Team': 'blue' }), { identity: [home] })).toBe(
      'Allowed',
    );
  });

  it('a NotResource entry with a variable with no value excludes nothing, so a Deny with it applies', () => {
    const deny = policy('DenyOutsideHome', {
      Sid: 'OutsideHome',
      Effect: 'Deny',
      Action: 's3:GetObject',
      NotResource: 'arn:aws:s3:::home/${aws:PrincipalTag/Team}/*',
    });
    expect(decide(req('s3:GetObject', 'arn:aws:s3:::home/blue/x'), { identity: [allowGet, deny] })).toBe('ExplicitlyDenied');
    expect(
      decide(req('s3:GetObject', 'arn:aws:s3:::home/blue/x', { 'aws:PrincipalTag/Team': 'blue' }), { identity: [allowGet, deny] }),
    ).toBe('Allowed');
  });
});

describe('Single-valued vs. multivalued context keys — ForAllValues over an empty string', () => {
  // ForAllValues: "It also returns true if there are no keys in the request, or if the key values resolve to a null
  // data set, such as an empty string." ForAnyValue: "For no matching key or a null dataset, the condition returns false."
  const tags = (op: string) =>
    policy('Tags', { Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*', Condition: { [op]: { 'aws:TagKeys': ['env', 'team'] } } });
  const instance = `arn:aws:ec2:us-east-1:${A}:instance/i-1`;

  it.each([
    ['ForAllValues:StringEquals', '', 'Allowed'],
    ['ForAllValues:StringEquals', [] as string[], 'Allowed'],
    ['ForAllValues:StringEquals', ['env', 'owner'], 'ImplicitlyDenied'],
    ['ForAnyValue:StringEquals', '', 'ImplicitlyDenied'],
    ['ForAnyValue:StringEquals', ['owner', 'env'], 'Allowed'],
  ])('%s with aws:TagKeys = %j is %s', (op, value, expected) => {
    expect(decide(req('ec2:CreateTags', instance, { 'aws:TagKeys': value }), { identity: [tags(op)] })).toBe(expected);
  });
});

describe('Policy evaluation logic — actions without resource-level permissions and service-wide Resource patterns', () => {
  // Example identity-based and resource-based policy evaluation: "The AllowS3ListRead statement in this policy
  // allows Carlos to view a list of all of the buckets in the account." (Resource "arn:aws:s3:::*"), while the
  // same policy's DenyS3Logs statement (s3:* on "arn:aws:s3:::*log*") "denies Carlos access to any S3 bucket with
  // log in its name" and does not stop the listing.
  const carlos = policy(
    'carlossalazar',
    {
      Sid: 'AllowS3ListRead',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:GetAccountPublicAccessBlock', 's3:ListAccessPoints', 's3:ListAllMyBuckets'],
      Resource: 'arn:aws:s3:::*',
    },
    { Sid: 'AllowS3Self', Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'] },
    { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
  );
  const asCarlos = (action: string, resource: string) => ({
    ...req(action, resource),
    principalArn: USER,
    context: complete({ 'aws:username': 'carlossalazar' }),
  });

  it('lists all buckets with arn:aws:s3:::* (the action takes no resource ARN)', () => {
    const result = evaluate(asCarlos('s3:ListAllMyBuckets', '*'), { identity: [carlos] });
    expect(result.decision).toBe('Allowed');
    expect(result.decidingStatements.map((s) => s.sid)).toEqual(['AllowS3ListRead']);
  });

  it('is denied saving to carlossalazar-logs and allowed saving to carlossalazar', () => {
    expect(decide(asCarlos('s3:PutObject', 'arn:aws:s3:::carlossalazar-logs/f'), { identity: [carlos] })).toBe('ExplicitlyDenied');
    expect(decide(asCarlos('s3:PutObject', 'arn:aws:s3:::carlossalazar/f'), { identity: [carlos] })).toBe('Allowed');
  });

  it('a bucket-specific ARN does not grant an action that takes no resource, nor does another service’s pattern', () => {
    const own = policy('Own', {
      Effect: 'Allow',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::carlossalazar', 'arn:aws:s3:::carlossalazar/*'],
    });
    expect(decide(asCarlos('s3:ListAllMyBuckets', '*'), { identity: [own] })).toBe('ImplicitlyDenied');
    const sqsWide = policy('SqsWide', { Effect: 'Allow', Action: '*', Resource: 'arn:aws:sqs:*' });
    expect(decide(asCarlos('s3:ListAllMyBuckets', '*'), { identity: [sqsWide] })).toBe('ImplicitlyDenied');
    expect(decide(asCarlos('sqs:ListQueues', '*'), { identity: [sqsWide] })).toBe('Allowed');
  });
});

describe('Bool with a policy variable (the engine README records the choice between two pages)', () => {
  // IAM JSON policy elements: Condition operators, Boolean condition operators: "You can use a policy variable with
  // the Bool condition operator" — chosen over "Policy variables", which lists Boolean among the operators that
  // take no variable.
  it('substitutes the variable', () => {
    const p = policy('P', {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': '${aws:PrincipalTag/tls}' } },
    });
    const object = 'arn:aws:s3:::b/k';
    expect(decide(req('s3:GetObject', object, { 'aws:SecureTransport': 'true', 'aws:PrincipalTag/tls': 'true' }), { identity: [p] })).toBe(
      'Allowed',
    );
    expect(decide(req('s3:GetObject', object, { 'aws:SecureTransport': 'false', 'aws:PrincipalTag/tls': 'true' }), { identity: [p] })).toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('Policy evaluation logic — role trust policies must explicitly allow the principal', () => {
  // "IAM role trust policies and KMS key policies are exceptions to this logic, because they must explicitly allow
  // access for principals." AssumeRole (AWS STS API Reference): "To allow a user to assume a role in the same
  // account, you can do either of the following: Attach a policy to the user that allows the user to call
  // AssumeRole (as long as the role's trust policy trusts the account). Add the user as a principal directly in
  // the role's trust policy."
  const target = `arn:aws:iam::${A}:role/deployer`;
  const assume = policy('MayAssume', { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: target });
  const trust = (Principal: unknown): NamedPolicy => ({
    name: 'deployer',
    document: doc({ Effect: 'Allow', Principal, Action: 'sts:AssumeRole' }),
  });
  const asUser = (principalArn = USER): IamRequest => ({
    principalArn,
    action: 'sts:AssumeRole',
    resourceArn: target,
    context: complete({}),
  });

  it('an identity-based Allow alone does not suffice when the trust policy names someone else', () => {
    const result = evaluate(asUser(), { identity: [assume], resource: trust({ AWS: `arn:aws:iam::${A}:role/other` }) });
    expect(result.decision).toBe('ImplicitlyDenied');
    expect(result.implicitDeny).toEqual({ gate: 'trust-or-key-policy', policyKind: 'trust policy', policyName: 'deployer' });
  });

  it('a trust policy naming the account needs the identity-based Allow too', () => {
    expect(decide(asUser(), { identity: [assume], resource: trust({ AWS: `arn:aws:iam::${A}:root` }) })).toBe('Allowed');
    expect(decide(asUser(), { resource: trust({ AWS: `arn:aws:iam::${A}:root` }) })).toBe('ImplicitlyDenied');
  });

  it('a trust policy naming the user directly suffices on its own', () => {
    expect(decide(asUser(), { resource: trust({ AWS: USER }) })).toBe('Allowed');
  });

  // Modifying a role trust policy: "If a user is listed as the principal in a role's trust policy but cannot assume the
  // role, check the user's permissions boundary. If a permissions boundary is set for the user, then it must allow
  // the sts:AssumeRole action."
  it('the user’s permissions boundary must still allow sts:AssumeRole', () => {
    const boundary = policy('Boundary', { Effect: 'Allow', Action: 's3:*', Resource: '*' });
    const result = evaluate(asUser(), { resource: trust({ AWS: USER }), permissionsBoundary: boundary });
    expect(result.implicitDeny).toEqual({ gate: 'permissions-boundary', policyName: 'Boundary' });
  });

  it('service principals assume a role only if the trust policy names the service', () => {
    const ecs: IamRequest = {
      principalArn: 'ecs-tasks.amazonaws.com',
      action: 'sts:AssumeRole',
      resourceArn: target,
      context: complete({}),
    };
    expect(decide(ecs, { resource: trust({ Service: 'ecs-tasks.amazonaws.com' }) })).toBe('Allowed');
    expect(decide(ecs, { resource: trust({ Service: 'lambda.amazonaws.com' }) })).toBe('ImplicitlyDenied');
    expect(decide(ecs, { resource: trust({ AWS: `arn:aws:iam::${A}:root` }) })).toBe('ImplicitlyDenied');
  });

  it('cross-account: the trust policy and the caller’s identity-based policy must both allow', () => {
    const other = `arn:aws:iam::${B}:user/bob`;
    const bobMay = policy('BobMay', { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: target });
    expect(decide(asUser(other), { identity: [bobMay], resource: trust({ AWS: `arn:aws:iam::${B}:root` }) })).toBe('Allowed');
    expect(decide(asUser(other), { resource: trust({ AWS: other }) })).toBe('ImplicitlyDenied');
  });

  it('needs the trust policy: without it the decision fails closed', () => {
    expect(() => evaluate(asUser(), { identity: [assume] })).toThrow(/decided by its trust policy, which was not given/);
  });

  it('sts:TagSession is decided by the trust policy in the same way', () => {
    const tagging: NamedPolicy = {
      name: 'deployer',
      document: doc({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    };
    const ecs: IamRequest = {
      principalArn: 'ecs-tasks.amazonaws.com',
      action: 'sts:TagSession',
      resourceArn: target,
      context: complete({}),
    };
    expect(decide(ecs, { resource: tagging })).toBe('ImplicitlyDenied');
  });

  // Switching to an IAM role (AWS API): "You cannot assume a role when you are signed in as the AWS account root user."
  it('the account root user cannot assume a role, whatever the trust policy says', () => {
    const result = evaluate(asUser(`arn:aws:iam::${A}:root`), { resource: trust('*') });
    expect(result.decision).toBe('ImplicitlyDenied');
    expect(result.implicitDeny?.gate).toBe('aws-rule');
  });
});

describe('Key policies in AWS KMS — IAM policies grant only where the key policy allows it', () => {
  // "Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to a KMS key. Without
  // permission from the key policy, IAM policies that allow permissions have no effect. (You can use an IAM policy
  // to deny a permission to a KMS key without permission from a key policy.)"
  const key = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const useKey = policy('UseKey', { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: key });
  const enableIam: NamedPolicy = {
    name: 'key-policy',
    document: doc({
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'kms:*',
      Resource: '*',
    }),
  };
  const adminsOnly: NamedPolicy = {
    name: 'key-policy',
    document: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:role/KeyAdmin` }, Action: 'kms:*', Resource: '*' }),
  };
  const decrypt = () => ({ ...req('kms:Decrypt', key) });

  it('an IAM Allow works when the key policy delegates to the account', () => {
    expect(decide(decrypt(), { identity: [useKey], resource: enableIam })).toBe('Allowed');
  });

  it('an IAM Allow has no effect when the key policy names only someone else', () => {
    const result = evaluate(decrypt(), { identity: [useKey], resource: adminsOnly });
    expect(result.decision).toBe('ImplicitlyDenied');
    expect(result.implicitDeny).toMatchObject({ gate: 'trust-or-key-policy', policyKind: 'key policy' });
  });

  it('a key policy naming the role grants the role’s sessions without an IAM policy', () => {
    const namesRole: NamedPolicy = {
      name: 'key-policy',
      document: doc({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' }),
    };
    expect(decide(decrypt(), { resource: namesRole })).toBe('Allowed');
  });

  it('an IAM Deny still denies', () => {
    const deny = policy('NoDecrypt', { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' });
    expect(decide(decrypt(), { identity: [useKey, deny], resource: enableIam })).toBe('ExplicitlyDenied');
  });

  it('without the key policy the decision fails closed', () => {
    expect(() => evaluate(decrypt(), { identity: [useKey] })).toThrow(/key policy, which was not given/);
  });
});

describe('Requests that need no permission, and what no policy can change', () => {
  it('sts:GetCallerIdentity is allowed even under an explicit Deny', () => {
    // AWS STS API Reference, GetCallerIdentity: "No permissions are required to perform this operation. If an
    // administrator attaches a policy to your identity that explicitly denies access to the sts:GetCallerIdentity
    // action, you can still perform this operation."
    const denyAll = policy('DenyAll', { Effect: 'Deny', Action: '*', Resource: '*' });
    const result = evaluate(req('sts:GetCallerIdentity', '*'), { identity: [denyAll] });
    expect(result.decision).toBe('Allowed');
    expect(result.rule).toMatch(/needs no permission/);
  });

  it('AWS managed policies cannot be changed, even by an administrator', () => {
    // Managed policies and inline policies: "You can't change the permissions defined in AWS managed policies."
    const admin = policy('Admin', { Effect: 'Allow', Action: '*', Resource: '*' });
    const result = evaluate(req('iam:CreatePolicyVersion', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'), { identity: [admin] });
    expect(result.decision).toBe('ImplicitlyDenied');
    expect(result.implicitDeny).toEqual({ gate: 'aws-rule', rule: expect.stringMatching(/AWS managed policies cannot be changed/) });
  });

  it('a service-linked role’s permissions cannot be changed in IAM', () => {
    // Update permissions for a role: "You cannot modify the permissions policy for a service-linked role in IAM."
    const admin = policy('Admin', { Effect: 'Allow', Action: '*', Resource: '*' });
    const slr = `arn:aws:iam::${A}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`;
    expect(evaluate(req('iam:AttachRolePolicy', slr), { identity: [admin] }).implicitDeny?.gate).toBe('aws-rule');
    expect(evaluate(req('iam:GetRole', slr), { identity: [admin] }).decision).toBe('Allowed');
  });
});

describe('Unknown keys are never read as absent', () => {
  const allow = policy('Allow', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
  const vpceOnly = policy('VpceOnly', {
    Sid: 'OnlyThroughEndpoint',
    Effect: 'Deny',
    Action: 's3:*',
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
  });
  const object = 'arn:aws:s3:::b/k';

  it('a Deny on a key the context marks unknown makes the decision indeterminate, naming the key', () => {
    const r: IamRequest = {
      ...req('s3:GetObject', object),
      context: { values: { 'aws:PrincipalArn': ROLE }, unknown: ['aws:SourceVpce'] },
    };
    expect(() => evaluate(r, { identity: [allow, vpceOnly] })).toThrow(IndeterminateError);
    try {
      evaluate(r, { identity: [allow, vpceOnly] });
    } catch (e) {
      expect((e as IndeterminateError).unknownKeys).toEqual(['aws:SourceVpce']);
      expect((e as IndeterminateError).possibleDecisions.sort()).toEqual(['Allowed', 'ExplicitlyDenied']);
    }
  });

  it('the same key stated absent lets the Deny apply; stated present, the decision follows its value', () => {
    expect(decide(req('s3:GetObject', object), { identity: [allow, vpceOnly] })).toBe('ExplicitlyDenied');
    expect(decide(req('s3:GetObject', object, { 'aws:SourceVpce': 'vpce-1a2b3c4d' }), { identity: [allow, vpceOnly] })).toBe('Allowed');
  });

  it('an unknown key that cannot change the outcome is reported, not an error', () => {
    const viaEndpoint = policy('ViaEndpoint', {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
    });
    const r: IamRequest = { ...req('s3:GetObject', object), context: { values: {}, unknown: ['aws:SourceVpce'] } };
    const result = evaluate(r, { identity: [allow, viaEndpoint] });
    expect(result.decision).toBe('Allowed');
    expect(result.unknownKeys).toEqual(['aws:SourceVpce']);
    // Alone, the conditional Allow decides: Allowed or ImplicitlyDenied, so it is indeterminate.
    expect(() => evaluate(r, { identity: [viaEndpoint] })).toThrow(IndeterminateError);
  });

  it('a plain context that lacks a key AWS sends with every request leaves it unknown', () => {
    const tls = policy('TlsOnly', { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const plain: IamRequest = { principalArn: SESSION, action: 's3:GetObject', resourceArn: object, resourceAccount: A, context: {} };
    expect(() => evaluate(plain, { identity: [allow, tls] })).toThrow(/aws:SecureTransport/);
    expect(decide({ ...plain, context: { 'aws:SecureTransport': 'true' } }, { identity: [allow, tls] })).toBe('Allowed');
  });
});
