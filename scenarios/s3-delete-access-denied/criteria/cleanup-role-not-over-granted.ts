import { Criterion, fail, pass } from '../../../checkers/criterion';
import { describeFinding, guardrailProof, newAccessProofs } from '../access';
import type { S3DeleteSnapshot } from '../gather';
import { EXPIRED_PREFIX } from '../lab';

/**
 * Nothing more than needed: what the cleanup role may do, proved over the policies' patterns, is what
 * the deployed lab already let it do plus deleting under expired/, in every variant alike. In the scp
 * variant the guardrail must also still stand for everyone else.
 */
export const cleanupRoleNotOverGranted: Criterion<S3DeleteSnapshot> = {
  id: 'cleanup-role-not-over-granted',
  title: `The cleanup role gained nothing beyond deleting objects under ${EXPIRED_PREFIX}`,
  rationale:
    'Admin-style grants, a removed or widened permissions boundary, a bucket-wide exemption or a switched-off guardrail make the delete work by widening what a compromised job could destroy or expose; the fix must add only the delete it needs.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
    'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html',
  ],
  evaluate(s) {
    const role = s.cleanup.roleArn;
    for (const { label, result } of newAccessProofs(s)) {
      if (result.result === 'FAIL') {
        const lost =
          s.stackBoundaryArn && !s.cleanup.permissionsBoundary ? ` (it no longer has the permissions boundary ${s.stackBoundaryArn})` : '';
        return fail(`Cleanup role ${role} gained access ${label}${lost}: ${describeFinding(result)}.`);
      }
    }
    if (s.labScpName) {
      const guard = guardrailProof(s);
      if (guard) return fail(guard);
    }
    return pass(
      `Cleanup role ${role} can do nothing the deployed lab did not already allow, apart from deleting under s3://${s.bucket}/${EXPIRED_PREFIX}: proved over every action that destroys or exposes S3 objects and buckets, and every action outside S3.`,
    );
  },
};
