/**
 * Lifecycle on moto: whatever a learner did, `reset` re-arms the lab and
 * `destroy` leaves nothing behind. One moto, one lab per variant; each case
 * messes the lab up the way a learner would, then resets in-process.
 * The cases are the stuck labs outside graders found (versioning turned on,
 * the boundary attached as a permissions policy, set-default-policy-version
 * on the default version, a learner's own boundary, the "messy learner").
 */
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreatePolicyVersionCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeletePublicAccessBlockCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { destroyScenario } from '../../../lib/ops/destroy';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { awsCli, useLab, useMoto } from '../../../test/support/lab';
import { expectEverySequenceResets, expectResetRearms as rearms, learnerAction, lifecycleSeed } from '../../../test/support/lifecycle';
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

const expectResetRearms = (ctx: ScenarioContext) => rearms(scenario, ctx);

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

// ------------------------------------------------------------ model-based: random learners, then reset
/** What the sequence has done so far, to keep each action valid (AWS would refuse it otherwise). */
interface Model {
  policyDropped: boolean;
  extraPolicy?: string;
  helperRole: boolean;
  profile: boolean;
  boundary2: boolean;
}
const action = learnerAction<Model>;

const catalogue = () => [
  action('put-bucket-versioning Enabled', async (_m, ctx) => {
    await ctx.clients.s3.send(
      new PutBucketVersioningCommand({ Bucket: names(ctx).bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  }),
  action('put-object under exports/', async (_m, ctx) => {
    await ctx.clients.s3.send(new PutObjectCommand({ Bucket: names(ctx).bucket, Key: `exports/learner/${Date.now()}.csv`, Body: 'l' }));
  }),
  action('delete-bucket-policy', async (m, ctx) => {
    await ctx.clients.s3.send(new DeleteBucketPolicyCommand({ Bucket: names(ctx).bucket }));
    m.policyDropped = true;
  }),
  action(
    'delete-object expired/ (after the policy is gone)',
    async (_m, ctx) => {
      await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: names(ctx).bucket, Key: 'expired/2024-01-31/orders.csv' }));
    },
    (m) => m.policyDropped,
  ),
  action('delete-public-access-block', async (_m, ctx) => {
    await ctx.clients.s3.send(new DeletePublicAccessBlockCommand({ Bucket: names(ctx).bucket }));
  }),
  action('put-bucket-lifecycle-configuration expiring everything', async (_m, ctx) => {
    await ctx.clients.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: names(ctx).bucket,
        LifecycleConfiguration: { Rules: [{ ID: 'all', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }] },
      }),
    );
  }),
  action(
    'create-policy <stack>-extra and attach it to the cleanup role',
    async (m, ctx) => {
      const p = await ctx.clients.iam.send(
        new CreatePolicyCommand({
          PolicyName: `${ctx.stackName}-extra`,
          PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]),
        }),
      );
      m.extraPolicy = p.Policy!.Arn!;
      await ctx.clients.iam.send(new AttachRolePolicyCommand({ RoleName: names(ctx).cleanupRole, PolicyArn: m.extraPolicy }));
    },
    (m) => !m.extraPolicy,
  ),
  action(
    'create-policy-version on the extra policy, then set-default-policy-version v1 (already default)',
    async (m, ctx) => {
      await ctx.clients.iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: m.extraPolicy,
          PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }]),
        }),
      );
      await ctx.clients.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: m.extraPolicy, VersionId: 'v1' }));
    },
    (m) => Boolean(m.extraPolicy),
  ),
  action('attach-role-policy AdministratorAccess to the reporting role', async (_m, ctx) => {
    await ctx.clients.iam.send(
      new AttachRolePolicyCommand({ RoleName: names(ctx).reportingRole, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    );
  }),
  action('put-role-policy inline on the cleanup role', async (_m, ctx) => {
    await ctx.clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: names(ctx).cleanupRole,
        PolicyName: 'LearnerDelete',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:DeleteObject', Resource: '*' }]),
      }),
    );
  }),
  action('tag-role then untag-role on the cleanup role', async (_m, ctx) => {
    const iam = ctx.clients.iam;
    await iam.send(
      new TagRoleCommand({
        RoleName: names(ctx).cleanupRole,
        Tags: [
          { Key: 'team', Value: 'data' },
          { Key: 'tmp', Value: '1' },
        ],
      }),
    );
    await iam.send(new UntagRoleCommand({ RoleName: names(ctx).cleanupRole, TagKeys: ['tmp'] }));
  }),
  action('update-assume-role-policy on the cleanup role', async (_m, ctx) => {
    await ctx.clients.iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: names(ctx).cleanupRole,
        PolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
      }),
    );
  }),
  action(
    'create-role <stack>-helper with an inline policy',
    async (m, ctx) => {
      const iam = ctx.clients.iam;
      await iam.send(
        new CreateRoleCommand({
          RoleName: `${ctx.stackName}-helper`,
          AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
        }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: `${ctx.stackName}-helper`,
          PolicyName: 'All',
          PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]),
        }),
      );
      m.helperRole = true;
    },
    (m) => !m.helperRole,
  ),
  action(
    'create-instance-profile <stack>-profile with the cleanup role',
    async (m, ctx) => {
      await ctx.clients.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: `${ctx.stackName}-profile` }));
      await ctx.clients.iam.send(
        new AddRoleToInstanceProfileCommand({ InstanceProfileName: `${ctx.stackName}-profile`, RoleName: names(ctx).cleanupRole }),
      );
      m.profile = true;
    },
    (m) => !m.profile,
  ),
  action(
    'create-policy <stack>-boundary2 and put it as the reporting role boundary',
    async (m, ctx) => {
      const p = await ctx.clients.iam.send(
        new CreatePolicyCommand({
          PolicyName: `${ctx.stackName}-boundary2`,
          PolicyDocument: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
        }),
      );
      await ctx.clients.iam.send(
        new PutRolePermissionsBoundaryCommand({ RoleName: names(ctx).reportingRole, PermissionsBoundary: p.Policy!.Arn }),
      );
      m.boundary2 = true;
    },
    (m) => !m.boundary2,
  ),
  action('put-bucket-tagging', async (_m, ctx) => {
    await ctx.clients.s3.send(
      new PutBucketTaggingCommand({ Bucket: names(ctx).bucket, Tagging: { TagSet: [{ Key: 'owner', Value: 'learner' }] } }),
    );
  }),
];

describe('model-based: random learner sequences, then reset re-arms', () => {
  test(
    'every sequence of the catalogue leaves a lab that reset re-arms',
    () =>
      expectEverySequenceResets({
        scenario,
        ctx: () => bp.ctx,
        catalogue,
        initial: () => ({ policyDropped: false, helperRole: false, profile: false, boundary2: false }),
        seed: lifecycleSeed(893586913),
        runs: 2,
        maxActions: 4,
      }),
    20 * 60_000,
  );
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
