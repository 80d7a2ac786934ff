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
  /** Present on advice criteria only: their result is shown, and never changes the verdict. */
  readonly kind?: 'advice';
}

/** `required` criteria decide the verdict; `advice` criteria are shown as advice and never do. */
export type CriterionKind = 'required' | 'advice';

/**
 * A criterion evaluates a snapshot of live state gathered once per check.
 * `S` is the scenario's snapshot type; keeping criteria pure makes them
 * testable against documented AWS response shapes. Its metadata (kind,
 * rationale, references, variants) is the framework's: the runner and the
 * reporters act on it, the registry test checks it.
 */
export interface Criterion<S> {
  /** Stable kebab-case ID, the name of its file, e.g. `s3-layer-path-from-every-task-subnet`. */
  readonly id: string;
  /** Short title shown in reports: the fact, never how to fix it. */
  readonly title: string;
  /** @default 'required' */
  readonly kind?: CriterionKind;
  /** Why the fact matters, in a sentence or two (cdk-nag's explanation, Prowler's risk); never how to fix it. */
  readonly rationale: string;
  /** AWS documentation for the behaviour the criterion relies on (https://docs.aws.amazon.com/...). */
  readonly references: readonly string[];
  /** The variants it applies to; on any other it is not applicable. @default every variant */
  readonly variants?: readonly string[];
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

/** The one definition of a failing status: `fail` or `error` (never `not-applicable`). */
export function isBlocking(status: CriterionStatus): boolean {
  return status === 'fail' || status === 'error';
}

/** Results that stand between the lab and `fixed`: required criteria with a blocking status. */
export function blockingResults<R extends Pick<CriterionResult, 'status' | 'kind'>>(results: readonly R[]): R[] {
  return results.filter((r) => r.kind !== 'advice' && isBlocking(r.status));
}

/** `fixed` only when no required criterion failed or errored; advice never changes it. */
export function verdictOf(results: readonly CriterionResult[]): Verdict {
  return blockingResults(results).length > 0 ? 'not-fixed' : 'fixed';
}
