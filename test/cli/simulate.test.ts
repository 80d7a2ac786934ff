/**
 * `breakfix simulate` (the guide's STEP 4): decides a request from the live
 * policies of a lab on moto, names the deciding statements and AWS's message;
 * usage errors exit 2; on AWS it cross-checks with iam:SimulatePrincipalPolicy,
 * shown here with a documented shape of its response.
 */
import type { SimulatePrincipalPolicyCommandOutput } from '@aws-sdk/client-iam';
import { AWSOrganizationsNotInUseException } from '@aws-sdk/client-organizations';
import { deployScenario } from '../../lib/ops/deploy';
import { GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { roleOf, simulate } from '../../lib/ops/simulate';
import type { ScenarioContext } from '../../lib/scenario/types';
import s3DeleteAccessDenied from '../../scenarios/s3-delete-access-denied';
import { startTestMoto, TestMoto } from '../support/moto';
import { labContext } from '../support/lab';
import { AWS_TARGET, PASS_THROUGH, stubbedClients } from '../support/stub-clients';
import { expectOneErrorLine, runMain, useTempHome } from './harness';

useTempHome();
let moto: TestMoto;
let ctx: ScenarioContext;

const ACCOUNT = '123456789012';
const BUCKET = `s3-delete-access-denied-data-${ACCOUNT}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-delete-access-denied-cleanup-job`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/s3-delete-access-denied-cleanup-job/nightly`;
const EXPIRED = `arn:aws:s3:::${BUCKET}/expired/2024-01-31/orders.csv`;
const at = () => ['--target', 'moto', '--endpoint', moto.endpoint];

beforeAll(async () => {
  moto = await startTestMoto();
  ctx = labContext(s3DeleteAccessDenied, moto.endpoint, { variant: 'bucket-policy' });
  await deployScenario(s3DeleteAccessDenied, ctx);
});

afterAll(async () => {
  ctx?.clients.destroy();
  await moto?.stop();
});

test('a denied delete names the bucket policy statement and AWS message', async () => {
  const r = await runMain(['simulate', '--principal', SESSION, '--action', 's3:DeleteObject', '--resource', EXPIRED, ...at()]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const lines = r.stdout.split('\n');
  expect(lines[1]).toBe(`ExplicitlyDenied: denied by bucket policy ${BUCKET} statement ProtectRetainedData`);
  expect(lines[2]).toBe(`  Deny  bucket policy ${BUCKET} statement ProtectRetainedData`);
  expect(lines[3]).toBe(
    `AWS would answer: User: ${SESSION} is not authorized to perform: s3:DeleteObject on resource: "${EXPIRED}" with an explicit deny in a resource-based policy`,
  );
  expect(r.stdout).toContain(
    `Policies read on moto: inline policy CleanupJobS3Access; bucket policy of ${BUCKET}; service control policies not read (emulator target).`,
  );
  expect(r.stdout).toMatch(/Not cross-checked with iam:SimulatePrincipalPolicy: moto is an emulator/);
});

test('--json: an allowed read, with the granting statement', async () => {
  const r = await runMain(['simulate', '--principal', ROLE, '--action', 's3:GetObject', '--resource', EXPIRED, ...at(), '--json']);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out).toMatchObject({
    target: 'moto',
    principalArn: ROLE,
    roleArn: ROLE,
    action: 's3:GetObject',
    resourceAccount: ACCOUNT,
    decision: 'Allowed',
    accessDenied: null,
    aws: null,
  });
  expect(out.sentence).toBe('allowed by inline policy CleanupJobS3Access statement [0]');
  expect(out.decidingStatements).toEqual([
    expect.objectContaining({ policyType: 'identity', policyName: 'CleanupJobS3Access', index: 0, effect: 'Allow' }),
  ]);
});

test('--context keys override derived ones: with aws:PrincipalArn set to the steward role, the Deny condition no longer matches', async () => {
  const steward = `arn:aws:sts::${ACCOUNT}:assumed-role/s3-delete-access-denied-cleanup-job/x`;
  const r = await runMain([
    'simulate',
    '--principal',
    steward,
    '--action',
    's3:DeleteObject',
    '--resource',
    EXPIRED,
    '--context',
    `aws:PrincipalArn=arn:aws:iam::${ACCOUNT}:role/s3-delete-access-denied-data-steward`,
    ...at(),
    '--json',
  ]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).decision).toBe('Allowed');
});

test.each([
  [['--action', 's3:DeleteObject', '--resource', EXPIRED], /required option '--principal <arn>' not specified/],
  [
    ['--principal', `arn:aws:iam::${ACCOUNT}:user/alice`, '--action', 's3:DeleteObject', '--resource', EXPIRED],
    /is an IAM user; simulate reads the policies of IAM roles/,
  ],
  [['--principal', ROLE, '--action', 'DeleteObject', '--resource', EXPIRED], /--action "DeleteObject" is not of the form service:Action/],
  [['--principal', ROLE, '--action', 's3:DeleteObject', '--resource', 'my-bucket/key'], /--resource "my-bucket\/key" is not an ARN/],
  [
    ['--principal', ROLE, '--action', 's3:DeleteObject', '--resource', EXPIRED, '--context', 'novalue'],
    /--context "novalue" is not of the form key=value/,
  ],
])('usage error %#: exit 2 in one line', async (args, message) => {
  const r = await runMain(['simulate', ...args, ...at()]);
  expect(r.code).toBe(2);
  if (/required option/.test(String(message))) expect(r.stderr).toMatch(message);
  else expectOneErrorLine(r.stderr, { matches: message });
});

test('on AWS the decision is cross-checked with iam:SimulatePrincipalPolicy (documented response shape)', async () => {
  const documented: SimulatePrincipalPolicyCommandOutput = {
    $metadata: { httpStatusCode: 200 },
    IsTruncated: false,
    EvaluationResults: [
      {
        EvalActionName: 's3:DeleteObject',
        EvalResourceName: EXPIRED,
        EvalDecision: 'allowed',
        MatchedStatements: [
          {
            SourcePolicyId: 'CleanupJobS3Access',
            SourcePolicyType: 'role',
            StartPosition: { Line: 1, Column: 41 },
            EndPosition: { Line: 1, Column: 93 },
          },
        ],
        MissingContextValues: [],
        OrganizationsDecisionDetail: { AllowedByOrganizations: true },
        PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true },
      },
    ],
  };
  const sent: unknown[] = [];
  // Every other IAM call goes on to moto; only the simulator's answer is stood in.
  const iam = stubbedClients(ctx.target, (command, input) => {
    if (command !== 'SimulatePrincipalPolicyCommand') return PASS_THROUGH;
    sent.push(input);
    return documented;
  }).iam;
  const r = await simulate(
    { principalArn: SESSION, action: 's3:DeleteObject', resourceArn: EXPIRED, context: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
    { iam, s3: ctx.clients.s3, crossCheck: true },
  );
  expect(sent).toHaveLength(1);
  expect(sent[0]).toEqual({
    PolicySourceArn: ROLE,
    ActionNames: ['s3:DeleteObject'],
    ResourceArns: [EXPIRED],
    ContextEntries: [{ ContextKeyName: 'aws:SourceVpce', ContextKeyType: 'string', ContextKeyValues: ['vpce-1a2b3c4d'] }],
  });
  // The full decision includes the bucket policy; AWS's simulator saw the identity side only, and agrees there.
  expect(r.result.decision).toBe('ExplicitlyDenied');
  expect(r.aws).toMatchObject({
    awsDecision: 'allowed',
    engineDecision: 'allowed',
    agrees: true,
    awsMatchedStatements: ['role CleanupJobS3Access'],
    allowedByOrganizations: true,
    allowedByPermissionsBoundary: true,
  });
  expect(r.aws!.scope).toMatch(/cannot evaluate a resource policy for a role caller/);

  const disagreeing = {
    ...documented,
    EvaluationResults: [
      {
        ...documented.EvaluationResults![0],
        EvalDecision: 'implicitDeny',
        MatchedStatements: [],
        OrganizationsDecisionDetail: { AllowedByOrganizations: false },
      },
    ],
  };
  const iam2 = stubbedClients(ctx.target, (command) => (command === 'SimulatePrincipalPolicyCommand' ? disagreeing : PASS_THROUGH)).iam;
  const r2 = await simulate(
    { principalArn: ROLE, action: 's3:DeleteObject', resourceArn: EXPIRED },
    { iam: iam2, s3: ctx.clients.s3, crossCheck: true },
  );
  expect(r2.aws).toMatchObject({ awsDecision: 'implicitDeny', engineDecision: 'allowed', agrees: false, allowedByOrganizations: false });
});

/** Documented shapes of Organizations' answers: root r-ab12 > OU ou-ab12-data > the account, FullAWSAccess at each level, a deny at the OU. */
function documentedOrganizations(denyAtOu: object | undefined) {
  const fullAccess = {
    Id: 'p-FullAWSAccess',
    Name: 'FullAWSAccess',
    Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
  };
  const guard = denyAtOu && {
    Id: 'p-guard1234',
    Name: 'data-guardrail',
    Content: JSON.stringify({ Version: '2012-10-17', Statement: [denyAtOu] }),
  };
  const byTarget: Record<string, { Id: string; Name: string; Content: string }[]> = {
    'r-ab12': [fullAccess],
    'ou-ab12-data': guard ? [fullAccess, guard] : [fullAccess],
    [ACCOUNT]: [fullAccess],
  };
  const all = [fullAccess, ...(guard ? [guard] : [])];
  return stubbedClients(AWS_TARGET, (command, input) => {
    if (command === 'ListParentsCommand') {
      return {
        Parents: input.ChildId === ACCOUNT ? [{ Id: 'ou-ab12-data', Type: 'ORGANIZATIONAL_UNIT' }] : [{ Id: 'r-ab12', Type: 'ROOT' }],
      };
    }
    if (command === 'ListPoliciesForTargetCommand')
      return { Policies: byTarget[input.TargetId].map(({ Id, Name }) => ({ Id, Name, Type: 'SERVICE_CONTROL_POLICY' })) };
    if (command === 'DescribePolicyCommand') return { Policy: { Content: all.find((p) => p.Id === input.PolicyId)!.Content } };
    throw new Error(`unexpected ${command}`);
  }).organizations;
}

test('on AWS the SCPs in force are read level by level; a deny in an OU decides', async () => {
  const deny = { Sid: 'NoDeletesInData', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' };
  const r = await simulate(
    { principalArn: SESSION, action: 's3:DeleteObject', resourceArn: EXPIRED },
    { iam: ctx.clients.iam, s3: ctx.clients.s3, crossCheck: false, organizations: documentedOrganizations(deny) },
  );
  expect(r.result.decision).toBe('ExplicitlyDenied');
  expect(r.sentence).toContain('service control policy data-guardrail statement NoDeletesInData');
  expect(r.accessDenied).toMatch(/with an explicit deny in a (resource-based policy|service control policy)$/);
  expect(r.policiesRead).toContain(`4 service control policies over r-ab12 > ou-ab12-data > ${ACCOUNT}`);
  const read = await simulate(
    { principalArn: SESSION, action: 's3:GetObject', resourceArn: EXPIRED },
    { iam: ctx.clients.iam, s3: ctx.clients.s3, crossCheck: false, organizations: documentedOrganizations(undefined) },
  );
  expect(read.result.decision).toBe('Allowed');
});

test('on AWS outside an organization, no SCPs apply and simulate says so', async () => {
  const org = stubbedClients(AWS_TARGET, () => {
    throw new AWSOrganizationsNotInUseException({ message: 'Your account is not a member of an organization.', $metadata: {} });
  }).organizations;
  const r = await simulate(
    { principalArn: ROLE, action: 's3:GetObject', resourceArn: EXPIRED },
    { iam: ctx.clients.iam, s3: ctx.clients.s3, crossCheck: false, organizations: org },
  );
  expect(r.result.decision).toBe('Allowed');
  expect(r.policiesRead).toContain(`account ${ACCOUNT} is not in an organization, so no service control policies apply`);
});

test('role ARNs with a path and role sessions resolve to the role', () => {
  expect(roleOf(`arn:aws:iam::${ACCOUNT}:role/service-role/jobs/nightly`)).toEqual({
    roleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/jobs/nightly`,
    roleName: 'nightly',
    account: ACCOUNT,
  });
  expect(roleOf(`arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/nightly/i-0abc`)).toEqual({
    roleArn: `arn:aws-us-gov:iam::${ACCOUNT}:role/nightly`,
    roleName: 'nightly',
    account: ACCOUNT,
    sessionName: 'i-0abc',
  });
  expect(() => roleOf(`arn:aws:iam::${ACCOUNT}:root`)).toThrow(/is the account root; simulate reads the policies of IAM roles/);
});

