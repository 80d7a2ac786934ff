/**
 * The facts of this lab that the stack, the arming step, the checker and the
 * clean-up share: the bucket's prefixes and seeded objects, the names of the
 * policies the stack creates, and the scp variant's guardrail.
 */

/** The prefix the nightly job cleans; everything else in the bucket is retained data. */
export const EXPIRED_PREFIX = 'expired/';
/** Prefixes whose objects nobody but the data steward may delete. */
export const PROTECTED_PREFIXES = ['exports/', 'ledger/'] as const;
/**
 * Objects seeded after deploy. The canary is the one object `status` may
 * delete (and put back) when it probes real AWS.
 */
export const CANARY_KEY = `${EXPIRED_PREFIX}breakfix-canary.txt`;
export const SEED_KEYS = [
  `${EXPIRED_PREFIX}2024-01-31/orders.csv`,
  `${EXPIRED_PREFIX}2024-02-29/orders.csv`,
  CANARY_KEY,
  'exports/2025-06-30/customers.csv',
  'ledger/2025/q2.parquet',
] as const;

/** Names of the policies the stack creates; anything else on the roles was added by the learner. */
export const CLEANUP_POLICY_NAME = 'CleanupJobS3Access';
export const REPORTING_POLICY_NAME = 'ReportingS3Access';
export const PROTECT_SID = 'ProtectRetainedData';

/** The data steward, the one principal every variant exempts from the protection (the role need not exist). */
export function stewardArnOf(partition: string, account: string, stackName: string): string {
  return `arn:${partition}:iam::${account}:role/${stackName}-data-steward`;
}

/** The scp variant's guardrail, created through Organizations after deploy (CloudFormation would need the management account). */
export const SCP_SID = 'OnlyStewardsDeleteLabData';
export function scpNameFor(stackName: string): string {
  return `${stackName}-protect-deletes`;
}
/** Scoped to the lab bucket, so the guardrail never touches anything else in the account. */
export function scpDocument(bucket: string, partition = 'aws'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: SCP_SID,
        Effect: 'Deny',
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        Resource: `arn:${partition}:s3:::${bucket}/*`,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:${partition}:iam::*:role/*-data-steward` } },
      },
    ],
  });
}
