/**
 * Before the stack goes: CloudFormation deletes only an empty bucket, and
 * once the learner turns versioning on every write leaves versions behind.
 * Every type this stack creates has a leftover probe in breakfix, so no
 * `probes` are declared here; a scenario whose stack has other types adds
 * them (see fargate-cannot-pull-image/cleanup.ts).
 */
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { ScenarioContext } from '../../lib/scenario/types';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { NOT_FOUND, exists } from '../../lib/toolkit/aws-errors';
import { emptyBucket } from '../../lib/toolkit/s3';

export async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const [bucket] = physicalIdsOfType(await listStackResources(ctx.clients.cloudformation, ctx.stackName), 'AWS::S3::Bucket');
  if (!bucket || !(await exists(NOT_FOUND.bucket, ctx.clients.s3.send(new HeadBucketCommand({ Bucket: bucket }))))) return [];
  return [`${await emptyBucket(ctx.clients.s3, bucket)} object version(s) in ${bucket}`];
}
