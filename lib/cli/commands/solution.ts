import type { CommandDeps, CommonOptions } from '../common';
import { validateLearner } from '../common';
import { UsageError } from '../../core/errors';
import { EXIT } from '../exit-codes';
import { findScenario } from '../scenario-lookup';
import { readDoc } from '../../scenario/docs';
import { updateProgress } from '../../ops/progress-store';
import { labVariant } from './hint';

export interface SolutionOptions extends CommonOptions {
  readonly yes?: boolean;
  readonly variant?: string;
}

/** The instructor's solution. It spoils the lab, so it asks first and is recorded as used. */
export async function runSolution(id: string, opts: SolutionOptions, deps: CommandDeps): Promise<number> {
  const scenario = findScenario(deps.scenarios, id);
  const learner = validateLearner(opts.learner);
  if (!opts.yes) {
    if (!deps.io.interactive)
      throw new UsageError('needs-confirmation', 'The solution is for instructors and spoils the lab: pass --yes to show it.');
    if (!(await deps.io.confirm(`Show the instructor solution for ${id}? It will be recorded as used.`)))
      throw new UsageError('cancelled', 'Solution not shown.');
  }
  const { variant, target, stackName } = await labVariant(scenario, opts, deps);
  if (target && stackName) {
    updateProgress(target, stackName, { scenario: id, learner }, (p) => {
      p.solutionSeenAt ??= new Date().toISOString();
    });
  }
  deps.io.out(readDoc(scenario, 'solution', variant));
  return EXIT.OK;
}
