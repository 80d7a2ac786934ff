/**
 * Real-AWS behaviour against documented shapes of AWS's responses (IAM, S3, CloudFormation and
 * Organizations API references), answered through real SDK clients:
 * - `status` on a real account only reads: any write, AssumeRole included, fails the test;
 * - the scp variant (AWS only): gather reads the SCPs from Organizations, and check and status agree on
 *   the armed, fixed and short-cut guardrail;
 * - a trust policy that locks the job out fails the access criterion, naming the trust policy.
 */
import { checkScenario } from '../../../lib/ops/check';
import scenario from '..';
import { SCP_SID, scpDocument, scpNameFor } from '../lab';
import {
  ACCOUNT,
  ACCOUNT_TRUST,
  ARMED_BUCKET_POLICY,
  B,
  BUCKET,
  CLEANUP,
  ROLE_ARN,
  SPLIT_BUCKET_POLICY,
  STACK,
  World,
  doc,
  documentedContext,
  scpWorld,
} from './documented-shapes';

async function checkAndStatus(variant: string, world: World) {
  const { ctx, calls, writes } = documentedContext(variant, world);
  const report = await checkScenario(scenario, ctx);
  const symptom = await scenario.symptom(ctx);
  const failing = report.criteria.filter((c) => c.status !== 'pass' && c.status !== 'not-applicable').map((c) => c.id);
  const message = (id: string) => report.criteria.find((c) => c.id === id)!.message;
  return { report, symptom, failing, message, calls, writes };
}

/** Whether the job works, by status: the symptom is an AccessDenied, or says the deletes would succeed. */
const statusSaysWorks = (summary: string) => !summary.includes('AccessDenied');

describe('status on a real account only reads', () => {
  it('armed bucket-policy lab: the AccessDenied is derived from the engine, and no write, AssumeRole or delete is sent', async () => {
    const r = await checkAndStatus('bucket-policy', { bucketPolicy: ARMED_BUCKET_POLICY, trust: ACCOUNT_TRUST });
    expect(r.writes).toEqual([]);
    expect(r.calls).not.toContain('AssumeRoleCommand');
    expect(r.calls).not.toContain('DeleteObjectCommand');
    expect(r.symptom.source).toBe('derived');
    expect(r.symptom.summary).toBe(
      `An error occurred (AccessDenied) when calling the DeleteObject operation: User: arn:aws:sts::${ACCOUNT}:assumed-role/${CLEANUP}/nightly-cleanup is not authorized to perform: s3:DeleteObject on resource: "${B}/expired/2024-01-31/orders.csv" with an explicit deny in a resource-based policy`,
    );
    expect(r.failing).toEqual(['cleanup-role-can-delete-expired']);
    expect(statusSaysWorks(r.symptom.summary)).toBe(false);
  });

  it('a stub that answers a write makes the test fail: the guard itself is live', async () => {
    const { ctx, writes } = documentedContext('bucket-policy', { bucketPolicy: ARMED_BUCKET_POLICY, trust: ACCOUNT_TRUST });
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    await expect(ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'expired/x' }))).rejects.toThrow(/must only read/);
    expect(writes).toEqual(['DeleteObjectCommand']);
  });
});

