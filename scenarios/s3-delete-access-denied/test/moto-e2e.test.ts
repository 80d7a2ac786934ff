/**
 * End to end on the kit's own moto, default variant (bucket-policy): deploy
 * arms the fault, each valid remedy (SDK or AWS CLI) is accepted, each
 * shortcut is rejected with the right criterion named, destroy leaves nothing.
 */
import { AttachRolePolicyCommand, CreatePolicyCommand } from '@aws-sdk/client-iam';
import {
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckReport } from '../../../checkers/criterion';
import { checkScenario } from '../../../lib/ops/check';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import { awsCli, useLab } from '../../../test/support/lab';
import { failing } from '../../../test/support/report';
import scenario from '..';
import { gatherS3Delete } from '../gather';

const ACCOUNT = '123456789012';
const BUCKET = `s3-delete-access-denied-data-${ACCOUNT}`;
const CLEANUP = `arn:aws:iam::${ACCOUNT}:role/s3-delete-access-denied-cleanup-job`;
const REPORTING = `arn:aws:iam::${ACCOUNT}:role/s3-delete-access-denied-reporting`;
const STEWARD = `arn:aws:iam::${ACCOUNT}:role/s3-delete-access-denied-data-steward`;
const DELETES = ['s3:DeleteObject', 's3:DeleteObjectVersion'];

/** moto loads no AWS managed policies, so the learner's "admin" is a customer managed policy allowing everything. */
async function attachAdmin(): Promise<string> {
  const created = await lab.ctx.clients.iam.send(
    new CreatePolicyCommand({
      PolicyName: `FullAdmin${Date.now()}`,
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    }),
  );
  await lab.ctx.clients.iam.send(
    new AttachRolePolicyCommand({ RoleName: 's3-delete-access-denied-cleanup-job', PolicyArn: created.Policy!.Arn }),
  );
  return created.Policy!.Arn!;
}

const messageOf = (r: CheckReport, id: string) => r.criteria.find((c) => c.id === id)!.message;

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
const deny = (extra: object) => ({ Sid: 'ProtectRetainedData', Effect: 'Deny', Principal: '*', Action: DELETES, ...extra });

async function putPolicy(doc: string): Promise<void> {
  await lab.ctx.clients.s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: doc }));
}

const lab = useLab(scenario, { variant: 'bucket-policy' });

describe('armed', () => {
  test('the deployed lab is broken only where the brief says, and the checker says not fixed', async () => {
    const s = await gatherS3Delete(lab.ctx);
    expect(s.bucket).toBe(BUCKET);
    expect(s.presentKeys).toHaveLength(5);
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['cleanup-role-can-delete-expired']);
    expect(messageOf(report, 'cleanup-role-can-delete-expired')).toBe(
      `Cleanup role ${CLEANUP} cannot delete arn:aws:s3:::${BUCKET}/expired/2024-01-31/orders.csv: denied by bucket policy ${BUCKET} statement ProtectRetainedData.`,
    );
  });

  test('status derives AWS AccessDenied message naming the resource-based policy', async () => {
    const symptom = await scenario.symptom(lab.ctx);
    expect(symptom.source).toBe('derived');
    expect(symptom.summary).toBe(
      `An error occurred (AccessDenied) when calling the DeleteObject operation: User: arn:aws:sts::${ACCOUNT}:assumed-role/s3-delete-access-denied-cleanup-job/nightly-cleanup is not authorized to perform: s3:DeleteObject on resource: "arn:aws:s3:::${BUCKET}/expired/2024-01-31/orders.csv" with an explicit deny in a resource-based policy`,
    );
    expect(symptom.explanation).toContain(`Decided by: denied by bucket policy ${BUCKET} statement ProtectRetainedData.`);
    expect(symptom.derivation).toMatch(/does not enforce IAM/);
  });
});

