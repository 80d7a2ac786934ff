/**
 * The least-privilege read-only grader policy: the IAM actions behind the
 * SDK calls `class grade` sends (DescribeStacks to find a lab, then the
 * scenario's checker). Each scenario declares its own actions in its
 * scenario.json (`grader.actions`); the policy is their union with what
 * grading itself reads. docs/grader-policy.json is the published copy
 * (`npm run docs` writes it); a test runs every scenario's grading with an
 * observer and proves each declaration exact.
 */
import type { ScenarioMeta } from '../scenario/meta';

/** What class grading reads itself, for every scenario: the learner's stack. */
export const GRADING_BASE_ACTIONS: readonly string[] = ['cloudformation:DescribeStacks'];

/**
 * SDK signing names whose IAM action prefix differs (Service Authorization
 * Reference). Every other client's signing name is its prefix; a scenario
 * declares more in `grader.iamPrefixes`.
 */
export const IAM_PREFIX_EXCEPTIONS: Readonly<Record<string, string>> = { tagging: 'tag', monitoring: 'cloudwatch' };

/**
 * SDK operations whose IAM action has another name (Service Authorization
 * Reference, "Actions defined by Amazon S3" and others). `null`: the
 * operation needs no permission at all.
 */
const RENAMED: Readonly<Record<string, string | null>> = {
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

/** A scenario's additions to the tables above. */
export interface IamNameExceptions {
  readonly iamPrefixes?: Readonly<Record<string, string>>;
  readonly renamedActions?: Readonly<Record<string, string | null>>;
}

/**
 * The IAM action an SDK command needs, e.g. (`s3`, `HeadObjectCommand`) -> `s3:GetObject`;
 * undefined when none is needed. `service` is the client's signing name.
 */
export function iamActionFor(service: string, command: string, extra: IamNameExceptions = {}): string | undefined {
  const prefix = extra.iamPrefixes?.[service] ?? IAM_PREFIX_EXCEPTIONS[service] ?? service;
  const op = `${prefix}:${command.replace(/Command$/, '')}`;
  const renamed = { ...RENAMED, ...extra.renamedActions };
  if (op in renamed) return renamed[op] ?? undefined;
  return op;
}

/** Every action grading needs for these scenarios: what grading reads itself, and what each scenario declares. */
export function graderActions(scenarios: readonly { readonly meta: Pick<ScenarioMeta, 'grader'> }[]): string[] {
  return [...new Set([...GRADING_BASE_ACTIONS, ...scenarios.flatMap((s) => s.meta.grader.actions)])].sort();
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