// AWS never names a role as the caller: a request is made by a session of it ("assumed-role/<role>/<session>").
test('given a role, simulate acts as a session of it and words the answer as AWS would', async () => {
  const r = await runMain(['simulate', '--principal', ROLE, '--action', 's3:DeleteObject', '--resource', EXPIRED, ...at()]);
  expect(r.code).toBe(0);
  const session = `arn:aws:sts::${ACCOUNT}:assumed-role/s3-delete-access-denied-cleanup-job/breakfix-simulate`;
  expect(r.stdout.split('\n')[0]).toBe(`s3:DeleteObject on ${EXPIRED} by ${session} (a session of ${ROLE})`);
  expect(r.stdout).toContain(`AWS would answer: User: ${session} is not authorized to perform: s3:DeleteObject`);
  expect(r.stdout).not.toContain(`User: ${ROLE}`);
  const named = await runMain([
    'simulate',
    '--principal',
    ROLE,
    '--session-name',
    'nightly',
    '--action',
    's3:GetObject',
    '--resource',
    EXPIRED,
    ...at(),
    '--json',
  ]);
  expect(JSON.parse(named.stdout)).toMatchObject({ principalArn: ROLE, callerArn: SESSION, roleArn: ROLE, decision: 'Allowed' });
});

test('--session-name cannot contradict the session in --principal', async () => {
  const r = await runMain([
    'simulate',
    '--principal',
    SESSION,
    '--session-name',
    'other',
    '--action',
    's3:GetObject',
    '--resource',
    EXPIRED,
    ...at(),
  ]);
  expect(r.code).toBe(2);
  expectOneErrorLine(r.stderr, { matches: /--session-name other contradicts the session in --principal/ });
});

