import { Criterion, fail, pass } from '../../../checkers/criterion';
import { describeDecision, jobOutcome, objectArn } from '../access';
import type { S3DeleteSnapshot } from '../gather';
import { EXPIRED_PREFIX } from '../lab';

/** The brief: the nightly job assumes the cleanup role and deletes what is under expired/. */
export const cleanupRoleCanDeleteExpired: Criterion<S3DeleteSnapshot> = {
  id: 'cleanup-role-can-delete-expired',
  title: `The nightly job can assume the cleanup role and delete objects under ${EXPIRED_PREFIX}`,
  rationale:
    'The job first assumes the cleanup role, which its trust policy must allow; then each delete is allowed only when no policy in force (identity, boundary, SCP, bucket policy) denies it and one allows it, so one explicit deny anywhere, or a trust policy that no longer admits the job, is enough to stop it.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
  ],
  evaluate(s) {
    const outcome = jobOutcome(s);
    if (outcome.step === 'assume')
      return fail(
        `The nightly job, a principal of account ${s.account}, cannot assume cleanup role ${s.cleanup.roleArn}: sts:AssumeRole is ${describeDecision(outcome.trust.results.find((r) => r.decision !== 'Allowed')!)}.`,
      );
    if (!outcome.works)
      return fail(`Cleanup role ${s.cleanup.roleArn} cannot delete ${objectArn(s, outcome.key)}: ${describeDecision(outcome.result)}.`);
    return pass(
      `The nightly job can assume cleanup role ${s.cleanup.roleArn}, and the role can delete every object under s3://${s.bucket}/${EXPIRED_PREFIX} (today's and new ones): ${describeDecision(outcome.result)}.`,
    );
  },
};
