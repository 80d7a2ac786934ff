import { Criterion, fail, pass } from '../../../checkers/criterion';
import { callerOf, CLEANUP_SESSION, decide, describeDecision, objectArn } from '../access';
import type { S3DeleteSnapshot } from '../gather';
import { EXPIRED_PREFIX, SEED_KEYS } from '../lab';

/** The brief: the nightly job, as the cleanup role, deletes expired objects. */
export const cleanupRoleCanDeleteExpired: Criterion<S3DeleteSnapshot> = {
  id: 'cleanup-role-can-delete-expired',
  title: `The cleanup role can delete objects under ${EXPIRED_PREFIX}`,
  rationale:
    'The nightly job must delete what has expired: a request is allowed only when no policy in force (identity, boundary, SCP, bucket policy) denies it and an identity policy allows it, so one explicit deny anywhere is enough to stop it.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
  ],
  evaluate(s) {
    const caller = callerOf('cleanup role', s.cleanup, CLEANUP_SESSION);
    const keys = SEED_KEYS.filter((k) => k.startsWith(EXPIRED_PREFIX));
    let last = '';
    for (const key of keys) {
      const result = decide(s, caller, 's3:DeleteObject', objectArn(s, key));
      if (result.decision !== 'Allowed') {
        return fail(`Cleanup role ${s.cleanup.roleArn} cannot delete ${objectArn(s, key)}: ${describeDecision(result)}.`);
      }
      last = describeDecision(result);
    }
    return pass(`Cleanup role ${s.cleanup.roleArn} can delete every object under s3://${s.bucket}/${EXPIRED_PREFIX}: ${last}.`);
  },
};
