import { Criterion, notApplicable, pass } from '../../../checkers/criterion';
import type { ReportsSnapshot } from '../gather';

/** Advice: a kind the framework shows as advice, and never counts against the verdict. */
export const noncurrentVersionsExpire: Criterion<ReportsSnapshot> = {
  id: 'noncurrent-versions-expire',
  title: 'Earlier versions of reports expire after a while',
  kind: 'advice',
  rationale: 'A versioned bucket keeps, and bills, every earlier version until a lifecycle rule expires them.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html'],
  evaluate(s) {
    if (s.versioning !== 'Enabled') return notApplicable(`S3 bucket ${s.bucket} keeps no earlier versions to expire.`);
    const rule = s.lifecycleRules.find((r) => r.Status === 'Enabled' && r.NoncurrentVersionExpiration?.NoncurrentDays);
    if (rule)
      return pass(
        `Lifecycle rule ${rule.ID ?? '(unnamed)'} of S3 bucket ${s.bucket} expires earlier versions after ${rule.NoncurrentVersionExpiration!.NoncurrentDays} days.`,
      );
    return pass(
      `No lifecycle rule of S3 bucket ${s.bucket} expires earlier versions; this does not change the verdict.`,
      'Earlier versions are kept forever unless a lifecycle rule with NoncurrentVersionExpiration removes them.',
    );
  },
};
