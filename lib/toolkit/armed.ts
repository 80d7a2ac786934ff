import { blockingResults, type Criterion } from '../../checkers/criterion';
import { runCheck } from '../../checkers/runner';
import type { TargetKind } from '../core/target-kind';

/**
 * The armed proof many labs share: run the scenario's own criteria over a
 * snapshot already gathered, and require that exactly one criterion, the
 * one the fault breaks, keeps the lab from `fixed`.
 */
export async function onlyBlocking<S>(
  lab: { readonly scenarioId: string; readonly variant: string; readonly target: { readonly kind: TargetKind } },
  criteria: readonly Criterion<S>[],
  snapshot: S,
  expectedId: string,
): Promise<{ readonly armed: true; readonly message: string } | { readonly armed: false; readonly facts: string[] }> {
  const report = await runCheck({
    scenario: lab.scenarioId,
    target: lab.target.kind,
    variant: lab.variant,
    gather: async () => snapshot,
    criteria,
  });
  const blocking = blockingResults(report.criteria);
  if (blocking.length === 1 && blocking[0].id === expectedId) return { armed: true, message: blocking[0].message };
  return {
    armed: false,
    facts: [`Expected only ${expectedId} to fail; got: ${report.criteria.map((c) => `${c.id}=${c.status} (${c.message})`).join(' ')}`],
  };
}
