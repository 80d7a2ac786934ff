import { ContextLookup } from '../iam/context';
import { evaluate, IndeterminateError, type NamedPolicy } from '../iam';
import { buildRequestContext, S3_HEADER_KEYS, sessionArn, workloadRequest, type WorkloadInput } from './index';

const A = '111122223333';
const TASK_ROLE = `arn:aws:iam::${A}:role/app/orders-task`;
const TABLE = `arn:aws:dynamodb:eu-west-1:${A}:table/orders`;
const AT = new Date('2024-06-01T12:00:00Z');

const ecsTask: WorkloadInput = {
  caller: {
    roleArn: TASK_ROLE,
    sessionName: '4f1c2b3a9d8e4f6a8b7c6d5e4f3a2b1c',
    origin: { by: 'service', service: 'ecs-tasks.amazonaws.com' },
    roleId: 'AROAEXAMPLEID',
    roleTags: { team: 'orders' },
    principalOrgId: 'o-abc123',
    issuedAt: new Date('2024-06-01T11:00:00Z'),
  },
  request: { action: 'dynamodb:GetItem', resourceArn: TABLE, region: 'eu-west-1', resourceTags: { env: 'prod' }, at: AT },
  network: { via: 'vpc-endpoint', vpceId: 'vpce-0a1b2c3d', vpcId: 'vpc-0123abcd', privateIp: '10.0.1.25' },
};

function lookup(input: WorkloadInput): ContextLookup {
  return new ContextLookup(buildRequestContext(input));
}

describe('buildRequestContext: an ECS task role session through a VPC endpoint', () => {
  const ctx = lookup(ecsTask);

  it.each([
    ['aws:PrincipalArn', TASK_ROLE],
    ['aws:PrincipalAccount', A],
    ['aws:PrincipalOrgID', 'o-abc123'],
    ['aws:PrincipalType', 'AssumedRole'],
    ['aws:userid', 'AROAEXAMPLEID:4f1c2b3a9d8e4f6a8b7c6d5e4f3a2b1c'],
    ['aws:PrincipalIsAWSService', 'false'],
    ['aws:PrincipalTag/team', 'orders'],
    ['aws:ResourceAccount', A],
    ['aws:ResourceOrgID', 'o-abc123'],
    ['aws:ResourceTag/env', 'prod'],
    ['aws:RequestedRegion', 'eu-west-1'],
    ['aws:SourceVpce', 'vpce-0a1b2c3d'],
    ['aws:SourceVpc', 'vpc-0123abcd'],
    ['aws:VpcSourceIp', '10.0.1.25'],
    ['aws:SecureTransport', 'true'],
    ['aws:CurrentTime', '2024-06-01T12:00:00Z'],
    ['aws:EpochTime', '1717243200'],
    ['aws:ViaAWSService', 'false'],
    ['aws:TokenIssueTime', '2024-06-01T11:00:00Z'],
  ])('%s = %s', (key, value) => {
    expect(ctx.state(key)).toBe('present');
    expect(ctx.get(key)).toBe(value);
  });

  it.each([
    'aws:SourceIp',
    'aws:username',
    'aws:PrincipalServiceName',
    'aws:MultiFactorAuthPresent',
    'aws:SourceIdentity',
    'aws:FederatedProvider',
    'aws:CalledVia',
    'aws:PrincipalTag/cost-center',
    'aws:ResourceTag/owner',
    'aws:RequestTag/env',
    'aws:TagKeys',
    'aws:SourceArn',
    's3:prefix',
  ])('%s is absent', (key) => {
    expect(ctx.state(key)).toBe('absent');
  });

  it('keys nobody stated are unknown: the action’s own service keys and unlisted global keys', () => {
    expect(ctx.state('dynamodb:LeadingKeys')).toBe('unknown');
    expect(ctx.state('aws:SomeFutureKey')).toBe('unknown');
  });

  it('names the caller as AWS does', () => {
    const r = workloadRequest(ecsTask);
    expect(r.principalArn).toBe(`arn:aws:sts::${A}:assumed-role/orders-task/4f1c2b3a9d8e4f6a8b7c6d5e4f3a2b1c`);
    expect(sessionArn(TASK_ROLE, 's')).toBe(`arn:aws:sts::${A}:assumed-role/orders-task/s`);
  });
});

