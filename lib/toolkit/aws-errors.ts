/**
 * Expected AWS errors, by name. AWS signals "not there" with an error whose
 * name depends on the service (ResourceNotFoundException, NoSuchEntity,
 * InvalidVpcID.NotFound, NotFound for a HEAD, ...); breakfix ignores only the
 * names a call site expects, and never reads a refusal or throttling as
 * "not found": a grader role without a permission, or a throttled account,
 * must fail loudly rather than make a resource look absent.
 */

/** The name an AWS SDK error carries (its exception type), or undefined for anything else. */
export function errorName(err: unknown): string | undefined {
  const name = (err as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Refusals and throttling: never an expected outcome, whatever a call site lists. */
const NEVER_EXPECTED =
  /^(AccessDenied(Exception)?|UnauthorizedOperation|AuthFailure|AuthorizationError|Forbidden|ExpiredToken(Exception)?|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|Throttling(Exception)?|ThrottlingException|TooManyRequestsException|RequestLimitExceeded|SlowDown|ProvisionedThroughputExceededException|RequestThrottled(Exception)?|LimitExceededException)$/;

/** True when `err` is an AWS error with one of `names`; refusals and throttling never are. */
export function isAwsError(err: unknown, names: readonly string[]): boolean {
  for (const n of names)
    if (NEVER_EXPECTED.test(n)) throw new Error(`${n} is never an expected outcome: a refusal or throttling must not read as "not found".`);
  const name = errorName(err);
  return name !== undefined && !NEVER_EXPECTED.test(name) && names.includes(name);
}

/**
 * Awaits an AWS call; when it fails with one of `names`, resolves to
 * `fallback` instead (undefined unless given). Any other error is rethrown.
 */
export async function ignoring<T, F = undefined>(names: readonly string[], call: Promise<T>, fallback?: F): Promise<T | F> {
  try {
    return await call;
  } catch (err) {
    if (isAwsError(err, names)) return fallback as F;
    throw err;
  }
}

/** Whether a Describe/Get/Head call finds its resource: false only for the not-found `names` given. */
export async function exists(names: readonly string[], call: Promise<unknown>): Promise<boolean> {
  return ignoring(
    names,
    call.then(() => true),
    false,
  );
}

/** The not-found names of the calls breakfix makes, by what they look up. */
export const NOT_FOUND = {
  /** GetRole, GetPolicy, ListRolePolicies, ... (IAM answers NoSuchEntity; the SDK names it NoSuchEntityException). */
  iamEntity: ['NoSuchEntityException', 'NoSuchEntity'],
  /** DescribeTable, DeleteTable, GetResourcePolicy (DynamoDB); DeleteLogGroup (CloudWatch Logs); GetFunction (Lambda). */
  resource: ['ResourceNotFoundException'],
  /** HeadBucket answers a bare 404, which the SDK names NotFound; other bucket calls say NoSuchBucket. */
  bucket: ['NotFound', 'NoSuchBucket'],
  /** HeadObject: a bare 404. */
  object: ['NotFound', 'NoSuchKey'],
  ecrRepository: ['RepositoryNotFoundException'],
  ecrImage: ['ImageNotFoundException'],
  vpc: ['InvalidVpcID.NotFound'],
  /** ECS answers a missing cluster or service in DescribeServices with these. */
  ecsService: ['ClusterNotFoundException', 'ServiceNotFoundException'],
} as const;