describe('valid remedies', () => {
  afterEach(async () => {
    await resetScenario(scenario, lab.ctx);
  });

  // Changed from a valid remedy: with s3:* left on the role, a bucket-wide exemption lets the job delete retained
  // data too, more than it needs (the brief; the outside grader's case "add the cleanup role to the bucket-wide exemption").
  test('exempting the cleanup role bucket-wide while it keeps s3:* (SDK) is not fixed: it could delete retained data', async () => {
    await putPolicy(
      policy(deny({ Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': [STEWARD, CLEANUP] } } })),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-not-over-granted']);
    expect(messageOf(report, 'cleanup-role-not-over-granted')).toMatch(
      new RegExp(
        `gained access to destroy or expose objects: s3:DeleteObject on arn:aws:s3:::${BUCKET}/exports/any-object, allowed by inline policy CleanupJobS3Access statement \\[0\\]\\.$`,
      ),
    );
  });

  test('scoping the Deny away from expired/ with NotResource (aws CLI) is fixed', async () => {
    await awsCli(lab.endpoint, [
      's3api',
      'put-bucket-policy',
      '--bucket',
      BUCKET,
      '--policy',
      policy(deny({ NotResource: `arn:aws:s3:::${BUCKET}/expired/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': STEWARD } } })),
    ]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
  });

  test('rewording into two Denies, expired/ open to the cleanup role only, from a file (aws CLI) is fixed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
    writeFileSync(
      file,
      policy(deny({ NotResource: `arn:aws:s3:::${BUCKET}/expired/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': STEWARD } } }), {
        Sid: 'ExpiredForCleanupOnly',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: DELETES,
        Resource: `arn:aws:s3:::${BUCKET}/expired/*`,
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [STEWARD, CLEANUP] } },
      }),
    );
    await awsCli(lab.endpoint, ['s3api', 'put-bucket-policy', '--bucket', BUCKET, '--policy', `file://${file}`]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
  });
});

describe('shortcuts are rejected', () => {
  afterEach(async () => {
    await resetScenario(scenario, lab.ctx);
  });

  test('deleting the whole bucket policy', async () => {
    await lab.ctx.clients.s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['retained-data-protected-from-others', 'cleanup-role-not-over-granted']);
    expect(messageOf(report, 'retained-data-protected-from-others')).toMatch(
      new RegExp(
        `^The reporting role ${REPORTING} can delete retained data: s3:DeleteObject on arn:aws:s3:::${BUCKET}/(exports|ledger)/\\S*, allowed by inline policy ReportingS3Access statement \\[0\\], and no policy in force denies it \\(bucket ${BUCKET} has no bucket policy\\)\\.$`,
      ),
    );
  });

  test('keeping the Deny and adding a Principal "*" Allow', async () => {
    await putPolicy(
      policy(deny({ Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': STEWARD } } }), {
        Sid: 'AllowCleanup',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['cleanup-role-can-delete-expired', 'bucket-not-public']);
    expect(messageOf(report, 'bucket-not-public')).toMatch(
      new RegExp(
        `^The bucket policy of ${BUCKET} grants principals outside account ${ACCOUNT}: s3:\\w+ on arn:aws:s3:::${BUCKET}\\S*, allowed by .*bucket policy ${BUCKET} statement AllowCleanup\\.$`,
      ),
    );
  });

  test('exempting every role in the account', async () => {
    await putPolicy(
      policy(
        deny({
          Resource: `arn:aws:s3:::${BUCKET}/*`,
          Condition: { ArnNotLike: { 'aws:PrincipalArn': [STEWARD, `arn:aws:iam::${ACCOUNT}:role/*`] } },
        }),
      ),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['retained-data-protected-from-others', 'cleanup-role-not-over-granted']);
    expect(messageOf(report, 'retained-data-protected-from-others')).toMatch(
      /^The reporting role .* can delete retained data: s3:DeleteObject(Version)? on .*\/(exports|ledger)\/.*, allowed by inline policy ReportingS3Access statement \[0\], and no policy in force denies it\.$/,
    );
  });

  test('narrowing the Deny to name only the reporting role', async () => {
    await putPolicy(
      policy({
        Sid: 'ProtectRetainedData',
        Effect: 'Deny',
        Principal: { AWS: REPORTING },
        Action: DELETES,
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['retained-data-protected-from-others', 'cleanup-role-not-over-granted']);
    expect(messageOf(report, 'retained-data-protected-from-others')).toMatch(
      /^Any other role of account 123456789012 with s3:\* \(e\.g\. arn:aws:iam::123456789012:role\/another-team\) can delete retained data/,
    );
  });

  test('granting the cleanup role an admin managed policy', async () => {
    const arn = await attachAdmin();
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-can-delete-expired', 'cleanup-role-not-over-granted']);
    expect(messageOf(report, 'cleanup-role-not-over-granted')).toMatch(
      new RegExp(
        `^Cleanup role ${CLEANUP} gained access outside S3: iam:AttachRolePolicy on \\S+, allowed by managed policy ${arn.split('/')[1]} statement \\[0\\]\\.$`,
      ),
    );
  });

  test('an inline admin policy on the cleanup role (aws CLI)', async () => {
    await awsCli(lab.endpoint, [
      'iam',
      'put-role-policy',
      '--role-name',
      's3-delete-access-denied-cleanup-job',
      '--policy-name',
      'Everything',
      '--policy-document',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    ]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-can-delete-expired', 'cleanup-role-not-over-granted']);
    expect(messageOf(report, 'cleanup-role-not-over-granted')).toMatch(
      /gained access outside S3: iam:AttachRolePolicy on \S+, allowed by inline policy Everything statement \[0\]\.$/,
    );
  });

  test('making the bucket public: public access block off and a public-read ACL', async () => {
    await lab.ctx.clients.s3.send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    await lab.ctx.clients.s3.send(new PutBucketAclCommand({ Bucket: BUCKET, ACL: 'public-read' }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-can-delete-expired', 'bucket-not-public']);
    expect(messageOf(report, 'bucket-not-public')).toBe(`Bucket ${BUCKET} has no public access block configuration.`);
  });

  test('a public-read ACL alone (block settings left on)', async () => {
    await lab.ctx.clients.s3.send(new PutBucketAclCommand({ Bucket: BUCKET, ACL: 'public-read' }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-can-delete-expired', 'bucket-not-public']);
    expect(messageOf(report, 'bucket-not-public')).toBe(
      `The ACL of bucket ${BUCKET} grants READ to http://acs.amazonaws.com/groups/global/AllUsers.`,
    );
  });
});

describe('destroy', () => {
  test('removes the stack, the bucket with its objects, and what the learner attached', async () => {
    const arn = await attachAdmin();
    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
    expect(result.removed).toEqual(
      expect.arrayContaining([`5 object version(s) in ${BUCKET}`, `attachment of ${arn} to IAM role s3-delete-access-denied-cleanup-job`]),
    );
    await expect(lab.ctx.clients.s3.send(new HeadBucketCommand({ Bucket: BUCKET }))).rejects.toBeDefined();
  });
});
