import type { LifecycleRule } from '@aws-sdk/client-s3';
import { Criterion, fail, pass } from '../../../checkers/criterion';
import { callerOf, describeFinding, othersDeleteProof, othersWithBroadS3 } from '../access';
import type { S3DeleteSnapshot } from '../gather';
import { PROTECTED_PREFIXES } from '../lab';

/** The prefix a lifecycle rule applies to; undefined when its filter is by tag or size only (any key may match). */
function rulePrefix(rule: LifecycleRule): string | undefined {
  const f = rule.Filter;
  return (
    f?.Prefix ?? f?.And?.Prefix ?? rule.Prefix ?? (f?.Tag || f?.And || f?.ObjectSizeGreaterThan || f?.ObjectSizeLessThan ? undefined : '')
  );
}

/** Whether an enabled rule makes S3 delete objects or their earlier versions (S3 "Expiring objects"). */
function expiresData(rule: LifecycleRule): boolean {
  if (rule.Status !== 'Enabled') return false;
  const e = rule.Expiration;
  return !!(e?.Days !== undefined || e?.Date !== undefined || rule.NoncurrentVersionExpiration);
}

/** A rule whose filter can match a key under `prefix`, today's or a future one. */
function reaches(rule: LifecycleRule, prefix: string): boolean {
  const p = rulePrefix(rule);
  return p === undefined || p.startsWith(prefix) || prefix.startsWith(p);
}

/**
 * The brief: retained data stays protected from everyone else. A proof over every key under the retained
 * prefixes, for the reporting role as it is live and for any other role with s3:*, plus S3's own deletes
 * through lifecycle expiration.
 */
export const retainedDataProtectedFromOthers: Criterion<S3DeleteSnapshot> = {
  id: 'retained-data-protected-from-others',
  title: `Retained data (${PROTECTED_PREFIXES.join(', ')}) cannot be deleted by other principals or by a lifecycle rule`,
  rationale:
    'The protection exists for everyone else: a fix that lets the cleanup role delete by loosening the deny also lets the reporting role, and any other role with s3:*, delete retained exports and the ledger, now or when new ones arrive; a lifecycle expiration rule deletes them without anyone asking.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html',
  ],
  evaluate(s) {
    for (const rule of s.lifecycleRules.filter(expiresData)) {
      const hit = PROTECTED_PREFIXES.find((p) => reaches(rule, p));
      if (hit)
        return fail(
          `Lifecycle rule ${rule.ID ?? '(no ID)'} of bucket ${s.bucket} expires objects${rulePrefix(rule) ? ` under ${rulePrefix(rule)}` : ''}, which reaches retained data under ${hit}.`,
        );
    }
    const callers = [callerOf(`The reporting role ${s.reporting.roleArn}`, s.reporting), ...othersWithBroadS3(s)];
    for (const caller of callers) {
      const proof = othersDeleteProof(s, caller);
      if (proof.result === 'FAIL')
        return fail(
          `${caller.label} can delete retained data: ${describeFinding(proof)}, and no policy in force denies it${s.bucketPolicy ? '' : ` (bucket ${s.bucket} has no bucket policy)`}.`,
        );
    }
    return pass(
      `Neither the reporting role nor any other role with s3:* can delete or permanently delete any object under ${PROTECTED_PREFIXES.map((p) => `s3://${s.bucket}/${p}`).join(' or ')}, at any time, and no lifecycle rule expires them.`,
    );
  },
};
