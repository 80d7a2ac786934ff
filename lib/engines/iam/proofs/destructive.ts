/**
 * Actions that can destroy a resource's data or expose it to others, per service, from the Service
 * Authorization Reference ("Actions, resources, and condition keys for <service>": each action's
 * description and the resource types it applies to). "Others stay protected" criteria prove that none
 * of these is granted, not only the obvious delete.
 *
 * - destroy: removes or overwrites data, or removes what protects it (versions, backups, locks);
 * - expose: lets another principal read or change it (resource policies, ACLs, replication, exports).
 */
export type ProtectedResourceKind = 's3-object' | 's3-bucket' | 'dynamodb-table' | 'ecr-repository' | 'secretsmanager-secret' | 'kms-key';
export type Harm = 'destroy' | 'expose';

export const DESTRUCTIVE_ACTIONS: Record<ProtectedResourceKind, Record<Harm, readonly string[]>> = {
  // Objects (resource type "object"); the bucket-level actions below decide what happens to them too.
  's3-object': {
    destroy: [
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      // PutObject on an existing key overwrites it (without versioning the old data is gone).
      's3:PutObject',
      's3:BypassGovernanceRetention',
      's3:PutObjectRetention',
      's3:PutObjectLegalHold',
      's3:RestoreObject',
    ],
    expose: ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'],
  },
  // The bucket (resource type "bucket"): configuration that deletes, stops protecting, or shares every object.
  's3-bucket': {
    destroy: [
      's3:DeleteBucket',
      // Lifecycle expiration rules delete objects and noncurrent versions.
      's3:PutLifecycleConfiguration',
      // Suspending versioning lets overwrites and deletes lose data.
      's3:PutBucketVersioning',
      's3:PutBucketObjectLockConfiguration',
      's3:DeleteBucketPolicy',
      's3:PutReplicationConfiguration',
    ],
    expose: [
      's3:PutBucketPolicy',
      's3:DeleteBucketPolicy',
      's3:PutBucketAcl',
      's3:PutBucketPublicAccessBlock',
      's3:PutBucketOwnershipControls',
      's3:PutReplicationConfiguration',
      's3:PutInventoryConfiguration',
      's3:PutBucketWebsite',
      's3:PutBucketCORS',
    ],
  },
  // Tables (resource type "table"), their items, backups and streams.
  'dynamodb-table': {
    destroy: [
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:UpdateItem',
      'dynamodb:PutItem',
      'dynamodb:PartiQLDelete',
      'dynamodb:PartiQLUpdate',
      'dynamodb:PartiQLInsert',
      'dynamodb:DeleteTable',
      // UpdateTable can turn off deletion protection; UpdateTimeToLive makes DynamoDB delete expired items.
      'dynamodb:UpdateTable',
      'dynamodb:UpdateTimeToLive',
      'dynamodb:UpdateContinuousBackups',
      'dynamodb:DeleteBackup',
      'dynamodb:RestoreTableFromBackup',
      'dynamodb:RestoreTableToPointInTime',
      'dynamodb:ImportTable',
      'dynamodb:DeleteTableReplica',
    ],
    expose: [
      'dynamodb:PutResourcePolicy',
      'dynamodb:DeleteResourcePolicy',
      'dynamodb:ExportTableToPointInTime',
      'dynamodb:CreateTableReplica',
    ],
  },
  // Repositories (resource type "repository") and their images.
  'ecr-repository': {
    destroy: [
      'ecr:BatchDeleteImage',
      'ecr:DeleteRepository',
      // Pushing can move a tag to another image (mutable tags) or add layers.
      'ecr:PutImage',
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
      'ecr:PutLifecyclePolicy',
      'ecr:PutImageTagMutability',
    ],
    expose: ['ecr:SetRepositoryPolicy', 'ecr:DeleteRepositoryPolicy'],
  },
  // Secrets (resource type "Secret").
  'secretsmanager-secret': {
    destroy: [
      'secretsmanager:DeleteSecret',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecret',
      'secretsmanager:UpdateSecretVersionStage',
      'secretsmanager:RotateSecret',
      'secretsmanager:CancelRotateSecret',
      'secretsmanager:RemoveRegionsFromReplication',
      'secretsmanager:StopReplicationToReplica',
    ],
    expose: ['secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy', 'secretsmanager:ReplicateSecretToRegions'],
  },
  // Keys (resource type "key"): losing a key loses everything encrypted under it.
  'kms-key': {
    destroy: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DeleteImportedKeyMaterial', 'kms:PutKeyPolicy'],
    expose: ['kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:ReplicateKey'],
  },
};

/**
 * The actions that can destroy (and, unless `harms` says otherwise, expose) the data of the given kinds
 * of resource, without duplicates.
 */
export function destructiveActions(
  kinds: ProtectedResourceKind | readonly ProtectedResourceKind[],
  harms: readonly Harm[] = ['destroy', 'expose'],
): string[] {
  const list = typeof kinds === 'string' ? [kinds] : kinds;
  return [...new Set(list.flatMap((k) => harms.flatMap((h) => DESTRUCTIVE_ACTIONS[k][h])))];
}