test('--explain lists every policy consulted in AWS order and what each did', async () => {
  const r = await runMain(['simulate', '--principal', SESSION, '--action', 's3:DeleteObject', '--resource', EXPIRED, '--explain', ...at()]);
  expect(r.code).toBe(0);
  const lines = r.stdout.split('\n');
  const at0 = lines.indexOf('Policies AWS consults, in its order:');
  expect(at0).toBeGreaterThan(0);
  expect(lines.slice(at0 + 1, at0 + 3)).toEqual([
    `  1. bucket policy ${BUCKET}: explicitly denies with statement ProtectRetainedData: an explicit Deny in any policy decides`,
    '  2. identity-based policies: allow with inline policy CleanupJobS3Access statement [0], which the explicit Deny overrides',
  ]);
  const json = JSON.parse(
    (await runMain(['simulate', '--principal', SESSION, '--action', 's3:GetObject', '--resource', EXPIRED, '--explain', ...at(), '--json']))
      .stdout,
  );
  expect(json.explanation.map((s: { step: number; policy: string }) => [s.step, s.policy])).toEqual([
    [1, `bucket policy ${BUCKET}`],
    [2, 'identity-based policies'],
  ]);
  expect(json.explanation[1].why).toBe('allow with inline policy CleanupJobS3Access statement [0]');
});

