import type { CommandDeps, CommonOptions } from '../common';
import { confirmOnRealAws, prepareTarget } from '../common';
import { EXIT } from '../exit-codes';
import { findScenario } from '../scenario-lookup';
import { makeContext } from '../../ops/context';
import { resetScenario } from '../../ops/reset';
import { findLab, openLab } from '../../ops/lab';
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
    // A lab whose stack the learner deleted is rebuilt too, from breakfix's record of it.
    const { ctx: found, stack, record } = await findLab(scenario, target, { learner, clients, progress, requireArmed: false });
    // Neither a stack nor a record: never deployed here; openLab says so in its one sentence.
    if (!stack && !record) await openLab(scenario, target, { learner, clients, progress });
    await confirmOnRealAws(target, opts.yes, deps, `Rebuild ${found.stackName} in AWS, discarding the learner's changes?`, 'Reset');
    const ctx = makeContext({ scenario, target, learner, variant: found.variant, clients, progress });
    const result = await resetScenario(scenario, ctx);
    if (opts.json) deps.io.out(JSON.stringify(result));
    // The armed facts name the cause; reset says only that the lab is back to its start.
    else deps.io.out(`Reset ${inert(result.stackName)}: the lab is back to its broken start.`);
    return EXIT.OK;
  });
}
