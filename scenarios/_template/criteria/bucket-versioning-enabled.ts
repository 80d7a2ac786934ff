import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { ReportsSnapshot } from '../gather';

/** The fact the lab is about: the bucket keeps earlier versions. */
export const bucketVersioningEnabled: Criterion<ReportsSnapshot> = {
  id: 'bucket-versioning-enabled',
  title: 'The reports bucket keeps earlier versions of its objects',
  rationale:
    'Without versioning an overwrite or delete replaces the only copy; with it S3 keeps every earlier version, and a lost report can be restored.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html'],
  evaluate(s) {
    if (s.versioning === 'Enabled') return pass(`Versioning of S3 bucket ${s.bucket} is Enabled.`);
    return fail(
      `Versioning of S3 bucket ${s.bucket} is ${s.versioning ?? 'not enabled (never turned on)'}, so an overwrite keeps no earlier version.`,
    );
  },
};
