/**
 * The symbolic checks over hand-built policies: wildcards in Action and Resource, NotAction and
 * NotResource, conditional grants, resource-policy grants, and Denies that do and do not cover.
 * Every FAIL must come with a witness that the concrete engine allows.
 */
import type { NamedPolicy, StatedContext } from '../types';
import { checkAccessNotGranted, checkNoNewAccess, destructiveActions, type AccessNotGrantedInput, type CheckResult } from './index';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/cleanup`;
const SESSION = `arn:aws:sts::${A}:assumed-role/cleanup/nightly`;
const BUCKET = 'arn:aws:s3:::data';

const policy = (name: string, ...Statement: object[]): NamedPolicy => ({ name, document: { Version: '2012-10-17', Statement } });
/** The workload's context: the role session, TLS, its own account; other keys free. */
const workload = (extra: Record<string, string> = {}, unknown: string[] = ['s3:*', 'aws:ResourceTag/*']): StatedContext => ({
  values: {
    'aws:PrincipalArn': ROLE,
    'aws:PrincipalAccount': A,
    'aws:ResourceAccount': A,
    'aws:SecureTransport': 'true',
    'aws:PrincipalType': 'AssumedRole',
    'aws:RequestedRegion': 'eu-west-1',
    ...extra,
  },
  unknown,
});

function check(input: Partial<AccessNotGrantedInput> & Pick<AccessNotGrantedInput, 'access'>): CheckResult {
  return checkAccessNotGranted({ principalArn: SESSION, context: workload(), ...input });
}

function expectFail(r: CheckResult) {
  expect(r.result).toBe('FAIL');
  expect(r.findings[0].verified).toBe(true);
  return r.findings[0];
}

describe('wildcards in Action and Resource are intersected, not sampled', () => {
  const deleteAnything = policy('Cleanup', { Sid: 'DeleteUnderData', Effect: 'Allow', Action: 's3:Delete*', Resource: `${BUCKET}/*` });

  it('s3:Delete* on data/* grants DeleteObjectVersion under a protected prefix: FAIL, with the statement and a witness', () => {
    const f = expectFail(
      check({ identity: [deleteAnything], access: [{ actions: ['s3:DeleteObjectVersion'], resources: [`${BUCKET}/retained/*`] }] }),
    );
    expect(f.witness.action).toBe('s3:DeleteObjectVersion');
    expect(f.witness.resourceArn.startsWith(`${BUCKET}/retained/`)).toBe(true);
    expect(f.allowedBy.map((s) => s.sid)).toEqual(['DeleteUnderData']);
  });

  it('a grant limited to expired/ proves every destructive S3 action elsewhere is not granted: PASS', () => {
    const exact = policy('Cleanup', { Effect: 'Allow', Action: 's3:DeleteObject', Resource: `${BUCKET}/expired/*` });
    const destructive = destructiveActions(['s3-object', 's3-bucket']);
    const r = check({
      identity: [exact],
      access: [
        { actions: destructive, exceptActions: ['s3:DeleteObject'], resources: [BUCKET, `${BUCKET}/*`] },
        { actions: ['s3:DeleteObject'], resources: [`${BUCKET}/*`], exceptResources: [`${BUCKET}/expired/*`] },
      ],
    });
    expect(r).toMatchObject({ result: 'PASS', findings: [] });
  });

  it('a prefix pattern on tables reaches tables nobody listed: table/orders-* grants table/orders-archive', () => {
    const tables = policy('Tables', { Effect: 'Allow', Action: 'dynamodb:*', Resource: `arn:aws:dynamodb:eu-west-1:${A}:table/orders*` });
    const f = expectFail(
      check({
        identity: [tables],
        access: [
          {
            actions: destructiveActions('dynamodb-table'),
            resources: [`arn:aws:dynamodb:*:${A}:table/*`],
            exceptResources: [`arn:aws:dynamodb:eu-west-1:${A}:table/orders`],
          },
        ],
      }),
    );
    expect(f.witness.resourceArn).toMatch(new RegExp(`^arn:aws:dynamodb:eu-west-1:${A}:table/orders.+`));
  });

  it('a question-mark pattern counts every single character', () => {
    const q = policy('Q', { Effect: 'Allow', Action: 's3:?eleteObject', Resource: `${BUCKET}/logs/202?/*` });
    expect(check({ identity: [q], access: [{ actions: ['s3:DeleteObject'], resources: [`${BUCKET}/logs/2024/x`] }] }).result).toBe('FAIL');
    expect(check({ identity: [q], access: [{ actions: ['s3:DeleteObject'], resources: [`${BUCKET}/logs/20241/*`] }] }).result).toBe('PASS');
    expect(check({ identity: [q], access: [{ actions: ['s3:DeleteObject'], resources: [`${BUCKET}/logs/2031/*`] }] }).result).toBe('PASS');
  });
});

describe('NotAction and NotResource', () => {
  it('NotAction "iam:*" grants every S3 delete; NotAction "s3:*" grants none', () => {
    const notIam = policy('NotIam', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    const notS3 = policy('NotS3', { Effect: 'Allow', NotAction: 's3:*', Resource: '*' });
    const access = [{ actions: ['s3:DeleteObject', 's3:PutLifecycleConfiguration'], resources: ['*'] }];
    expectFail(check({ identity: [notIam], access }));
    expect(check({ identity: [notS3], access }).result).toBe('PASS');
  });

  it('NotResource retained/* keeps retained/ out and lets the rest in', () => {
    const p = policy('AllButRetained', { Effect: 'Allow', Action: 's3:*', NotResource: `${BUCKET}/retained/*` });
    expect(check({ identity: [p], access: [{ actions: ['s3:DeleteObject'], resources: [`${BUCKET}/retained/*`] }] }).result).toBe('PASS');
    const f = expectFail(check({ identity: [p], access: [{ actions: ['s3:DeleteObject'], resources: [`${BUCKET}/*`] }] }));
    expect(f.witness.resourceArn.startsWith(`${BUCKET}/retained/`)).toBe(false);
  });

  it('a Deny with NotAction covers everything but the listed actions', () => {
    const all = policy('All', { Effect: 'Allow', Action: '*', Resource: '*' });
    const onlyReads = policy('OnlyReads', { Effect: 'Deny', NotAction: ['s3:Get*', 's3:List*'], Resource: '*' });
    expect(check({ identity: [all, onlyReads], access: [{ actions: destructiveActions('s3-object'), resources: ['*'] }] }).result).toBe(
      'PASS',
    );
    expectFail(check({ identity: [all, onlyReads], access: [{ actions: ['s3:GetObject'], resources: [`${BUCKET}/*`] }] }));
  });
});

describe('conditional grants count when the workload can satisfy them', () => {
  const tlsOnly = policy('TlsDeletes', {
    Sid: 'DeleteOverTls',
    Effect: 'Allow',
    Action: 's3:DeleteObject',
    Resource: '*',
    Condition: { Bool: { 'aws:SecureTransport': 'true' } },
  });
  const access = [{ actions: ['s3:DeleteObject'], resources: [`${BUCKET}/retained/*`] }];

  it('a condition the workload always meets (TLS) does not protect anything', () => {
    expectFail(check({ identity: [tlsOnly], access }));
  });

  it('a condition the workload never meets does', () => {
    expect(check({ identity: [tlsOnly], access, context: workload({ 'aws:SecureTransport': 'false' }) }).result).toBe('PASS');
  });

  it('a condition on a free key counts if some value satisfies it, and the witness carries that value', () => {
    const prefixed = policy('Prefixed', {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: BUCKET,
      Condition: { StringLike: { 's3:prefix': ['retained/*'] }, StringNotLike: { 's3:prefix': ['retained/2024/*'] } },
    });
    const f = expectFail(check({ identity: [prefixed], access: [{ actions: ['s3:ListBucket'], resources: [BUCKET] }] }));
    const ctx = f.witness.context as StatedContext;
    expect(String(ctx.values['s3:prefix'])).toMatch(/^retained\//);
    expect(String(ctx.values['s3:prefix'])).not.toMatch(/^retained\/2024\//);
  });

  it('contradictory conditions on a free key are never met', () => {
    const impossible = policy('Never', {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: BUCKET,
      Condition: { StringEquals: { 's3:prefix': 'a/' }, StringNotEquals: { 's3:prefix': ['a/', 'b/'] } },
    });
    expect(check({ identity: [impossible], access: [{ actions: ['s3:ListBucket'], resources: [BUCKET] }] }).result).toBe('PASS');
  });

  it('numbers, dates and addresses on free keys are solved too', () => {
    const windowed = policy('Window', {
      Effect: 'Allow',
      Action: 's3:DeleteObject',
      Resource: '*',
      Condition: {
        DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' },
        IpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
        NotIpAddress: { 'aws:SourceIp': '203.0.113.0/25' },
      },
    });
    const f = expectFail(check({ identity: [windowed], access, context: workload({}, ['aws:CurrentTime', 'aws:SourceIp']) }));
    const ctx = f.witness.context as StatedContext;
    expect(String(ctx.values['aws:SourceIp'])).toMatch(/^203\.0\.113\.(1[2-9]\d|2\d\d)$/);
    const never = policy('Never', {
      Effect: 'Allow',
      Action: 's3:DeleteObject',
      Resource: '*',
      Condition: { NumericLessThan: { 's3:max-keys': '5' }, NumericGreaterThan: { 's3:max-keys': '10' } },
    });
    expect(check({ identity: [never], access }).result).toBe('PASS');
  });

  it('a grant tied to the resource account: aws:ResourceAccount = ${aws:PrincipalAccount} holds for own resources', () => {
    const own = policy('Own', {
      Effect: 'Allow',
      Action: 's3:DeleteObject',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } },
    });
    expectFail(check({ identity: [own], access }));
  });
});

describe('resource-based policies grant too, and Denies protect only what they cover', () => {
  const s3All = policy('S3All', { Effect: 'Allow', Action: 's3:*', Resource: '*' });
  const access = [{ actions: destructiveActions('s3-object'), resources: [`${BUCKET}/retained/*`] }];
  const bucketPolicy = (...Statement: object[]) => ({ resources: [BUCKET, `${BUCKET}/*`], policy: policy('data', ...Statement) });

  it('a bucket policy naming the session grants deletes with no identity policy at all', () => {
    const grant = bucketPolicy({
      Sid: 'LetCleanupDelete',
      Effect: 'Allow',
      Principal: { AWS: SESSION },
      Action: 's3:DeleteObject',
      Resource: `${BUCKET}/*`,
    });
    const f = expectFail(check({ resourcePolicies: [grant], access }));
    expect(f.allowedBy).toEqual([expect.objectContaining({ policyType: 'resource', sid: 'LetCleanupDelete' })]);
  });

  it('a bucket policy naming another principal grants nothing to this one', () => {
    const other = bucketPolicy({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:role/steward` },
      Action: 's3:*',
      Resource: `${BUCKET}/*`,
    });
    expect(check({ resourcePolicies: [other], access }).result).toBe('PASS');
  });

  it('an unconditional Deny over the whole region protects it', () => {
    const protect = bucketPolicy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${BUCKET}/retained/*` });
    expect(check({ identity: [s3All], resourcePolicies: [protect], access }).result).toBe('PASS');
  });

  it('a Deny over part of the region leaves the rest: the witness falls outside it', () => {
    const partial = bucketPolicy({ Effect: 'Deny', Principal: '*', Action: 's3:Delete*', Resource: `${BUCKET}/retained/2024/*` });
    const f = expectFail(check({ identity: [s3All], resourcePolicies: [partial], access }));
    expect(f.witness.action.startsWith('s3:Delete') && f.witness.resourceArn.startsWith(`${BUCKET}/retained/2024/`)).toBe(false);
  });

  it('a Deny whose condition the workload always meets protects; one it can escape does not', () => {
    const exceptSteward = bucketPolicy({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: `${BUCKET}/retained/*`,
      Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/*-steward` } },
    });
    expect(check({ identity: [s3All], resourcePolicies: [exceptSteward], access }).result).toBe('PASS');
    const onlyOffEndpoint = bucketPolicy({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: `${BUCKET}/*`,
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' } },
    });
    expectFail(
      check({ identity: [s3All], resourcePolicies: [onlyOffEndpoint], access, context: workload({ 'aws:SourceVpce': 'vpce-1a2b' }) }),
    );
    // With the endpoint free, some request (through vpce-1a2b) escapes the Deny.
    expectFail(
      check({ identity: [s3All], resourcePolicies: [onlyOffEndpoint], access, context: workload({}, ['aws:SourceVpce', 's3:*']) }),
    );
  });

  it('ceilings: an SCP or a permissions boundary that does not allow the region protects it', () => {
    const scp = policy('NoDeletes', {
      Effect: 'Allow',
      NotAction: ['s3:Delete*', 's3:PutLifecycleConfiguration', 's3:PutObject*', 's3:Bypass*', 's3:RestoreObject'],
      Resource: '*',
    });
    expect(check({ identity: [s3All], scps: [scp], access }).result).toBe('PASS');
    const boundary = policy('Boundary', { Effect: 'Allow', Action: 's3:Get*', Resource: '*' });
    expect(check({ identity: [s3All], permissionsBoundary: boundary, access }).result).toBe('PASS');
    // ...but a bucket policy naming the session directly is not limited by the boundary.
    const direct = bucketPolicy({ Effect: 'Allow', Principal: { AWS: SESSION }, Action: 's3:DeleteObject', Resource: `${BUCKET}/*` });
    expectFail(check({ identity: [s3All], permissionsBoundary: boundary, resourcePolicies: [direct], access }));
  });
});

describe('actions that take no resource ARN', () => {
  // Only requests without a resource ARN: every ARN is excepted.
  const listing = [{ actions: ['s3:ListAllMyBuckets'], resources: ['*'], exceptResources: ['arn:*'] }];

  it('"*" in the question covers them, and arn:aws:s3:::* grants them', () => {
    const list = policy('List', { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::*' });
    const f = expectFail(check({ identity: [list], access: listing }));
    expect(f.witness.resourceArn).toBe('*');
  });

  it('a bucket-specific pattern does not grant them', () => {
    const own = policy('Own', { Effect: 'Allow', Action: 's3:*', Resource: [BUCKET, `${BUCKET}/*`] });
    expect(check({ identity: [own], access: listing }).result).toBe('PASS');
  });
});

describe('checkNoNewAccess: nothing beyond the reference', () => {
  const TABLE = `arn:aws:dynamodb:eu-west-1:${A}:table/orders`;
  const reference = { identity: [policy('Needed', { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE })] };

  it('the same grant, or a narrower one, is no new access', () => {
    expect(checkNoNewAccess({ principalArn: SESSION, context: workload(), reference, candidate: reference }).result).toBe('PASS');
    const narrower = { identity: [policy('Narrower', { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE })] };
    expect(checkNoNewAccess({ principalArn: SESSION, context: workload(), reference, candidate: narrower }).result).toBe('PASS');
  });

  it('dynamodb:Get* on table/orders* is new access, with a witness the reference does not allow', () => {
    const wider = { identity: [policy('Wider', { Sid: 'Broad', Effect: 'Allow', Action: 'dynamodb:Get*', Resource: `${TABLE}*` })] };
    const r = checkNoNewAccess({ principalArn: SESSION, context: workload(), reference, candidate: wider });
    const f = expectFail(r);
    expect(f.allowedBy.map((s) => s.sid)).toEqual(['Broad']);
    const same = f.witness.resourceArn === TABLE && ['dynamodb:getitem'].includes(f.witness.action.toLowerCase());
    expect(same).toBe(false);
  });

  it('a grant the reference explicitly denies is new access', () => {
    const refWithDeny = {
      identity: [
        policy('All', { Effect: 'Allow', Action: 'dynamodb:*', Resource: TABLE }),
        policy('NoDeletes', { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' }),
      ],
    };
    const candidate = { identity: [policy('All', { Effect: 'Allow', Action: 'dynamodb:*', Resource: TABLE })] };
    const f = expectFail(checkNoNewAccess({ principalArn: SESSION, context: workload(), reference: refWithDeny, candidate }));
    expect(f.witness.action.toLowerCase()).toBe('dynamodb:deleteitem');
  });

  // "Policy evaluation logic": an explicit deny in any policy, a resource-based policy included, overrides every allow.
  // So a candidate without the reference's bucket-policy Deny allows what the reference refuses.
  it("a grant the reference's resource policy explicitly denies is new access; only on the resources that policy covers", () => {
    const s3All = policy('S3All', { Effect: 'Allow', Action: 's3:*', Resource: '*' });
    const protect = policy('data', {
      Sid: 'ProtectData',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      NotResource: `${BUCKET}/expired/*`,
      Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/steward` } },
    });
    const reference = { identity: [s3All], resourcePolicies: [{ resources: [BUCKET, `${BUCKET}/*`], policy: protect }] };
    const scope = { actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'], resources: ['arn:aws:s3:::*'] };
    const f = expectFail(
      checkNoNewAccess({ principalArn: SESSION, context: workload(), reference, candidate: { identity: [s3All] }, scope }),
    );
    // Inside what the bucket policy is attached to (the bucket's ARN is in its NotResource too), outside expired/.
    expect(f.witness.resourceArn === BUCKET || f.witness.resourceArn.startsWith(`${BUCKET}/`)).toBe(true);
    expect(f.witness.resourceArn.startsWith(`${BUCKET}/expired/`)).toBe(false);
    // The same Deny kept by the candidate: nothing new, though the Deny's NotResource also names other buckets' objects.
    const kept = { ...reference };
    expect(checkNoNewAccess({ principalArn: SESSION, context: workload(), reference, candidate: kept, scope }).result).toBe('PASS');
  });
});
