import { Criterion, fail, pass } from '../../../checkers/criterion';
import { anyOtherRole, callerOf, decide, describeDecision, objectArn } from '../access';
import type { S3DeleteSnapshot } from '../gather';
import { PROTECTED_PREFIXES, SEED_KEYS } from '../lab';

/**
 * The brief: the protection keeps applying to everyone else. Checked for the
 * reporting role as it is live, and for a role nobody named that holds s3:*.
 */
export const retainedDataProtectedFromOthers: Criterion<S3DeleteSnapshot> = {
  id: 'retained-data-protected-from-others',
  title: `Other principals still cannot delete retained data (${PROTECTED_PREFIXES.join(', ')})`,
  rationale:
    'The protection exists for everyone else: a fix that lets the cleanup role delete by removing the deny also lets the reporting role, and any other role with s3:*, delete retained exports and the ledger.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
  ],
  evaluate(s) {
    const callers = [callerOf(`reporting role ${s.reporting.roleArn}`, s.reporting, 'reports'), anyOtherRole(s)];
    const keys = SEED_KEYS.filter((k) => PROTECTED_PREFIXES.some((p) => k.startsWith(p)));
    const deciders = new Set<string>();
    for (const caller of callers) {
      for (const key of keys) {
        const result = decide(s, caller, 's3:DeleteObject', objectArn(s, key));
        if (result.decision === 'Allowed') {
          const why = s.bucketPolicy ? `no statement of bucket policy ${s.bucket} denies it` : `bucket ${s.bucket} has no bucket policy`;
          return fail(`The ${caller.label} could delete ${objectArn(s, key)}: ${describeDecision(result)}, and ${why}.`);
        }
        deciders.add(describeDecision(result));
      }
    }
    return pass(
      `The reporting role and any other role with s3:* are refused s3:DeleteObject on ${PROTECTED_PREFIXES.map((p) => `s3://${s.bucket}/${p}`).join(' and ')}: ${[...deciders].join('; ')}.`,
    );
  },
};
