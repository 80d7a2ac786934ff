import {
  GetBucketAclCommand,
  GetBucketLifecycleConfigurationCommand,
  GetPublicAccessBlockCommand,
  Grant,
  LifecycleRule,
  paginateListObjectsV2,
  PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import type { ScenarioContext } from '../../lib/scenario/types';
import { ReadView, withReadView } from '../../lib/scenario/read-view';
import { collectPages } from '../../lib/core/paging';
import { errorName, ignoring } from '../../lib/toolkit/aws-errors';
import { physicalIdByLogicalPrefix, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import type { NamedPolicy, ScpLevel } from '../../lib/engines/iam';
import { readBucketPolicy, RolePolicies } from '../../lib/live-policies';
import type { TargetKind } from '../../lib/targets/target';
import { EXPIRED_PREFIX, scpNameFor, SEED_KEYS } from './lab';

/** Live state the criteria and the symptom read; gathered once per check. */
export interface S3DeleteSnapshot {
  readonly target: TargetKind;
  readonly variant: string;
  readonly stackName: string;
  readonly account: string;
  readonly partition: string;
  /** The Region the lab (and its bucket) is in: aws:RequestedRegion of the job's requests. */
  readonly region: string;
  /** The organization of the lab's account: null when in none, undefined when it could not be read. */
  readonly principalOrgId?: string | null;
  readonly bucket: string;
  readonly cleanup: RolePolicies;
  readonly reporting: RolePolicies;
  readonly bucketPolicy?: NamedPolicy;
  /** The bucket's public access block, undefined when it has none. */
  readonly publicAccessBlock?: PublicAccessBlockConfiguration;
  readonly aclGrants: Grant[];
  /** The boundary the stack created (permissions-boundary variant), whether or not it is still attached. */
  readonly stackBoundaryArn?: string;
  /** Seeded keys still present in the bucket. */
  readonly presentKeys: string[];
  /** Every key under expired/ today (the job must be able to delete each). */
  readonly expiredKeys: string[];
  /** The bucket's lifecycle rules (S3 deletes what an expiration rule matches); empty when it has none. */
  readonly lifecycleRules: LifecycleRule[];
  /** scp variant: the SCPs in force for the account, root first (read only in that variant). */
  readonly scps?: ScpLevel[];
  /** scp variant: the name of the guardrail SCP the lab created. */
  readonly labScpName?: string;
}

export class SnapshotError extends Error {}

async function readPublicAccessBlock(ctx: ScenarioContext, bucket: string): Promise<PublicAccessBlockConfiguration | undefined> {
  const out = await ignoring(
    ['NoSuchPublicAccessBlockConfiguration'],
    ctx.clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
  );
  return out?.PublicAccessBlockConfiguration;
}

/**
 * The bucket's keys from one listing. Not HeadObject per key: without
 * s3:ListBucket, S3 answers HeadObject on a missing key with 403, which would
 * make a refusal and an absence look alike.
 */
async function listKeys(ctx: ScenarioContext, bucket: string): Promise<string[]> {
  const listed = await collectPages(paginateListObjectsV2({ client: ctx.clients.s3 }, { Bucket: bucket }), (p) => p.Contents);
  return listed.map((o) => o.Key!).filter(Boolean);
}

async function readLifecycleRules(ctx: ScenarioContext, bucket: string): Promise<LifecycleRule[]> {
  const out = await ignoring(
    ['NoSuchLifecycleConfiguration'],
    ctx.clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
  );
  return out?.Rules ?? [];
}

/**
 * The account's organization (aws:PrincipalOrgID): null when the account is in none; undefined when the
 * grader may not read it (a refusal is not an absence, so the key stays unknown).
 */
async function readOrgId(view: ReadView): Promise<string | null | undefined> {
  try {
    const out = await ignoring(['AWSOrganizationsNotInUseException'], view.organization());
    return out ? (out.Organization?.Id ?? undefined) : null;
  } catch (err) {
    if (errorName(err) === 'AccessDeniedException' || errorName(err) === 'AccessDenied') return undefined;
    throw err;
  }
}

export async function gatherS3Delete(scenarioCtx: ScenarioContext): Promise<S3DeleteSnapshot> {
  const ctx = withReadView(scenarioCtx);
  const view = ctx.view;
  const resources = await view.stackResources(ctx.stackName);
  const [bucket] = physicalIdsOfType(resources, 'AWS::S3::Bucket');
  const cleanupRole = physicalIdByLogicalPrefix(resources, 'CleanupJobRole', 'AWS::IAM::Role');
  const reportingRole = physicalIdByLogicalPrefix(resources, 'ReportingRole', 'AWS::IAM::Role');
  if (!bucket || !cleanupRole || !reportingRole) {
    throw new SnapshotError(
      `Stack ${ctx.stackName} does not list its bucket, cleanup role and reporting role; it is not a complete ${ctx.scenarioId} lab.`,
    );
  }
  const [cleanup, reporting, bucketPolicy, publicAccessBlock, acl, keys, lifecycleRules, principalOrgId] = await Promise.all([
    view.rolePolicies(cleanupRole),
    view.rolePolicies(reportingRole),
    readBucketPolicy(ctx.clients.s3, bucket),
    readPublicAccessBlock(ctx, bucket),
    ctx.clients.s3.send(new GetBucketAclCommand({ Bucket: bucket })),
    listKeys(ctx, bucket),
    readLifecycleRules(ctx, bucket),
    readOrgId(view),
  ]);
  const scps = ctx.variant === 'scp' ? await view.scpLevels(cleanup.account) : undefined;
  return {
    scps,
    labScpName: ctx.variant === 'scp' ? scpNameFor(ctx.stackName) : undefined,
    target: ctx.target.kind,
    variant: ctx.variant,
    stackName: ctx.stackName,
    account: cleanup.account,
    partition: cleanup.roleArn.split(':')[1],
    region: ctx.target.region,
    principalOrgId,
    bucket,
    cleanup,
    reporting,
    bucketPolicy,
    publicAccessBlock,
    aclGrants: acl.Grants ?? [],
    stackBoundaryArn: physicalIdsOfType(resources, 'AWS::IAM::ManagedPolicy')[0],
    presentKeys: SEED_KEYS.filter((k) => keys.includes(k)),
    expiredKeys: keys.filter((k) => k.startsWith(EXPIRED_PREFIX)),
    lifecycleRules,
  };
}