describe('buildRequestContext: other callers and paths', () => {
  it('over the internet: aws:SourceIp (unknown without an address), no VPC keys', () => {
    const viaNat = lookup({ ...ecsTask, network: { via: 'internet', publicIp: '203.0.113.10' } });
    expect(viaNat.get('aws:SourceIp')).toBe('203.0.113.10');
    expect(viaNat.state('aws:SourceVpce')).toBe('absent');
    expect(viaNat.state('aws:VpcSourceIp')).toBe('absent');
    expect(lookup({ ...ecsTask, network: { via: 'internet' } }).state('aws:SourceIp')).toBe('unknown');
    expect(lookup({ ...ecsTask, network: { via: 'unknown' } }).state('aws:SourceVpce')).toBe('unknown');
  });

  it('a person’s session: MFA as stated, session tags override role tags, source identity', () => {
    const person = lookup({
      ...ecsTask,
      caller: {
        ...ecsTask.caller,
        sessionName: 'alice',
        origin: { by: 'person', mfa: true, sourceIdentity: 'alice@example.com', sessionTags: { team: 'payments', project: 'x' } },
      },
    });
    expect(person.get('aws:MultiFactorAuthPresent')).toBe('true');
    expect(person.get('aws:PrincipalTag/team')).toBe('payments');
    expect(person.get('aws:PrincipalTag/project')).toBe('x');
    expect(person.get('aws:SourceIdentity')).toBe('alice@example.com');
    const noMfaStated = lookup({ ...ecsTask, caller: { ...ecsTask.caller, origin: { by: 'job' } } });
    expect(noMfaStated.state('aws:MultiFactorAuthPresent')).toBe('unknown');
    expect(noMfaStated.state('aws:SourceIdentity')).toBe('absent');
  });

  it('what the caller could not read stays unknown: role ID, role tags, organization, resource tags, issue time', () => {
    const sparse = lookup({
      caller: { roleArn: TASK_ROLE, sessionName: 's', origin: { by: 'service', service: 'lambda.amazonaws.com' } },
      request: { action: 'dynamodb:GetItem', resourceArn: TABLE, region: 'eu-west-1' },
      network: { via: 'internet' },
    });
    for (const key of [
      'aws:userid',
      'aws:PrincipalTag/team',
      'aws:PrincipalOrgID',
      'aws:ResourceTag/env',
      'aws:TokenIssueTime',
      'aws:ResourceOrgID',
    ])
      expect([key, sparse.state(key)]).toEqual([key, 'unknown']);
  });

  it('S3: keys the request sends are present, headers it does not send are absent', () => {
    const list = lookup({
      ...ecsTask,
      request: {
        action: 's3:ListBucket',
        resourceArn: 'arn:aws:s3:::data',
        resourceAccount: A,
        region: 'eu-west-1',
        serviceKeys: { 's3:prefix': 'expired/' },
        serviceKeysNotSent: S3_HEADER_KEYS,
      },
    });
    expect(list.get('s3:prefix')).toBe('expired/');
    expect(list.state('s3:x-amz-server-side-encryption')).toBe('absent');
    expect(list.state('s3:RequestObjectTag/k')).toBe('absent');
    expect(list.state('s3:ExistingObjectTag/k')).toBe('unknown');
  });

  it("a service's own resource-tag keys mirror the resource's tags (secretsmanager:ResourceTag/*); unknown without the tags", () => {
    const secret = `arn:aws:secretsmanager:eu-west-1:${A}:secret:orders/db-AbCdEf`;
    const request = { action: 'secretsmanager:GetSecretValue', resourceArn: secret, region: 'eu-west-1' };
    const tagged = lookup({
      ...ecsTask,
      request: { ...request, resourceTags: { app: 'orders' }, serviceResourceTagKeys: ['secretsmanager:ResourceTag'] },
    });
    expect(tagged.get('secretsmanager:ResourceTag/app')).toBe('orders');
    expect(tagged.get('aws:ResourceTag/app')).toBe('orders');
    expect(tagged.state('secretsmanager:ResourceTag/team')).toBe('absent');
    const untold = lookup({ ...ecsTask, request: { ...request, serviceResourceTagKeys: ['secretsmanager:ResourceTag'] } });
    expect(untold.state('secretsmanager:ResourceTag/app')).toBe('unknown');
    // Without the option the service's key is one of its keys nobody stated: unknown even when the tags are known.
    expect(lookup({ ...ecsTask, request: { ...request, resourceTags: { app: 'orders' } } }).state('secretsmanager:ResourceTag/app')).toBe(
      'unknown',
    );
    expect(() =>
      buildRequestContext({ ...ecsTask, request: { ...request, resourceTags: {}, serviceResourceTagKeys: ['ec2:ResourceTag'] } }),
    ).toThrow(/not a key prefix of secretsmanager/);
  });

  it('requests made through a service carry aws:CalledVia in order', () => {
    const via = lookup({ ...ecsTask, request: { ...ecsTask.request, calledVia: ['athena.amazonaws.com', 'glue.amazonaws.com'] } });
    expect(via.get('aws:CalledVia')).toEqual(['athena.amazonaws.com', 'glue.amazonaws.com']);
    expect(via.get('aws:CalledViaFirst')).toBe('athena.amazonaws.com');
    expect(via.get('aws:ViaAWSService')).toBe('true');
  });
});