describe('trust: the job assumes the cleanup role from inside the account', () => {
  it('a trust policy naming only ecs-tasks.amazonaws.com locks the job out: check names the trust policy, status shows the AssumeRole refusal', async () => {
    const r = await checkAndStatus('permissions-boundary', {
      bucketPolicy: SPLIT_BUCKET_POLICY,
      trust: doc({ Sid: 'EcsOnly', Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    });
    expect(r.failing).toContain('cleanup-role-can-delete-expired');
    expect(r.message('cleanup-role-can-delete-expired')).toMatch(/cannot assume cleanup role .*sts:AssumeRole is .*trust policy/);
    expect(r.symptom.summary).toMatch(/when calling the AssumeRole operation: User: .* is not authorized to perform: sts:AssumeRole/);
  });

  it('a Deny in the trust policy for principals without MFA locks the job out, named by its Sid', async () => {
    const r = await checkAndStatus('permissions-boundary', {
      bucketPolicy: SPLIT_BUCKET_POLICY,
      trust: doc(ACCOUNT_TRUST.Statement[0], {
        Sid: 'RequireMfa',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sts:AssumeRole',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      }),
    });
    expect(r.message('cleanup-role-can-delete-expired')).toMatch(/RequireMfa/);
    expect(statusSaysWorks(r.symptom.summary)).toBe(false);
  });
});

describe('variant scp (AWS Organizations only), from documented Organizations responses', () => {
  const guard = scpDocument(BUCKET);
  const withGuard = scpWorld;

  it('armed: only the access criterion fails, denied by the lab SCP; status says the same', async () => {
    const r = await checkAndStatus('scp', withGuard(guard));
    expect(r.failing).toEqual(['cleanup-role-can-delete-expired']);
    expect(r.message('cleanup-role-can-delete-expired')).toContain(`service control policy ${scpNameFor(STACK)} statement ${SCP_SID}`);
    expect(r.symptom.summary).toMatch(/with an explicit deny in a service control policy$/);
    expect(r.writes).toEqual([]);
  });

  it('fixed: the guardrail exempts the cleanup role under expired/ only: fixed, and status says the deletes succeed', async () => {
    const fixed = JSON.parse(guard);
    fixed.Statement = [
      { ...fixed.Statement[0], Resource: undefined, NotResource: `${B}/expired/*` },
      {
        ...fixed.Statement[0],
        Sid: 'ExpiredForCleanup',
        Resource: `${B}/expired/*`,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/*-data-steward', ROLE_ARN(CLEANUP)] } },
      },
    ];
    const r = await checkAndStatus('scp', withGuard(JSON.stringify(fixed)));
    expect({ verdict: r.report.verdict, failing: r.failing }).toEqual({ verdict: 'fixed', failing: [] });
    expect(statusSaysWorks(r.symptom.summary)).toBe(true);
  });

  it('shortcut: the guardrail detached: the job works, but the guardrail criterion names the SCP', async () => {
    const r = await checkAndStatus('scp', withGuard(guard, false));
    expect(r.failing).toEqual(['cleanup-role-not-over-granted']);
    expect(r.message('cleanup-role-not-over-granted')).toMatch(/is no longer attached/);
    expect(statusSaysWorks(r.symptom.summary)).toBe(true);
  });

  it('shortcut: the guardrail exempts every role: the SCP no longer protects retained data from other roles', async () => {
    const loose = JSON.parse(guard);
    loose.Statement[0].Condition = { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } };
    const r = await checkAndStatus('scp', withGuard(JSON.stringify(loose)));
    expect(r.failing).toEqual(['cleanup-role-not-over-granted']);
    expect(r.message('cleanup-role-not-over-granted')).toMatch(/no longer keeps any other role .* from deleting retained data/);
  });

  it('shortcut: the guardrail exempts the cleanup role bucket-wide and the bucket policy is gone: the job may delete retained data', async () => {
    const wide = JSON.parse(guard);
    wide.Statement[0].Condition = { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/*-data-steward', ROLE_ARN(CLEANUP)] } };
    const r = await checkAndStatus('scp', { ...withGuard(JSON.stringify(wide)), bucketPolicy: undefined });
    // The guardrail still stops the reporting role; nothing stops the cleanup role outside expired/ any more.
    expect(r.failing).toEqual(['cleanup-role-not-over-granted']);
    expect(r.message('cleanup-role-not-over-granted')).toMatch(
      /s3:DeleteObject(Version)? on arn:aws:s3:::s3-delete-access-denied-data-111122223333\/(?!expired\/)/,
    );
  });
});
