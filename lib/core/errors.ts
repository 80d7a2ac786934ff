/**
 * breakfix's errors: each has a stable code (scripts may match on it; the
 * CLI prints it with --debug) and says who is at fault. Who is at fault
 * decides the exit code, and only lib/cli maps one to the other.
 *
 * In the spirit of the AWS CDK toolkit's ToolkitError(code, message, type):
 * the library owns the errors, the CLI only prints them.
 */

/** The user asked for something that cannot be; the world is not as needed; or breakfix itself is wrong. */
export type Fault = 'user' | 'environment' | 'breakfix';

/** Every code breakfix raises, with who is at fault. Codes are stable: add new ones, never rename. */
export const ERROR_CODES = {
  // The user: a bad option, an unknown ID, a question answered no.
  'unknown-scenario': 'user',
  'unknown-variant': 'user',
  'variant-not-on-target': 'user',
  'target-unsupported': 'user',
  'unknown-target': 'user',
  'bad-endpoint': 'user',
  'bad-option': 'user',
  'bad-learner-name': 'user',
  'bad-roster': 'user',
  'bad-request': 'user',
  'hint-level': 'user',
  /** deploy of a lab that is already deployed, asking for another variant than it runs. */
  'variant-differs': 'user',
  'needs-confirmation': 'user',
  cancelled: 'user',
  // The environment: credentials, endpoints, the state of a lab.
  'no-credentials': 'environment',
  'endpoint-unreachable': 'environment',
  'aws-refused': 'environment',
  'aws-error': 'environment',
  'no-emulator': 'environment',
  'emulator-start-failed': 'environment',
  'not-sandbox': 'environment',
  'not-deployed': 'environment',
  'stack-busy': 'environment',
  'not-armed': 'environment',
  'not-armed-by-breakfix': 'environment',
  'no-longer-armed': 'environment',
  'arming-failed': 'environment',
  'stack-delete-failed': 'environment',
  /** CloudFormation ended a create or update in a failed state (the failed resources are named). */
  'stack-deploy-failed': 'environment',
  'wait-timed-out': 'environment',
  leftovers: 'environment',
  /** destroy could not list what it would delete: it deleted nothing. */
  'plan-failed': 'environment',
  'scenario-prerequisite': 'environment',
  'grader-role': 'environment',
  'port-in-use': 'environment',
  'cannot-listen': 'environment',
  'cannot-write': 'environment',
  // breakfix: a bug, to be reported.
  internal: 'breakfix',
} as const satisfies Record<string, Fault>;

export type ErrorCode = keyof typeof ERROR_CODES;
type CodeOf<F extends Fault> = { [K in ErrorCode]: (typeof ERROR_CODES)[K] extends F ? K : never }[ErrorCode];
export type UserErrorCode = CodeOf<'user'>;
export type EnvironmentErrorCode = CodeOf<'environment'>;

export class BreakfixError extends Error {
  readonly fault: Fault;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
    this.fault = ERROR_CODES[code];
  }
}

/** The caller asked for something that cannot be: bad option, unknown ID. */
export class UsageError extends BreakfixError {
  constructor(code: UserErrorCode, message: string) {
    super(code, message);
  }
}

/** The world is not as needed: no credentials, endpoint down, stack missing or busy. */
export class EnvironmentError extends BreakfixError {
  constructor(code: EnvironmentErrorCode, message: string, cause?: unknown) {
    super(code, message, cause);
  }
}
