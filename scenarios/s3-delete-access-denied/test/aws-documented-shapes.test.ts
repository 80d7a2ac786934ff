/**
 * Real-AWS behaviour against documented shapes of AWS's responses (IAM, S3, CloudFormation and
 * Organizations API references), answered through real SDK clients:
 * - `status` on a real account only reads: any write, AssumeRole included, fails the test;
 * - the scp variant (AWS only): gather reads the SCPs from Organizations, and check and status agree on
 *   the armed, fixed and short-cut guardrail;
 * - a trust policy that locks the job out fails the access criterion, naming the trust policy.
 */
import type { ScenarioContext } from '../../../lib/scenario/types';
import { makeContext } from '../../../lib/ops/context';
import { checkScenario } from '../../../lib/ops/check';
import { AWS_TARGET, stubbedClients } from '../../../test/support/stub-clients';
import scenario from '..';
import { SEED_KEYS, SCP_SID, scpDocument, scpNameFor } from '../lab';

const ACCOUNT = '111122223333';
const STACK = 's3-delete-access-denied';
const BUCKET = `${STACK}-data-${ACCOUNT}`;
const B = `arn:aws:s3:::${BUCKET}`;
const ROLE_ARN = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const CLEANUP = `${STACK}-cleanup-job`;
const REPORTING = `${STACK}-reporting`;
const STEWARD = ROLE_ARN(`${STACK}-data-steward`);
const DELETES = ['s3:DeleteObject', 's3:DeleteObjectVersion'];
const enc = (doc: object) => encodeURIComponent(JSON.stringify(doc));
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const s3All = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
const ACCOUNT_TRUST = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });
const fullAccess = JSON.stringify(doc({ Effect: 'Allow', Action: '*', Resource: '*' }));

