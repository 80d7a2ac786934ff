import { Criterion, fail, pass } from '../../../checkers/criterion';
import { describeStatement, evaluatePolicyDocument, NamedPolicy } from '../../../lib/engines/iam';
import { sessionArnOf } from '../../../lib/toolkit/arn';
import { anyOtherRole, bucketArn, objectArn } from '../access';
import type { S3DeleteSnapshot } from '../gather';
import { EXPIRED_PREFIX, PROTECTED_PREFIXES, SEED_KEYS } from '../lab';

/** Actions far outside the cleanup job; an identity policy that allows one is an admin-style grant. */
const OUTSIDE_THE_JOB = [
  'iam:AttachRolePolicy',
  'iam:DeleteRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'ec2:RunInstances',
  'lambda:CreateFunction',
  'kms:Decrypt',
  'dynamodb:DeleteTable',
];

function allowedBy(policy: NamedPolicy, s: S3DeleteSnapshot, action: string, resourceArn: string): string | undefined {
  const principalArn = sessionArnOf(s.cleanup.roleArn, 'probe');
  const result = evaluatePolicyDocument(
    policy.document,
    { principalArn, action, resourceArn, resourceAccount: s.account },
    { type: 'identity', name: policy.name, arn: policy.arn },
  );
  if (result.effect !== 'Allow') return undefined;
  return describeStatement({ ...result.statements[0], policyKind: policy.kind });
}

/**
 * The fix must be narrow: no admin for the cleanup role; (boundary variant)
 * the boundary still in place, widened by at most s3:DeleteObject on the
 * expired prefix of this bucket; (scp variant) the guardrail SCP still
 * attached and still denying other roles.
 */
export const cleanupRoleNotOverGranted: Criterion<S3DeleteSnapshot> = {
  id: 'cleanup-role-not-over-granted',
  title: 'The cleanup role gained nothing beyond deleting expired objects',
  rationale:
    'Admin-style grants, a removed permissions boundary or a switched-off guardrail make the delete work by widening what a compromised job could do; the fix must add only the delete it needs.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
    'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html',
  ],
  evaluate(s) {
    const role = s.cleanup;
    const admin = role.attachedPolicyArns.find((arn) => /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/.test(arn));
    if (admin) return fail(`Cleanup role ${role.roleArn} has ${admin} attached.`);
    for (const policy of role.identity) {
      for (const action of OUTSIDE_THE_JOB) {
        const by = allowedBy(policy, s, action, '*');
        if (by) return fail(`Cleanup role ${role.roleArn} is allowed ${action} on * by ${by}: far more than a cleanup job needs.`);
      }
    }
    if (s.labScpName) {
      const scp = s.scps?.flatMap((l) => l.policies.map((p) => ({ level: l.target, p }))).find((x) => x.p.name === s.labScpName);
      if (!scp) return fail(`Service control policy ${s.labScpName} is no longer attached to account ${s.account} or any of its parents.`);
      const other = anyOtherRole(s);
      const key = SEED_KEYS.find((k) => k.startsWith(PROTECTED_PREFIXES[0]))!;
      const verdict = evaluatePolicyDocument(
        scp.p.document,
        {
          principalArn: other.sessionArn,
          action: 's3:DeleteObject',
          resourceArn: objectArn(s, key),
          resourceAccount: s.account,
          context: { 'aws:PrincipalArn': other.roleArn, 'aws:PrincipalAccount': s.account },
        },
        { type: 'scp', name: scp.p.name },
      );
      if (verdict.effect !== 'Deny')
        return fail(
          `Service control policy ${s.labScpName} no longer denies s3:DeleteObject on ${objectArn(s, key)} to ${other.label}: the guardrail was switched off rather than narrowed.`,
        );
    }
    if (s.stackBoundaryArn) {
      const boundary = role.permissionsBoundary;
      if (!boundary) return fail(`Cleanup role ${role.roleArn} no longer has a permissions boundary (it had ${s.stackBoundaryArn}).`);
      const probes: [string, string][] = [
        ...PROTECTED_PREFIXES.map((p): [string, string] => ['s3:DeleteObject', objectArn(s, `${p}any-object`)]),
        ['s3:DeleteObject', `arn:${s.partition}:s3:::another-bucket/${EXPIRED_PREFIX}any-object`],
        ['s3:DeleteBucket', bucketArn(s)],
        ['s3:PutBucketPolicy', bucketArn(s)],
        ['s3:DeleteBucketPolicy', bucketArn(s)],
        ['s3:PutBucketPublicAccessBlock', bucketArn(s)],
        ['s3:PutBucketAcl', bucketArn(s)],
        ...OUTSIDE_THE_JOB.map((a): [string, string] => [a, '*']),
      ];
      for (const [action, resourceArn] of probes) {
        const by = allowedBy(boundary, s, action, resourceArn);
        if (by)
          return fail(
            `The permissions boundary ${boundary.arn ?? boundary.name} of cleanup role ${role.roleArn} allows ${action} on ${resourceArn} (${by}): wider than deleting under ${EXPIRED_PREFIX}.`,
          );
      }
      return pass(
        `Cleanup role ${role.roleArn} has no admin-style grant, and its permissions boundary ${boundary.arn ?? boundary.name} allows no delete outside s3://${s.bucket}/${EXPIRED_PREFIX} and no bucket configuration changes.`,
      );
    }
    return pass(
      `Cleanup role ${role.roleArn} has no admin-style grant: none of its policies allows actions outside S3 such as ${OUTSIDE_THE_JOB.slice(0, 3).join(', ')}.`,
    );
  },
};
