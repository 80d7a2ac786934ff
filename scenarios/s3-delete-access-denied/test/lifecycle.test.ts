/**
 * Lifecycle on moto: whatever a learner did, `reset` re-arms the lab and
 * `destroy` leaves nothing behind. One moto, one lab per variant; each case
 * messes the lab up the way a learner would, then resets in-process.
 * The cases are the stuck labs outside graders found (versioning turned on,
 * the boundary attached as a permissions policy, set-default-policy-version
 * on the default version, a learner's own boundary, the "messy learner").
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeletePublicAccessBlockCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { checkScenario } from '../../../lib/ops/check';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { awsCli, useLab, useMoto } from '../../../test/support/lab';
import scenario from '..';

const ACCOUNT = '123456789012';
const names = (ctx: ScenarioContext) => ({
  bucket: `${ctx.stackName}-data-${ACCOUNT}`,
  cleanupRole: `${ctx.stackName}-cleanup-job`,
  reportingRole: `${ctx.stackName}-reporting`,
  boundary: `arn:aws:iam::${ACCOUNT}:policy/${ctx.stackName}-cleanup-boundary`,
});
const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const moto = useMoto();
const bp = useLab(scenario, { moto, learner: 'bp', variant: 'bucket-policy' });
const pb = useLab(scenario, { moto, learner: 'pb', variant: 'permissions-boundary' });

/** reset must succeed, and leave a lab that is armed and graded not fixed. */
async function expectResetRearms(ctx: ScenarioContext): Promise<void> {
  const result = await resetScenario(scenario, ctx);
  expect(result.armedFacts.length).toBeGreaterThan(0);
  expect((await scenario.verifyArmed(ctx)).armed).toBe(true);
  expect((await checkScenario(scenario, ctx)).verdict).toBe('not-fixed');
}

describe('reset re-arms after', () => {
  test('versioning turned on, an object written and one deleted (a delete marker)', async () => {
    const n = names(bp.ctx);
    const s3 = bp.ctx.clients.s3;
    await s3.send(new PutBucketVersioningCommand({ Bucket: n.bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: n.bucket, Key: 'exports/2025-09-30/customers.csv', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: n.bucket, Key: 'exports/2025-09-30/customers.csv', Body: 'y' }));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: n.bucket }));
    await s3.send(new DeleteObjectCommand({ Bucket: n.bucket, Key: 'expired/2024-01-31/orders.csv' }));
    await expectResetRearms(bp.ctx);
  });

  test('the stack boundary attached as a permissions policy, and a learner boundary put in its place', async () => {
    const n = names(pb.ctx);
    const iam = pb.ctx.clients.iam;
    const wide = await iam.send(
      new CreatePolicyCommand({
        PolicyName: `${pb.ctx.stackName}-wide-boundary`,
        PolicyDocument: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
      }),
    );
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: n.cleanupRole, PermissionsBoundary: wide.Policy!.Arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: n.cleanupRole, PolicyArn: n.boundary }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: n.cleanupRole, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await expectResetRearms(pb.ctx);
  });

  test('set-default-policy-version on the version that is already default (aws CLI)', async () => {
    const n = names(pb.ctx);
    await pb.ctx.clients.iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: n.boundary, PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) }),
    );
    await awsCli(pb.endpoint, ['iam', 'set-default-policy-version', '--policy-arn', n.boundary, '--version-id', 'v1']);
    await pb.ctx.clients.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: n.boundary, VersionId: 'v1' }));
    await expectResetRearms(pb.ctx);
  });

  test('a messy learner: extra policies, admin, inline grants, tags, trust, versioning, lifecycle, no public access block', async () => {
    const n = names(bp.ctx);
    const iam = bp.ctx.clients.iam;
    const s3 = bp.ctx.clients.s3;
    const extra = await iam.send(
      new CreatePolicyCommand({
        PolicyName: `${bp.ctx.stackName}-cleanup-extra`,
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }]),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: n.cleanupRole, PolicyArn: extra.Policy!.Arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: n.reportingRole, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: n.reportingRole,
        PolicyName: 'Extra',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }]),
      }),
    );
    await iam.send(new TagRoleCommand({ RoleName: n.cleanupRole, Tags: [{ Key: 'data-duty', Value: 'expired-cleanup' }] }));
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: n.cleanupRole,
        PolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
      }),
    );
    await s3.send(new PutBucketVersioningCommand({ Bucket: n.bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: n.bucket, Key: 'ledger/2025/q3.parquet', Body: 'z' }));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: n.bucket }));
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: n.bucket,
        LifecycleConfiguration: { Rules: [{ ID: 'expire-all', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }] },
      }),
    );
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: n.bucket }));
    await expectResetRearms(bp.ctx);
  });
});

describe('destroy', () => {
  test('after a learner touched both labs, destroy succeeds and leaves nothing', async () => {
    const n = names(pb.ctx);
    await pb.ctx.clients.iam.send(new AttachRolePolicyCommand({ RoleName: n.cleanupRole, PolicyArn: n.boundary }));
    await bp.ctx.clients.s3.send(
      new PutBucketVersioningCommand({ Bucket: names(bp.ctx).bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    for (const lab of [bp, pb]) {
      const result = await destroyScenario(scenario, lab.ctx);
      expect(result.leftovers).toEqual([]);
    }
  });
});
