/**
 * Before the stack goes: empty the bucket (CloudFormation will not delete a
 * bucket with objects; the bucket policy comes off first because its Deny
 * would stop these deletes), undo what the learner did to IAM, and remove
 * the scp variant's guardrail. After: what the emulator's CloudFormation
 * leaves behind. Leftovers are looked up by the names the lab uses.
 */
import { DeleteBucketPolicyCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetPolicyCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import {
  DeletePolicyCommand as DeleteOrgPolicyCommand,
  DetachPolicyCommand,
  paginateListTargetsForPolicy,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { collectPages } from '../../lib/core/paging';
import type { ScenarioContext } from '../../lib/scenario/types';
import { deleteManagedPolicy, sweepLearnerIam } from '../../lib/cleanup/iam-sweeper';
import { describeStack, listStackResources } from '../../lib/engines/cfn/stack-state';
import { NOT_FOUND, exists } from '../../lib/toolkit/aws-errors';
import { emptyBucket } from '../../lib/toolkit/s3';
import { findLabScp } from './arm';
import { scpNameFor } from './lab';

interface Names {
  readonly bucket: string;
  readonly roles: string[];
  readonly boundaryArn: string;
}

/** The physical names the stack gives its bucket, roles and boundary policy. */
async function namesOf(ctx: ScenarioContext): Promise<Names> {
  const id = await ctx.clients.sts.send(new GetCallerIdentityCommand({}));
  const partition = id.Arn?.split(':')[1] ?? 'aws';
  return {
    bucket: `${ctx.stackName}-data-${id.Account}`,
    roles: [`${ctx.stackName}-cleanup-job`, `${ctx.stackName}-reporting`],
    boundaryArn: `arn:${partition}:iam::${id.Account}:policy/${ctx.stackName}-cleanup-boundary`,
  };
}

const bucketExists = (ctx: ScenarioContext, bucket: string) =>
  exists(NOT_FOUND.bucket, ctx.clients.s3.send(new HeadBucketCommand({ Bucket: bucket })));

async function removeLabScp(ctx: ScenarioContext): Promise<string[]> {
  const id = await findLabScp(ctx);
  if (!id) return [];
  const org = ctx.clients.organizations;
  const targets = await collectPages(paginateListTargetsForPolicy({ client: org }, { PolicyId: id }), (p) => p.Targets);
  for (const t of targets) await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: t.TargetId }));
  await org.send(new DeleteOrgPolicyCommand({ PolicyId: id }));
  return [`service control policy ${scpNameFor(ctx.stackName)} (${id})`];
}

export async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const names = await namesOf(ctx);
  const removed: string[] = [];
  if (await bucketExists(ctx, names.bucket)) {
    await ctx.clients.s3.send(new DeleteBucketPolicyCommand({ Bucket: names.bucket }));
    const count = await emptyBucket(ctx.clients.s3, names.bucket);
    removed.push(`bucket policy of ${names.bucket}`, `${count} object version(s) in ${names.bucket}`);
  }
  if (await describeStack(ctx.clients.cloudformation, ctx.stackName)) {
    removed.push(
      ...(await sweepLearnerIam(ctx.clients, ctx.stackName, await listStackResources(ctx.clients.cloudformation, ctx.stackName))),
    );
  }
  if (ctx.variant === 'scp') removed.push(...(await removeLabScp(ctx)));
  return removed;
}

/**
 * moto's CloudFormation leaves AWS::IAM::ManagedPolicy behind on stack delete
 * (a gap, not a retain policy); AWS deletes it. Remove it if it is still there.
 */
export async function afterStackDeleted(ctx: ScenarioContext): Promise<string[]> {
  const names = await namesOf(ctx);
  if (!(await exists(NOT_FOUND.iamEntity, ctx.clients.iam.send(new GetPolicyCommand({ PolicyArn: names.boundaryArn }))))) return [];
  await deleteManagedPolicy(ctx.clients.iam, names.boundaryArn);
  return [`IAM policy ${names.boundaryArn} (left by the emulator's CloudFormation)`];
}

export async function leftovers(ctx: ScenarioContext): Promise<string[]> {
  const names = await namesOf(ctx);
  const left: string[] = [];
  if (await bucketExists(ctx, names.bucket)) left.push(`S3 bucket ${names.bucket}`);
  for (const roleName of names.roles) {
    if (await exists(NOT_FOUND.iamEntity, ctx.clients.iam.send(new GetRoleCommand({ RoleName: roleName }))))
      left.push(`IAM role ${roleName}`);
  }
  if (await exists(NOT_FOUND.iamEntity, ctx.clients.iam.send(new GetPolicyCommand({ PolicyArn: names.boundaryArn }))))
    left.push(`IAM policy ${names.boundaryArn}`);
  if (ctx.variant === 'scp') {
    const id = await findLabScp(ctx);
    if (id) left.push(`service control policy ${scpNameFor(ctx.stackName)} (${id})`);
  }
  return left;
}
