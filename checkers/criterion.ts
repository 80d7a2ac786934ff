/**
 * The grading vocabulary. A criterion is a small function over live state that
 * states one fact about one resource; it never says how to fix anything.
 */
import type { TargetKind } from '../lib/core/target-kind';

export type CriterionStatus = 'pass' | 'fail' | 'not-applicable' | 'error';

export interface CriterionOutcome {
  readonly status: Exclude<CriterionStatus, 'error'>;
  /** One sentence naming the resource and the layer that decided. */
  readonly message: string;
  /** Optional prevention advice; shown, but never changes the verdict. */
  readonly advice?: string;
}

export interface CriterionResult {
  readonly id: string;
  readonly title: string;
  readonly status: CriterionStatus;
  readonly message: string;
  readonly advice?: string;
}

/**
 * A criterion evaluates a snapshot of live state gathered once per check.
 * `S` is the scenario's snapshot type; keeping criteria pure makes them
 * testable against recorded AWS responses.
 */
export interface Criterion<S> {
  /** Stable kebab-case ID, e.g. `s3-path-from-task-subnets`. */
  readonly id: string;
  /** Short title shown in reports. */
  readonly title: string;
  evaluate(snapshot: S): CriterionOutcome | Promise<CriterionOutcome>;
}

export const pass = (message: string, advice?: string): CriterionOutcome => ({ status: 'pass', message, advice });
export const fail = (message: string, advice?: string): CriterionOutcome => ({ status: 'fail', message, advice });
export const notApplicable = (message: string): CriterionOutcome => ({ status: 'not-applicable', message });

export type Verdict = 'fixed' | 'not-fixed';

export interface CheckReport {
  readonly scenario: string;
  readonly target: TargetKind;
  readonly verdict: Verdict;
  readonly criteria: CriterionResult[];
  readonly durationMs: number;
}

/** `fixed` only when no criterion failed or errored. */
export function verdictOf(results: readonly CriterionResult[]): Verdict {
  return results.some((r) => r.status === 'fail' || r.status === 'error') ? 'not-fixed' : 'fixed';
}
