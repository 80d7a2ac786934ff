/**
 * After the CDK deploy: put the report the story is about into the bucket.
 * Then prove the lab is armed: the scenario's own criteria say only
 * bucket-versioning-enabled fails.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Criterion } from '../../checkers/criterion';
import type { ArmedResult, ScenarioContext } from '../../lib/scenario/types';
import { onlyBlocking } from '../../lib/toolkit/armed';
import { gatherReports, ReportsSnapshot } from './gather';
import { REPORT_KEY } from './lab';
import { bucketVersioningEnabled } from './criteria/bucket-versioning-enabled';

export async function afterDeploy(ctx: ScenarioContext): Promise<void> {
  const s = await gatherReports(ctx);
  await ctx.clients.s3.send(new PutObjectCommand({ Bucket: s.bucket, Key: REPORT_KEY, Body: 'date,total\n2026-01-01,42\n' }));
}

/** The armed proof over the scenario's criteria (index.ts wires them in). */
export const verifyArmed =
  (criteria: readonly Criterion<ReportsSnapshot>[]) =>
  async (ctx: ScenarioContext): Promise<ArmedResult> => {
    const s = await gatherReports(ctx);
    const only = await onlyBlocking(ctx, criteria, s, bucketVersioningEnabled.id);
    return only.armed ? { armed: true, facts: [only.message] } : only;
  };
