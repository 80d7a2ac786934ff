import type { CommandDeps, CommonOptions } from '../common';
import { confirmOnRealAws, prepareTarget } from '../common';
import { EXIT } from '../exit-codes';
import { findScenario } from '../scenario-lookup';
import { makeContext } from '../../ops/context';
import { resetScenario } from '../../ops/reset';
import { openLab } from '../../ops/lab';
import { withProgress } from '../progress';
import { inert } from '../../core/inert';

export interface ResetOptions extends CommonOptions {
  readonly yes?: boolean;
  readonly json?: boolean;
}

export async function runReset(id: string, opts: ResetOptions, deps: CommandDeps): Promise<number> {
  const scenario = findScenario(deps.scenarios, id);
  return withProgress(deps.io, `Resetting ${id}`, async (progress) => {
    const { target, clients, learner } = await prepareTarget(opts, deps, { mutating: true, progress });
    const { ctx: found } = await openLab(scenario, target, { learner, clients, progress, requireArmed: false });
    await confirmOnRealAws(target, opts.yes, deps, `Rebuild ${found.stackName} in AWS, discarding the learner's changes?`, 'Reset');
    const ctx = makeContext({ scenario, target, learner, variant: found.variant, clients, progress });
    const result = await resetScenario(scenario, ctx);
    if (opts.json) deps.io.out(JSON.stringify(result));
    else deps.io.out(`Reset ${result.stackName}: the fault is armed again (${inert(result.armedFacts.join(' '))})`);
    return EXIT.OK;
  });
}
