import {
  baseContext,
  describeDecision,
  evaluate,
  evaluatePolicyDocument,
  IamPolicyError,
  type IamRequest,
  type NamedPolicy,
} from './index';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/exporter`;
const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/exporter/task-1`;
const BUCKET = 'arn:aws:s3:::prod-exports';
const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/S3ReadWriteBoundary`;

const policy = (name: string, ...Statement: object[]): NamedPolicy => ({ name, document: { Version: '2012-10-17', Statement } });

function request(action: string, resourceArn: string, extra: Partial<IamRequest> = {}): IamRequest {
  return {
    principalArn: SESSION_ARN,
    action,
    resourceArn,
    resourceAccount: ACCOUNT,
    context: baseContext({ principalArn: SESSION_ARN, roleArn: ROLE_ARN, currentTime: new Date('2024-06-01T00:00:00Z') }),
    ...extra,
  };
}

const s3Everything = policy('S3Everything', { Sid: 'AllowS3', Effect: 'Allow', Action: 's3:*', Resource: '*' });

describe('the guide story: a role with s3:* on * cannot delete exports', () => {
  const bucketPolicy: NamedPolicy = {
    kind: 'bucket policy',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ProtectExports',
          Effect: 'Deny',
          Principal: '*',
          Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          Resource: `${BUCKET}/exports/*`,
          Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/admin/*` } },
        },
      ],
    },
  };

  it('is explicitly denied by the bucket policy statement whose condition catches it', () => {
    const result = evaluate(request('s3:DeleteObject', `${BUCKET}/exports/2024/a.csv`), {
      identity: [s3Everything],
      resource: bucketPolicy,
    });
    expect(result.decision).toBe('ExplicitlyDenied');
    expect(result.decidingStatements).toEqual([
      { policyType: 'resource', policyName: 'bucket policy', policyKind: 'bucket policy', sid: 'ProtectExports', index: 0, effect: 'Deny' },
    ]);
    expect(describeDecision(result)).toBe('denied by bucket policy statement ProtectExports');
  });

  it('is still allowed to read, and to delete outside exports/', () => {
    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/exports/a.csv`), { identity: [s3Everything], resource: bucketPolicy }).decision,
    ).toBe('Allowed');
    expect(evaluate(request('s3:DeleteObject', `${BUCKET}/tmp/a.csv`), { identity: [s3Everything], resource: bucketPolicy }).decision).toBe(
      'Allowed',
    );
  });

  it('lets an admin role through because the condition does not catch it', () => {
    const admin = `arn:aws:iam::${ACCOUNT}:role/admin/ops`;
    const adminSession = `arn:aws:sts::${ACCOUNT}:assumed-role/ops/s`;
    const result = evaluate(
      request('s3:DeleteObject', `${BUCKET}/exports/a.csv`, {
        principalArn: adminSession,
        context: baseContext({ principalArn: adminSession, roleArn: admin }),
      }),
      { identity: [s3Everything], resource: bucketPolicy },
    );
    expect(result.decision).toBe('Allowed');
    expect(describeDecision(result)).toBe('allowed by identity-based policy S3Everything statement AllowS3');
  });

  it('a boundary allowing only GetObject/PutObject implicitly denies the delete', () => {
    const boundary: NamedPolicy = {
      arn: BOUNDARY_ARN,
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }] },
    };
    const result = evaluate(request('s3:DeleteObject', `${BUCKET}/tmp/a.csv`), { identity: [s3Everything], permissionsBoundary: boundary });
    expect(result.decision).toBe('ImplicitlyDenied');
    expect(result.implicitDeny).toEqual({ gate: 'permissions-boundary', policyName: BOUNDARY_ARN });
    expect(describeDecision(result)).toBe(`implicitly denied: the permissions boundary ${BOUNDARY_ARN} does not allow s3:DeleteObject`);
    expect(
      evaluate(request('s3:PutObject', `${BUCKET}/tmp/a.csv`), { identity: [s3Everything], permissionsBoundary: boundary }).decision,
    ).toBe('Allowed');
  });

  it('an SCP deny wins over everything', () => {
    const scp = policy(
      'DenyS3Deletes',
      { Sid: 'NoDeletes', Effect: 'Deny', Action: 's3:Delete*', Resource: '*' },
      { Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' },
    );
    const result = evaluate(request('s3:DeleteObject', `${BUCKET}/tmp/a.csv`), { identity: [s3Everything], scps: [scp] });
    expect(result.decision).toBe('ExplicitlyDenied');
    expect(describeDecision(result)).toBe('denied by service control policy DenyS3Deletes statement NoDeletes');
  });
});

describe('same-account evaluation', () => {
  it('no identity-based policy allows', () => {
    const result = evaluate(request('s3:DeleteObject', `${BUCKET}/a`), {
      identity: [policy('ReadOnly', { Effect: 'Allow', Action: 's3:Get*', Resource: '*' })],
    });
    expect(result.decision).toBe('ImplicitlyDenied');
    expect(describeDecision(result)).toBe('implicitly denied: no identity-based policy allows s3:DeleteObject');
  });

  it('a resource policy alone can allow within the account', () => {
    const bucketPolicy = policy('bucket', {
      Sid: 'Session',
      Effect: 'Allow',
      Principal: { AWS: SESSION_ARN },
      Action: 's3:GetObject',
      Resource: `${BUCKET}/*`,
    });
    const result = evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: bucketPolicy });
    expect(result.decision).toBe('Allowed');
    expect(describeDecision(result)).toBe('allowed by resource-based policy bucket statement Session');
  });

  it('an account principal in the resource policy defers to identity policies', () => {
    const bucketPolicy = policy('bucket', {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 's3:GetObject',
      Resource: `${BUCKET}/*`,
    });
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: bucketPolicy }).decision).toBe('ImplicitlyDenied');
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: bucketPolicy, identity: [s3Everything] }).decision).toBe('Allowed');
  });

  it('a resource Deny naming the account denies its principals', () => {
    const bucketPolicy = policy('bucket', {
      Sid: 'NoAccount',
      Effect: 'Deny',
      Principal: { AWS: ACCOUNT },
      Action: 's3:*',
      Resource: `${BUCKET}/*`,
    });
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: bucketPolicy, identity: [s3Everything] }).decision).toBe(
      'ExplicitlyDenied',
    );
  });

  it('a statement without a Sid is named by its index', () => {
    const p = policy('P', { Effect: 'Allow', Action: 's3:Get*', Resource: '*' }, { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' });
    const result = evaluate(request('s3:GetObject', `${BUCKET}/a`), { identity: [p] });
    expect(describeDecision(result)).toBe('denied by identity-based policy P statement [1]');
  });

  it('policy variables resolve against the request context', () => {
    const userArn = `arn:aws:iam::${ACCOUNT}:user/alice`;
    const home = policy('Home', { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' });
    const req = (key: string): IamRequest => ({
      principalArn: userArn,
      action: 's3:GetObject',
      resourceArn: `arn:aws:s3:::home/${key}`,
      resourceAccount: ACCOUNT,
      context: baseContext({ principalArn: userArn }),
    });
    expect(evaluate(req('alice/notes'), { identity: [home] }).decision).toBe('Allowed');
    expect(evaluate(req('bob/notes'), { identity: [home] }).decision).toBe('ImplicitlyDenied');
  });
});

describe('permissions boundaries and session policies with resource policies', () => {
  const boundary: NamedPolicy = {
    name: 'Boundary',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] },
  };
  const grant = (principal: unknown) =>
    policy('bucket', { Sid: 'Grant', Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: `${BUCKET}/*` });

  it('a grant naming the role session ARN is not limited by the boundary', () => {
    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: grant({ AWS: SESSION_ARN }), permissionsBoundary: boundary }).decision,
    ).toBe('Allowed');
  });

  it('a grant naming the role ARN is limited by the boundary', () => {
    const result = evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: grant({ AWS: ROLE_ARN }), permissionsBoundary: boundary });
    expect(result.decision).toBe('ImplicitlyDenied');
    expect(result.implicitDeny?.gate).toBe('permissions-boundary');
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: grant({ AWS: ROLE_ARN }) }).decision).toBe('Allowed');
  });

  it('a grant naming an IAM user ARN is not limited by the user boundary', () => {
    const userArn = `arn:aws:iam::${ACCOUNT}:user/alice`;
    const req: IamRequest = { principalArn: userArn, action: 's3:GetObject', resourceArn: `${BUCKET}/a`, resourceAccount: ACCOUNT };
    expect(evaluate(req, { resource: grant({ AWS: userArn }), permissionsBoundary: boundary }).decision).toBe('Allowed');
  });

  it('session policies limit grants to the role ARN but not to the session ARN', () => {
    const sessionPolicy = policy('Session', { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' });
    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: grant({ AWS: ROLE_ARN }), session: [sessionPolicy] }).implicitDeny,
    ).toEqual({ gate: 'session' });
    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: grant({ AWS: SESSION_ARN }), session: [sessionPolicy] }).decision,
    ).toBe('Allowed');
    const id = evaluate(request('s3:GetObject', `${BUCKET}/a`), { identity: [s3Everything], session: [sessionPolicy] });
    expect(describeDecision(id)).toBe('implicitly denied: no session policy allows s3:GetObject');
  });

  it('a NotPrincipal Deny always catches a principal with a boundary', () => {
    const notPrincipalDeny = policy('bucket', {
      Sid: 'OnlyExporter',
      Effect: 'Deny',
      NotPrincipal: { AWS: [SESSION_ARN, ROLE_ARN, `arn:aws:iam::${ACCOUNT}:root`] },
      Action: 's3:*',
      Resource: `${BUCKET}/*`,
    });
    const open = policy('Boundary', { Effect: 'Allow', Action: '*', Resource: '*' });
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), { identity: [s3Everything], resource: notPrincipalDeny }).decision).toBe(
      'Allowed',
    );
    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/a`), { identity: [s3Everything], resource: notPrincipalDeny, permissionsBoundary: open })
        .decision,
    ).toBe('ExplicitlyDenied');
  });

  it('NotPrincipal excludes a session only when account, role and session are all listed', () => {
    const deny = (entries: string[]) =>
      policy('bucket', { Effect: 'Deny', NotPrincipal: { AWS: entries }, Action: 's3:*', Resource: `${BUCKET}/*` });
    const run = (entries: string[]) =>
      evaluate(request('s3:GetObject', `${BUCKET}/a`), { identity: [s3Everything], resource: deny(entries) }).decision;
    expect(run([SESSION_ARN])).toBe('ExplicitlyDenied');
    expect(run([SESSION_ARN, ACCOUNT])).toBe('ExplicitlyDenied');
    expect(run([SESSION_ARN, ROLE_ARN, ACCOUNT])).toBe('Allowed');
  });
});

describe('cross-account evaluation', () => {
  const crossSession = `arn:aws:sts::${OTHER}:assumed-role/reader/s1`;
  const crossRole = `arn:aws:iam::${OTHER}:role/reader`;
  const req = request('s3:GetObject', `${BUCKET}/a`, { principalArn: crossSession, context: baseContext({ principalArn: crossSession }) });
  const grant = (principal: unknown) =>
    policy('bucket', { Sid: 'CrossRead', Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: `${BUCKET}/*` });

  it('needs both the identity policy and the resource policy', () => {
    expect(evaluate(req, { identity: [s3Everything], resource: grant({ AWS: OTHER }) }).decision).toBe('Allowed');
    expect(evaluate(req, { identity: [s3Everything], resource: grant({ AWS: crossRole }) }).decision).toBe('Allowed');
    const noResource = evaluate(req, { identity: [s3Everything] });
    expect(noResource.crossAccount).toBe(true);
    expect(describeDecision(noResource)).toBe(
      `implicitly denied: cross-account request: there is no resource policy allowing s3:GetObject for ${crossSession}`,
    );
    const noIdentity = evaluate(req, { resource: grant({ AWS: crossSession }) });
    expect(noIdentity.implicitDeny).toEqual({ gate: 'identity' });
    const wrongAccount = evaluate(req, { identity: [s3Everything], resource: grant({ AWS: ACCOUNT }) });
    expect(describeDecision(wrongAccount)).toBe(
      `implicitly denied: cross-account request: the resource policy bucket does not allow s3:GetObject for ${crossSession}`,
    );
  });

  it('the boundary limits the identity side of a cross-account request', () => {
    const boundary = policy('B', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' });
    expect(
      evaluate(req, { identity: [s3Everything], resource: grant({ AWS: crossSession }), permissionsBoundary: boundary }).implicitDeny?.gate,
    ).toBe('permissions-boundary');
  });
});

describe('SCP levels, VPC endpoint policies and service principals', () => {
  const allowAll = policy('FullAWSAccess', { Effect: 'Allow', Action: '*', Resource: '*' });
  const s3Only = policy('S3Only', { Effect: 'Allow', Action: 's3:*', Resource: '*' });

  it('every SCP level must allow', () => {
    const scps = [
      { target: 'r-root', policies: [allowAll] },
      { target: 'ou-data', policies: [s3Only] },
    ];
    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/a`), { identity: [policy('All', { Effect: 'Allow', Action: '*', Resource: '*' })], scps })
        .decision,
    ).toBe('Allowed');
    const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`;
    const result = evaluate(request('dynamodb:GetItem', table), {
      identity: [policy('All', { Effect: 'Allow', Action: '*', Resource: '*' })],
      scps,
    });
    expect(describeDecision(result)).toBe('implicitly denied: no service control policy attached to ou-data allows dynamodb:GetItem');
  });

  it('a VPC endpoint policy must allow, and may name principals', () => {
    const layerBucket = 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*';
    const endpoint: NamedPolicy = {
      name: 'vpce-0abc',
      document: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'EcrLayers', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: layerBucket }],
      },
    };
    const doc = evaluatePolicyDocument(
      endpoint.document,
      request('s3:GetObject', 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/sha256/ab'),
    );
    expect(doc).toEqual({
      effect: 'Allow',
      statements: [{ policyType: 'resource', policyName: 'resource-based policy', sid: 'EcrLayers', index: 0, effect: 'Allow' }],
    });
    expect(
      evaluatePolicyDocument(endpoint.document, request('s3:PutObject', 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/x')).effect,
    ).toBe('None');
    const result = evaluate(request('s3:GetObject', `${BUCKET}/a`), { identity: [s3Everything], vpcEndpoint: endpoint });
    expect(describeDecision(result)).toBe('implicitly denied: the VPC endpoint policy vpce-0abc does not allow s3:GetObject');
  });

  it('a service principal needs the resource policy to name it', () => {
    const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;
    const topicPolicy = policy('topic', {
      Sid: 'Events',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topic,
    });
    const svc = (name: string): IamRequest => ({ principalArn: name, action: 'sns:Publish', resourceArn: topic });
    expect(evaluate(svc('events.amazonaws.com'), { resource: topicPolicy }).decision).toBe('Allowed');
    const denied = evaluate(svc('s3.amazonaws.com'), { resource: topicPolicy });
    expect(describeDecision(denied)).toBe(
      'implicitly denied: the resource policy topic does not allow sns:Publish for service principal s3.amazonaws.com',
    );
  });

  it('the account root user needs no identity policy in its own account', () => {
    const root = `arn:aws:iam::${ACCOUNT}:root`;
    const result = evaluate({ principalArn: root, action: 's3:GetObject', resourceArn: `${BUCKET}/a`, resourceAccount: ACCOUNT }, {});
    expect(result.decision).toBe('Allowed');
    expect(describeDecision(result)).toBe(`allowed: ${root} is the account root user, which has full access in its own account`);
  });

  // Principal: "You cannot use a wildcard to match part of a principal name or ARN."
  it('partial wildcards in Principal are refused; "*" alone names everyone', () => {
    const bucketPolicy = policy('bucket', {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/*` },
      Action: 's3:GetObject',
      Resource: `${BUCKET}/*`,
    });
    expect(() => evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: bucketPolicy })).toThrow(/wildcard inside a principal/);
    const anyone = policy('bucket', { Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: `${BUCKET}/*` });
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: anyone }).decision).toBe('Allowed');
  });

  it('a role name in a Principal matches its sessions case-insensitively, ignoring the role path', () => {
    const bucketPolicy = policy('bucket', {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/EXPORTER` },
      Action: 's3:GetObject',
      Resource: `${BUCKET}/*`,
    });
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource: bucketPolicy }).decision).toBe('Allowed');
  });

  it('evaluatePolicyDocument reports the Deny statements that apply', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
        { Sid: 'NoDeletes', Effect: 'Deny', Principal: '*', Action: 's3:Delete*', Resource: '*' },
      ],
    };
    const result = evaluatePolicyDocument(doc, request('s3:DeleteObject', `${BUCKET}/a`), { type: 'vpc-endpoint', name: 'vpce-1' });
    expect(result).toEqual({
      effect: 'Deny',
      statements: [{ policyType: 'vpc-endpoint', policyName: 'vpce-1', sid: 'NoDeletes', index: 1, effect: 'Deny' }],
    });
    expect(
      evaluatePolicyDocument({ Statement: { Effect: 'Allow', Action: 's3:Get*', Resource: '*' } }, request('s3:GetObject', `${BUCKET}/a`))
        .effect,
    ).toBe('Allow');
  });
});

describe('input errors are reported, never guessed past', () => {
  const req = request('s3:GetObject', `${BUCKET}/a`);
  it.each([
    ['bad JSON', { name: 'X', document: '{"Statement": [' }, /not valid JSON/],
    ['lower-case effect', policy('X', { Effect: 'allow', Action: '*', Resource: '*' }), /Effect: must be "Allow" or "Deny"/],
    [
      'unknown operator',
      policy('X', { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEqualz: { a: 'b' } } }),
      /unknown condition operator "StringEqualz"/,
    ],
    ['unknown element', policy('X', { Effect: 'Allow', Actions: '*', Resource: '*' }), /unknown element "Actions"/],
    ['no action', policy('X', { Effect: 'Allow', Resource: '*' }), /exactly one of Action or NotAction/],
    ['bad action', policy('X', { Effect: 'Allow', Action: 's3GetObject', Resource: '*' }), /not an action/],
    ['bad version', { name: 'X', document: { Version: '2012-10-18', Statement: [] } }, /Version/],
    ['principal in identity policy', policy('X', { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }), /cannot have Principal/],
    [
      'NotPrincipal with Allow',
      policy('X', { Effect: 'Allow', NotPrincipal: { AWS: '111122223333' }, Action: '*', Resource: '*' }),
      /only be used with "Effect": "Deny"/,
    ],
  ])('%s', (_label, p, message) => {
    expect(() => evaluate(req, { identity: [p as NamedPolicy] })).toThrow(message as RegExp);
  });

  it('rejects a resource policy statement without a principal, and bad requests', () => {
    expect(() => evaluate(req, { resource: policy('B', { Effect: 'Allow', Action: '*', Resource: '*' }) })).toThrow(
      /needs Principal or NotPrincipal/,
    );
    expect(() => evaluate({ ...req, action: 's3:*' }, {})).toThrow(IamPolicyError);
    expect(() => evaluate({ ...req, principalArn: 'bob' }, {})).toThrow(/principal "bob"/);
    expect(() => evaluate({ ...req, resourceAccount: undefined }, {})).toThrow(/resourceAccount is required/);
  });

  it('accepts Statement as an object and Action/Resource as strings', () => {
    const single = {
      name: 'One',
      document: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` } },
    };
    expect(evaluate(req, { identity: [single] }).decision).toBe('Allowed');
  });
});

describe('baseContext', () => {
  it('derives the global keys for a role session', () => {
    const ctx = baseContext({
      principalArn: SESSION_ARN,
      currentTime: new Date('2024-06-01T00:00:00Z'),
      principalTags: { team: 'data' },
      sourceVpce: 'vpce-1',
      extra: { 's3:prefix': 'a/' },
    });
    expect(ctx).toMatchObject({
      'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/exporter`,
      'aws:PrincipalAccount': ACCOUNT,
      'aws:PrincipalType': 'AssumedRole',
      'aws:CurrentTime': '2024-06-01T00:00:00Z',
      'aws:EpochTime': '1717200000',
      'aws:SecureTransport': 'true',
      'aws:PrincipalTag/team': 'data',
      'aws:SourceVpce': 'vpce-1',
      's3:prefix': 'a/',
    });
    expect(ctx['aws:username']).toBeUndefined();
  });

  it('sets aws:username for IAM users', () => {
    expect(baseContext({ principalArn: `arn:aws:iam::${ACCOUNT}:user/ops/alice` })['aws:username']).toBe('alice');
  });
});