test('a condition on a key breakfix cannot read is a usage error naming it, until --context gives it', async () => {
  const original = (await ctx.clients.s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy!;
  const endpointOnly = {
    Version: '2012-10-17',
    Statement: [
      ...JSON.parse(original).Statement,
      {
        Sid: 'OnlyViaEndpoint',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      },
    ],
  };
  await ctx.clients.s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(endpointOnly) }));
  try {
    const r = await runMain(['simulate', '--principal', SESSION, '--action', 's3:GetObject', '--resource', EXPIRED, ...at()]);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, {
      matches: /simulate cannot decide s3:GetObject: it depends on aws:SourceVpce, which breakfix cannot read/,
    });
    const via = await runMain([
      'simulate',
      '--principal',
      SESSION,
      '--action',
      's3:GetObject',
      '--resource',
      EXPIRED,
      '--context',
      'aws:SourceVpce=vpce-1a2b3c4d',
      ...at(),
      '--json',
    ]);
    expect(JSON.parse(via.stdout).decision).toBe('Allowed');
    const off = await runMain([
      'simulate',
      '--principal',
      SESSION,
      '--action',
      's3:GetObject',
      '--resource',
      EXPIRED,
      '--context',
      'aws:SourceVpce=vpce-other',
      ...at(),
      '--json',
    ]);
    expect(JSON.parse(off.stdout)).toMatchObject({
      decision: 'ExplicitlyDenied',
      sentence: `denied by bucket policy ${BUCKET} statement OnlyViaEndpoint`,
    });
  } finally {
    await ctx.clients.s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: original }));
  }
});
