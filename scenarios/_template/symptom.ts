import type { Symptom } from '../../lib/scenario/types';
import type { ReportsSnapshot } from './gather';
import { REPORT_KEY } from './lab';

/** What the learner sees: the live versioning setting, which is the same read on every target. */
export function reportsSymptom(s: ReportsSnapshot): Symptom {
  const status = s.versioning ?? 'never enabled';
  return {
    source: 'authentic',
    summary: `s3://${s.bucket}/${REPORT_KEY} has no earlier version: versioning of the bucket is ${status}.`,
    details: [`GetBucketVersioning ${s.bucket}: Status ${s.versioning ?? '(absent)'}.`],
  };
}
