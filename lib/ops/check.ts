import type { CheckReport } from '../../checkers/criterion';
import { runCheck } from '../../checkers/runner';
import type { ScenarioContext, ScenarioDefinition } from '../scenario/types';

/** Grades live state. Read-only: it never changes the lab. */
export function checkScenario(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<CheckReport> {
  return runCheck({
    scenario: scenario.id,
    target: ctx.target.kind,
    variant: ctx.variant,
    gather: () => scenario.gather(ctx),
    criteria: scenario.criteria,
  });
}
