import { CheckReport, Criterion, CriterionResult, TargetKind, verdictOf } from './criterion';

export interface RunCheckOptions<S> {
  readonly scenario: string;
  readonly target: TargetKind;
  /** Reads live state once; every criterion evaluates the same snapshot. */
  readonly gather: () => Promise<S>;
  readonly criteria: readonly Criterion<S>[];
  readonly now?: () => number;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`;
  return String(err);
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
    if (gatherError !== undefined) {
      criteria.push({
        id: criterion.id,
        title: criterion.title,
        status: 'error',
        message: `Could not read live state: ${describeError(gatherError)}`,
      });
      continue;
    }
    try {
      const outcome = await criterion.evaluate(snapshot as S);
      criteria.push({ id: criterion.id, title: criterion.title, ...outcome });
    } catch (err) {
      criteria.push({ id: criterion.id, title: criterion.title, status: 'error', message: `Criterion raised an error: ${describeError(err)}` });
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
