import type { TargetKind } from '../lib/core/target-kind';
import { CheckReport, Criterion, CriterionResult, verdictOf } from './criterion';

export interface RunCheckOptions<S> {
  readonly scenario: string;
  readonly target: TargetKind;
  /** The variant the lab is armed with; a criterion limited to other variants is not applicable. */
  readonly variant?: string;
  /** Reads live state once; every criterion evaluates the same snapshot. */
  readonly gather: () => Promise<S>;
  readonly criteria: readonly Criterion<S>[];
  readonly now?: () => number;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`;
  return String(err);
}

const OUTCOME_STATUSES: readonly string[] = ['pass', 'fail', 'not-applicable'];

/** Why a value is not a CriterionOutcome; a malformed result must not slip through as a non-failure. */
function outcomeProblem(outcome: unknown): string | undefined {
  if (typeof outcome !== 'object' || outcome === null) return `${String(outcome)} instead of a status and a message.`;
  const { status, message } = outcome as { status?: unknown; message?: unknown };
  if (typeof status !== 'string' || !OUTCOME_STATUSES.includes(status))
    return `status ${JSON.stringify(status)} is not one of ${OUTCOME_STATUSES.join(', ')}.`;
  if (typeof message !== 'string' || message.trim() === '') return 'it has no message.';
  return undefined;
}

/**
 * Runs every criterion. A criterion that throws, or a snapshot that cannot be
 * gathered, is an `error` result: never a pass.
 */
export async function runCheck<S>(opts: RunCheckOptions<S>): Promise<CheckReport> {
  const now = opts.now ?? Date.now;
  const started = now();
  let snapshot: S | undefined;
  let gatherError: unknown;
  try {
    snapshot = await opts.gather();
  } catch (err) {
    gatherError = err;
  }
  const criteria: CriterionResult[] = [];
  for (const criterion of opts.criteria) {
    const head = { id: criterion.id, title: criterion.title, ...(criterion.kind === 'advice' ? { kind: 'advice' as const } : {}) };
    const result = (r: Omit<CriterionResult, 'id' | 'title' | 'kind'>) => criteria.push({ ...head, ...r });
    if (criterion.variants && opts.variant !== undefined && !criterion.variants.includes(opts.variant)) {
      result({
        status: 'not-applicable',
        message: `This criterion applies to variant${criterion.variants.length > 1 ? 's' : ''} ${criterion.variants.join(', ')}; the lab is armed with ${opts.variant}.`,
      });
      continue;
    }
    if (gatherError !== undefined) {
      result({ status: 'error', message: `Could not read live state: ${describeError(gatherError)}` });
      continue;
    }
    try {
      const outcome = await criterion.evaluate(snapshot as S);
      const problem = outcomeProblem(outcome);
      if (problem) result({ status: 'error', message: `Criterion returned an invalid outcome: ${problem}` });
      else result(outcome);
    } catch (err) {
      result({ status: 'error', message: `Criterion raised an error: ${describeError(err)}` });
    }
  }
  return {
    scenario: opts.scenario,
    target: opts.target,
    verdict: verdictOf(criteria),
    criteria,
    durationMs: Math.round(now() - started),
  };
}
