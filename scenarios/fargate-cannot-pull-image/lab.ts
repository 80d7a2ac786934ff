/**
 * The facts of this lab that the stack, the arming step and the checker
 * share: the image tags, the causes, and the public image copied on AWS.
 */

/** The tag the repository holds; the arming step (emulators) or the seeding Lambda (AWS) puts it there. */
export const APP_IMAGE_TAG = 'v1';
/** The tag the `image-tag` variant's task definition asks for, which no one ever pushed. */
export const MISSING_IMAGE_TAG = 'v2';

/** The causes of the same CannotPullContainerError, following the guide's CHECK 1-4. */
export type FargatePullVariant = 'no-s3-path' | 'execution-role-ecr' | 'image-tag';

/** A small public image copied into the private repository on real AWS. */
export const SOURCE_IMAGE = { registry: 'public.ecr.aws', repository: 'docker/library/busybox', tag: 'stable' } as const;

/** What the first broken hop must be for each variant to count as armed. */
export const ARMED_BY: Record<FargatePullVariant, { reason: RegExp; what: string }> = {
  'no-s3-path': { reason: /starport-layer-bucket.*i\/o timeout/, what: 'the S3 layer download' },
  'execution-role-ecr': { reason: /AccessDeniedException: .*ecr:GetAuthorizationToken/, what: 'ECR registry auth with the execution role' },
  'image-tag': { reason: /failed to resolve ref .*: not found$/, what: 'the image manifest' },
};
