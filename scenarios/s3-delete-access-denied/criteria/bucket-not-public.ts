import { Criterion, fail, pass } from '../../../checkers/criterion';
import { describeStatement, evaluate } from '../../../lib/engines/iam';
import { bucketArn, objectArn } from '../access';
import type { S3DeleteSnapshot } from '../gather';
import { SEED_KEYS } from '../lab';

const PUBLIC_GROUPS = ['http://acs.amazonaws.com/groups/global/AllUsers', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers'];
const BLOCK_FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
/** Someone outside the account, who holds s3:* in their own account. */
const OUTSIDER_ACCOUNT = '210987654321';

/** The data must never become readable, writable or deletable from outside the account. */
export const bucketNotPublic: Criterion<S3DeleteSnapshot> = {
  id: 'bucket-not-public',
  title: 'The bucket is not public',
  rationale:
    'A bucket made public to get past AccessDenied exposes retained data to anyone; Block Public Access at the bucket, no public ACL grants and no bucket policy statement granting outsiders keep it private.',
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
  ],
  evaluate(s) {
    const block = s.publicAccessBlock;
    const off = BLOCK_FLAGS.filter((f) => block?.[f] !== true);
    if (!block) return fail(`Bucket ${s.bucket} has no public access block configuration.`);
    if (off.length > 0) return fail(`The public access block of bucket ${s.bucket} has ${off.join(', ')} turned off.`);
    const publicGrant = s.aclGrants.find((g) => g.Grantee?.Type === 'Group' && PUBLIC_GROUPS.includes(g.Grantee.URI ?? ''));
    if (publicGrant) return fail(`The ACL of bucket ${s.bucket} grants ${publicGrant.Permission} to ${publicGrant.Grantee!.URI}.`);
    if (s.bucketPolicy) {
      const outsider = `arn:${s.partition}:iam::${OUTSIDER_ACCOUNT}:role/outsider`;
      const identity = [
        {
          name: 'OutsiderS3FullAccess',
          document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
        },
      ];
      const key = SEED_KEYS[SEED_KEYS.length - 1];
      const probes: [string, string][] = [
        ['s3:GetObject', objectArn(s, key)],
        ['s3:PutObject', objectArn(s, key)],
        ['s3:DeleteObject', objectArn(s, key)],
        ['s3:ListBucket', bucketArn(s)],
      ];
      for (const [action, resourceArn] of probes) {
        const result = evaluate(
          {
            principalArn: outsider,
            action,
            resourceArn,
            resourceAccount: s.account,
            context: { 'aws:PrincipalArn': outsider, 'aws:PrincipalAccount': OUTSIDER_ACCOUNT, 'aws:SecureTransport': 'true' },
          },
          { identity, resource: s.bucketPolicy },
        );
        if (result.decision === 'Allowed') {
          const grants = result.decidingStatements.filter((r) => r.policyType === 'resource').map(describeStatement);
          return fail(`${grants.join(' and ')} grants ${action} on ${resourceArn} to principals outside account ${s.account}.`);
        }
      }
    }
    return pass(
      `Bucket ${s.bucket} blocks public access (all four settings on), its ACL grants nothing to AllUsers or AuthenticatedUsers, and its bucket policy grants nothing outside account ${s.account}.`,
    );
  },
};
