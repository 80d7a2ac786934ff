/**
 * Reads, once per check, everything the criteria, the symptom and the armed
 * proof look at. Read-only: Get/List calls only.
 */
import { GetBucketLifecycleConfigurationCommand, GetBucketVersioningCommand, LifecycleRule } from '@aws-sdk/client-s3';
import type { ScenarioContext } from '../../lib/scenario/types';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { ignoring } from '../../lib/toolkit/aws-errors';

/** Live state the criteria and the symptom read. */
export interface ReportsSnapshot {
  readonly stackName: string;
  readonly bucket: string;
  /** `Enabled`, `Suspended`, or undefined when versioning was never turned on. */
  readonly versioning?: string;
  readonly lifecycleRules: readonly LifecycleRule[];
}

export async function gatherReports(ctx: ScenarioContext): Promise<ReportsSnapshot> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const [bucket] = physicalIdsOfType(resources, 'AWS::S3::Bucket');
  if (!bucket) throw new Error(`Stack ${ctx.stackName} lists no S3 bucket; it is not a complete ${ctx.scenarioId} lab.`);
  const [versioning, lifecycle] = await Promise.all([
    ctx.clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket })),
    // A bucket without lifecycle rules answers NoSuchLifecycleConfiguration.
    ignoring(['NoSuchLifecycleConfiguration'], ctx.clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))),
  ]);
  return { stackName: ctx.stackName, bucket, versioning: versioning.Status, lifecycleRules: lifecycle?.Rules ?? [] };
}
