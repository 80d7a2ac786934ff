import { blockingResults, type Criterion, type CriterionResult } from '../../checkers/criterion';
import { runCheck } from '../../checkers/runner';
import type { TargetKind } from '../core/target-kind';

type ArmedLab = { readonly scenarioId: string; readonly variant: string; readonly target: { readonly kind: TargetKind } };

/**
 * The armed proof every lab shares: run the scenario's own criteria over a
 * snapshot already gathered, and require that exactly the criteria the
 * fault breaks (no more, no fewer) keep the lab from `fixed`.
 */
export async function exactlyBlocking<S>(
  lab: ArmedLab,
  criteria: readonly Criterion<S>[],
  snapshot: S,
  expectedIds: readonly string[],
): Promise<{ readonly armed: true; readonly blocking: CriterionResult[] } | { readonly armed: false; readonly facts: string[] }> {
  const report = await runCheck({
    scenario: lab.scenarioId,
    target: lab.target.kind,
    variant: lab.variant,
    gather: async () => snapshot,
    criteria,
  });
  const blocking = blockingResults(report.criteria);
  const got = blocking.map((c) => c.id).sort();
  const want = [...new Set(expectedIds)].sort();
  if (got.length === want.length && got.every((id, i) => id === want[i])) return { armed: true, blocking };
  return {
    armed: false,
    facts: [
      `Expected exactly ${want.join(', ')} to fail; got: ${report.criteria.map((c) => `${c.id}=${c.status} (${c.message})`).join(' ')}`,
    ],
  };
}

/** The armed proof of a lab whose fault breaks one criterion. */
export async function onlyBlocking<S>(
  lab: ArmedLab,
  criteria: readonly Criterion<S>[],
  snapshot: S,
  expectedId: string,
): Promise<{ readonly armed: true; readonly message: string } | { readonly armed: false; readonly facts: string[] }> {
  const result = await exactlyBlocking(lab, criteria, snapshot, [expectedId]);
  return result.armed ? { armed: true, message: result.blocking[0].message } : result;
}