describe('the engine over a built context', () => {
  const policy = (Statement: object[]): NamedPolicy => ({ name: 'p', document: { Version: '2012-10-17', Statement } });

  it('an endpoint-only grant (aws:SourceVpce) holds through the endpoint and not over the internet', () => {
    const onlyViaEndpoint = policy([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } } },
    ]);
    expect(evaluate(workloadRequest(ecsTask), { identity: [onlyViaEndpoint] }).decision).toBe('Allowed');
    const internet = workloadRequest({ ...ecsTask, network: { via: 'internet', publicIp: '203.0.113.10' } });
    expect(evaluate(internet, { identity: [onlyViaEndpoint] }).decision).toBe('ImplicitlyDenied');
  });

  it('a grant on the role’s tag and the resource’s account holds (the fixes a context with only the ARN would fail)', () => {
    const abac = policy([
      {
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalTag/team': 'orders', 'aws:ResourceAccount': '${aws:PrincipalAccount}' } },
      },
    ]);
    expect(evaluate(workloadRequest(ecsTask), { identity: [abac] }).decision).toBe('Allowed');
  });

  it("ABAC on the secret's own tag (secretsmanager:ResourceTag) holds once the builder is given the secret's tags", () => {
    const secret = `arn:aws:secretsmanager:eu-west-1:${A}:secret:orders/db-AbCdEf`;
    const abac = policy([
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        Condition: { StringEquals: { 'secretsmanager:ResourceTag/app': 'orders' } },
      },
    ]);
    const request = { action: 'secretsmanager:GetSecretValue', resourceArn: secret, region: 'eu-west-1' };
    const read = (tags: Record<string, string>) =>
      evaluate(
        workloadRequest({
          ...ecsTask,
          request: { ...request, resourceTags: tags, serviceResourceTagKeys: ['secretsmanager:ResourceTag'] },
        }),
        {
          identity: [abac],
        },
      ).decision;
    expect(read({ app: 'orders' })).toBe('Allowed');
    expect(read({ app: 'billing' })).toBe('ImplicitlyDenied');
    expect(read({})).toBe('ImplicitlyDenied');
  });

  it('a Deny on a key the builder could not know is an error, not a silent pass', () => {
    const denyUntagged = policy([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' },
      { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceTag/env': 'prod' } } },
    ]);
    const untaggedUnknown = workloadRequest({ ...ecsTask, request: { ...ecsTask.request, resourceTags: undefined } });
    expect(() => evaluate(untaggedUnknown, { identity: [denyUntagged] })).toThrow(IndeterminateError);
    expect(evaluate(workloadRequest(ecsTask), { identity: [denyUntagged] }).decision).toBe('Allowed');
  });
});