const protect = (extra: object) => ({ Sid: 'ProtectRetainedData', Effect: 'Deny', Principal: { AWS: '*' }, Action: DELETES, ...extra });
const ARMED_BUCKET_POLICY = doc(protect({ Resource: `${B}/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': STEWARD } } }));
/** The bucket policy the stack deploys in the permissions-boundary and scp variants. */
const SPLIT_BUCKET_POLICY = doc(protect({ NotResource: `${B}/expired/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': STEWARD } } }), {
  Sid: 'ExpiredDataForCleanupOnly',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: DELETES,
  Resource: `${B}/expired/*`,
  Condition: { ArnNotLike: { 'aws:PrincipalArn': [STEWARD, ROLE_ARN(CLEANUP)] } },
});

/** The account's state, as the documented responses report it; each test edits a fresh copy. */
interface World {
  bucketPolicy?: object;
  trust: object;
  /** scp variant: the lab's guardrail content, and whether it is attached to the account. */
  scp?: { content: string; attached: boolean };
}

const READ_ONLY = /^(Get|List|Describe|Head)/;

function documentedContext(variant: string, world: World): { ctx: ScenarioContext; calls: string[]; writes: string[] } {
  const calls: string[] = [];
  const writes: string[] = [];
  const roles: Record<string, { id: string; trust: object; inline: Record<string, object> }> = {
    [CLEANUP]: { id: 'AROACLEANUPEXAMPLE01', trust: world.trust, inline: { CleanupJobS3Access: s3All } },
    [REPORTING]: { id: 'AROAREPORTINGEXAMPL1', trust: ACCOUNT_TRUST, inline: { ReportingS3Access: s3All } },
  };
  const respond = async (command: string, i: any): Promise<unknown> => {
    calls.push(command);
    if (!READ_ONLY.test(command.replace(/Command$/, ''))) {
      writes.push(command);
      throw new Error(`status and check must only read, but sent ${command}`);
    }
    switch (command) {
      case 'ListStackResourcesCommand':
        return {
          StackResourceSummaries: [
            { LogicalResourceId: 'DataBucketE3889A50', ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: BUCKET },
            { LogicalResourceId: 'CleanupJobRole7E1A1C2B', ResourceType: 'AWS::IAM::Role', PhysicalResourceId: CLEANUP },
            { LogicalResourceId: 'ReportingRoleB2C3D4E5', ResourceType: 'AWS::IAM::Role', PhysicalResourceId: REPORTING },
            { LogicalResourceId: 'DataBucketPolicy5A2B9C1D', ResourceType: 'AWS::S3::BucketPolicy', PhysicalResourceId: BUCKET },
          ],
        };
      case 'GetAccountAuthorizationDetailsCommand':
        // IAM API Reference, GetAccountAuthorizationDetails: RoleDetailList with URL-encoded documents; with the
        // LocalManagedPolicy filter, Policies holds customer managed policies only (this account has none).
        expect(i.Filter).toEqual(['Role', 'LocalManagedPolicy']);
        return {
          RoleDetailList: Object.entries(roles).map(([name, r]) => ({
            RoleName: name,
            RoleId: r.id,
            Arn: ROLE_ARN(name),
            Path: '/',
            AssumeRolePolicyDocument: enc(r.trust),
            RolePolicyList: Object.entries(r.inline).map(([PolicyName, doc]) => ({ PolicyName, PolicyDocument: enc(doc) })),
            AttachedManagedPolicies: [],
            Tags: [{ Key: 'breakfix:scenario', Value: STACK }],
          })),
          Policies: [],
          UserDetailList: [],
          GroupDetailList: [],
          IsTruncated: false,
        };
      case 'GetBucketPolicyCommand':
        if (!world.bucketPolicy)
          throw Object.assign(new Error('The bucket policy does not exist'), {
            name: 'NoSuchBucketPolicy',
            $metadata: { httpStatusCode: 404 },
          });
        return { Policy: JSON.stringify(world.bucketPolicy) };
      case 'GetPublicAccessBlockCommand':
        return {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        };
      case 'GetBucketAclCommand':
        return {
          Owner: { ID: 'c0ffee0123456789example' },
          Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'c0ffee0123456789example' }, Permission: 'FULL_CONTROL' }],
        };
      case 'ListObjectsV2Command':
        return { Contents: SEED_KEYS.map((Key) => ({ Key, Size: 40 })), IsTruncated: false, KeyCount: SEED_KEYS.length };
      case 'GetBucketLifecycleConfigurationCommand':
        throw Object.assign(new Error('The lifecycle configuration does not exist'), {
          name: 'NoSuchLifecycleConfiguration',
          $metadata: { httpStatusCode: 404 },
        });
      case 'DescribeOrganizationCommand':
        return { Organization: { Id: 'o-a1b2c3d4e5', MasterAccountId: '999988887777', FeatureSet: 'ALL' } };
      case 'ListParentsCommand':
        return i.ChildId === ACCOUNT
          ? { Parents: [{ Id: 'ou-a1b2-11111111', Type: 'ORGANIZATIONAL_UNIT' }] }
          : { Parents: [{ Id: 'r-a1b2', Type: 'ROOT' }] };
      case 'ListPoliciesForTargetCommand': {
        const full = { Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: true };
        const lab = { Id: 'p-labguard1', Name: scpNameFor(STACK), Type: 'SERVICE_CONTROL_POLICY', AwsManaged: false };
        return { Policies: i.TargetId === ACCOUNT && world.scp?.attached ? [full, lab] : [full] };
      }
      case 'DescribePolicyCommand':
        return {
          Policy: {
            PolicySummary: { Id: i.PolicyId, Type: 'SERVICE_CONTROL_POLICY' },
            Content: i.PolicyId === 'p-labguard1' ? world.scp!.content : fullAccess,
          },
        };
      default:
        throw new Error(`the documented world has no response for ${command}`);
    }
  };
  const ctx = makeContext({ scenario, target: AWS_TARGET, variant, clients: stubbedClients(AWS_TARGET, respond) });
  return { ctx, calls, writes };
}

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
  const withGuard = (content: string, attached = true): World => ({
    bucketPolicy: SPLIT_BUCKET_POLICY,
    trust: ACCOUNT_TRUST,
    scp: { content, attached },
  });

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
