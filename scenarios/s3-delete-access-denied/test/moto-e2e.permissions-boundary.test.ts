/**
 * End to end on moto, variant permissions-boundary: the bucket policy is
 * already right, and the cleanup role's boundary allows only Get/Put/List.
 * Extending the boundary by exactly the delete it needs passes; removing or
 * widening it, admin, and the bucket shortcuts fail with the right criterion.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  PutRolePermissionsBoundaryCommand,
} from '@aws-sdk/client-iam';
import { DeleteBucketPolicyCommand, DeletePublicAccessBlockCommand, GetBucketPolicyCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import type { CheckReport } from '../../../checkers/criterion';
import { checkScenario } from '../../../lib/ops/check';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import { awsCli, useLab } from '../../../test/support/lab';
import { failing } from '../../../test/support/report';
import scenario from '..';

const ACCOUNT = '123456789012';
const LAB = 'ada-s3-delete-access-denied';
const BUCKET = `${LAB}-data-${ACCOUNT}`;
const ROLE_NAME = `${LAB}-cleanup-job`;
const CLEANUP = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/${LAB}-cleanup-boundary`;

const messageOf = (r: CheckReport, id: string) => r.criteria.find((c) => c.id === id)!.message;

/** The armed boundary's statements, plus whatever a test adds. */
function boundary(...extra: object[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadWriteObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${BUCKET}/*` },
      { Sid: 'ListBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` },
      ...extra,
    ],
  });
}
const deleteExpired = { Sid: 'DeleteExpired', Effect: 'Allow', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${BUCKET}/expired/*` };

async function newBoundaryVersion(doc: string): Promise<void> {
  await lab.ctx.clients.iam.send(new CreatePolicyVersionCommand({ PolicyArn: BOUNDARY, PolicyDocument: doc, SetAsDefault: true }));
}

const lab = useLab(scenario, { learner: 'ada', variant: 'permissions-boundary' });

describe('armed', () => {
  test('only the cleanup criterion fails, decided by the boundary', async () => {
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['cleanup-role-can-delete-expired']);
    expect(messageOf(report, 'cleanup-role-can-delete-expired')).toBe(
      `Cleanup role ${CLEANUP} cannot delete arn:aws:s3:::${BUCKET}/expired/2024-01-31/orders.csv: implicitly denied: the permissions boundary ${LAB}-cleanup-boundary does not allow s3:DeleteObject.`,
    );
  });

  test('status derives the implicit-deny message that names the permissions boundary', async () => {
    const symptom = await scenario.symptom(lab.ctx);
    expect(symptom.source).toBe('derived');
    expect(symptom.summary).toBe(
      `An error occurred (AccessDenied) when calling the DeleteObject operation: User: arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/nightly-cleanup is not authorized to perform: s3:DeleteObject on resource: "arn:aws:s3:::${BUCKET}/expired/2024-01-31/orders.csv" because no permissions boundary allows the s3:DeleteObject action`,
    );
  });

  test('the bucket policy already lets the cleanup role delete under expired/', async () => {
    const doc = JSON.parse((await lab.ctx.clients.s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy!);
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['ProtectRetainedData', 'ExpiredDataForCleanupOnly']);
  });
});

describe('valid remedies', () => {
  afterEach(async () => {
    await resetScenario(scenario, lab.ctx);
  });

  test('a new default boundary version adding s3:DeleteObject on expired/ (SDK) is fixed', async () => {
    await newBoundaryVersion(boundary(deleteExpired));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
  });

  test('the same with the aws CLI is fixed', async () => {
    await awsCli(lab.endpoint, [
      'iam',
      'create-policy-version',
      '--policy-arn',
      BOUNDARY,
      '--policy-document',
      boundary(deleteExpired),
      '--set-as-default',
    ]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('fixed');
  });

  test('swapping in a new boundary policy with exactly that extra delete is fixed', async () => {
    const created = await lab.ctx.clients.iam.send(
      new CreatePolicyCommand({ PolicyName: 'cleanup-boundary-v2', PolicyDocument: boundary(deleteExpired) }),
    );
    await lab.ctx.clients.iam.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: ROLE_NAME, PermissionsBoundary: created.Policy!.Arn }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
  });
});

describe('shortcuts are rejected', () => {
  afterEach(async () => {
    await resetScenario(scenario, lab.ctx);
  });

  test('removing the boundary altogether', async () => {
    await lab.ctx.clients.iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: ROLE_NAME }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-not-over-granted']);
    expect(messageOf(report, 'cleanup-role-not-over-granted')).toMatch(
      new RegExp(
        `^Cleanup role ${CLEANUP} gained access to destroy or expose objects \\(it no longer has the permissions boundary ${BOUNDARY}\\): s3:\\w+ on arn:aws:s3:::\\S+, allowed by inline policy CleanupJobS3Access statement \\[0\\]\\.$`,
      ),
    );
  });

  test('widening the boundary to s3:* on *', async () => {
    await newBoundaryVersion(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-not-over-granted']);
    expect(messageOf(report, 'cleanup-role-not-over-granted')).toMatch(
      /gained access to destroy or expose objects: s3:\w+ on arn:aws:s3:::\S+, allowed by inline policy CleanupJobS3Access/,
    );
  });

  // Changed from a shortcut: effective access is the identity policy within the boundary, minus explicit Denies
  // (IAM "Policy evaluation logic"), and the bucket policy's ProtectRetainedData still denies the job outside expired/.
  test('adding the delete on the whole bucket is fixed: the bucket policy still limits the job to expired/', async () => {
    await newBoundaryVersion(boundary({ ...deleteExpired, Resource: `arn:aws:s3:::${BUCKET}/*` }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
  });

  test('adding the delete on every bucket', async () => {
    await newBoundaryVersion(boundary({ ...deleteExpired, Resource: 'arn:aws:s3:::*/expired/*' }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-not-over-granted']);
    expect(messageOf(report, 'cleanup-role-not-over-granted')).toMatch(
      /s3:DeleteObject on arn:aws:s3:::another-bucket\/expired\/any-object, allowed by inline policy CleanupJobS3Access/,
    );
  });

  // Admin inside the boundary gains nothing (a boundary caps identity policies); the delete stays refused.
  test('granting the cleanup role admin', async () => {
    const created = await lab.ctx.clients.iam.send(
      new CreatePolicyCommand({
        PolicyName: 'FullAdmin',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
      }),
    );
    await lab.ctx.clients.iam.send(new AttachRolePolicyCommand({ RoleName: ROLE_NAME, PolicyArn: created.Policy!.Arn }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-can-delete-expired']);
  });

  test('deleting the bucket policy', async () => {
    await lab.ctx.clients.s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-can-delete-expired', 'retained-data-protected-from-others']);
  });

  test('making the bucket public', async () => {
    await lab.ctx.clients.s3.send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-can-delete-expired', 'bucket-not-public']);
  });
});

describe('destroy', () => {
  test('removes the stack, the bucket, the roles and the boundary policy, even with extra policy versions', async () => {
    await newBoundaryVersion(boundary(deleteExpired));
    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
    await expect(lab.ctx.clients.s3.send(new HeadBucketCommand({ Bucket: BUCKET }))).rejects.toBeDefined();
  });
});
