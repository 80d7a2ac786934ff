/**
 * The least-privilege read-only grader policy: the IAM actions behind the
 * SDK calls `class grade` sends (DescribeStacks to find a lab, then the
 * scenario's checker). docs/grader-policy.json is the published copy; a test
 * runs every scenario's grading with an observer and proves the two agree.
 */

/** IAM service prefix of each AwsClients client. */
export const IAM_PREFIX: Record<string, string> = {
  cloudformation: 'cloudformation',
  ec2: 'ec2',
  ecs: 'ecs',
  ecr: 'ecr',
  iam: 'iam',
  sts: 'sts',
  s3: 's3',
  logs: 'logs',
  dynamodb: 'dynamodb',
  tagging: 'tag',
};

/**
 * SDK operations whose IAM action has another name (Service Authorization
 * Reference, "Actions defined by Amazon S3" and others). `null`: the
 * operation needs no permission at all.
 */
const RENAMED: Record<string, string | null> = {
  's3:HeadObject': 's3:GetObject',
  's3:HeadBucket': 's3:ListBucket',
  's3:ListObjects': 's3:ListBucket',
  's3:ListObjectsV2': 's3:ListBucket',
  's3:ListObjectVersions': 's3:ListBucketVersions',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:GetBucketLifecycleConfiguration': 's3:GetLifecycleConfiguration',
  's3:GetBucketNotificationConfiguration': 's3:GetBucketNotification',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:GetBucketOwnershipControls': 's3:GetBucketOwnershipControls',
  'sts:GetCallerIdentity': null,
};

/** The IAM action an SDK command needs, e.g. (`s3`, `HeadObjectCommand`) -> `s3:GetObject`; undefined when none is needed. */
export function iamActionFor(client: string, command: string): string | undefined {
  const prefix = IAM_PREFIX[client];
  if (!prefix) throw new Error(`No IAM prefix is known for the ${client} client.`);
  const op = `${prefix}:${command.replace(/Command$/, '')}`;
  if (op in RENAMED) return RENAMED[op] ?? undefined;
  return op;
}

export interface GraderPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly {
    readonly Sid: string;
    readonly Effect: 'Allow';
    readonly Action: readonly string[];
    readonly Resource: '*';
  }[];
}

/** The policy document for a set of actions, sorted so the file diffs cleanly. */
export function graderPolicy(actions: Iterable<string>): GraderPolicy {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'BreakfixGraderReadOnly', Effect: 'Allow', Action: [...new Set(actions)].sort(), Resource: '*' }],
  };
}
