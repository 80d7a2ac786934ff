import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * Deletes every object version and delete marker in a bucket, so
 * CloudFormation can delete it. Returns how many went. Paged by hand:
 * ListObjectVersions continues on two markers at once (key and version), for
 * which the SDK has no paginator.
 */
export async function emptyBucket(s3: S3Client, bucket: string): Promise<number> {
  let count = 0;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
    // Each version by its ID, "null" included: in a bucket whose versioning was turned on later, a delete
    // without the ID would only add a delete marker and leave the version written before it.
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    if (objects.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    count += objects.length;
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return count;
}
