import type { Fault } from '../core/errors';

/**
 * The CLI's exit codes, the one place that maps who is at fault to a number:
 *   0 success / fixed, 1 check: not fixed yet, 2 usage, 3 environment, 4 breakfix bug.
 */
export const EXIT = { OK: 0, NOT_FIXED: 1, USAGE: 2, ENVIRONMENT: 3, INTERNAL: 4 } as const;

const BY_FAULT: Record<Fault, number> = { user: EXIT.USAGE, environment: EXIT.ENVIRONMENT, breakfix: EXIT.INTERNAL };

export function exitCodeFor(fault: Fault): number {
  return BY_FAULT[fault];
}

export const EXIT_CODES_HELP = `
Exit codes:
  0  success; for check: fixed
  1  check: not fixed yet
  2  usage error (unknown scenario, bad option)
  3  environment error: no credentials, endpoint unreachable, scenario not deployed, stack busy, real AWS refused
  4  internal error in breakfix (run with --debug and report it)
With --debug an error also prints its stable code (e.g. stack-busy) and stack trace.`;
