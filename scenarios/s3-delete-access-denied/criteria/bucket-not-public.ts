import { Criterion, fail, pass } from '../../../checkers/criterion';
import { describeFinding, outsiderProof } from '../access';
import type { S3DeleteSnapshot } from '../gather';

const PUBLIC_GROUPS = ['http://acs.amazonaws.com/groups/global/AllUsers', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers'];
const BLOCK_FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** The data must never become readable, writable or deletable from outside the account. */
export const bucketNotPublic: Criterion<S3DeleteSnapshot> = {
  id: 'bucket-not-public',
  title: 'The bucket is not public',
  rationale:
    'A bucket made public to get past AccessDenied exposes retained data to anyone; Block Public Access at the bucket, no public ACL grants and no bucket policy statement granting outsiders keep it private.',
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html',
  ],
  evaluate(s) {
    const block = s.publicAccessBlock;
    const off = BLOCK_FLAGS.filter((f) => block?.[f] !== true);
    if (!block) return fail(`Bucket ${s.bucket} has no public access block configuration.`);
    if (off.length > 0) return fail(`The public access block of bucket ${s.bucket} has ${off.join(', ')} turned off.`);
    const publicGrant = s.aclGrants.find((g) => g.Grantee?.Type === 'Group' && PUBLIC_GROUPS.includes(g.Grantee.URI ?? ''));
    if (publicGrant) return fail(`The ACL of bucket ${s.bucket} grants ${publicGrant.Permission} to ${publicGrant.Grantee!.URI}.`);
    const proof = outsiderProof(s);
    if (proof.result === 'FAIL')
      return fail(`The bucket policy of ${s.bucket} grants principals outside account ${s.account}: ${describeFinding(proof)}.`);
    return pass(
      `Bucket ${s.bucket} blocks public access (all four settings on), its ACL grants nothing to AllUsers or AuthenticatedUsers, and its bucket policy grants nothing to any principal outside account ${s.account}.`,
    );
  },
};
