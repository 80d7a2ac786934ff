/**
 * Error types say who is at fault; each maps to a documented exit code.
 *   0 success / fixed, 1 check: not fixed yet, 2 usage, 3 environment, 4 breakfix bug.
 */
export const EXIT = { OK: 0, NOT_FIXED: 1, USAGE: 2, ENVIRONMENT: 3, INTERNAL: 4 } as const;

export class BreakfixError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The caller asked for something that cannot be: bad option, unknown ID. */
export class UsageError extends BreakfixError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

/** The world is not as needed: no credentials, endpoint down, stack missing or busy. */
export class EnvironmentError extends BreakfixError {
  constructor(message: string, cause?: unknown) {
    super(message, EXIT.ENVIRONMENT, cause);
  }
}
