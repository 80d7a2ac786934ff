import type { CommandDeps, CommonOptions } from '../common';
import { confirmOnRealAws, prepareTarget } from '../common';
import { EXIT } from '../exit-codes';
import { paint } from '../io';
import { findScenario } from '../scenario-lookup';
import { destroyScenario } from '../../ops/destroy';
import { findLab } from '../../ops/lab';
import { withProgress } from '../progress';
import { inert } from '../../core/inert';

export interface DestroyOptions extends CommonOptions {
  readonly yes?: boolean;
  readonly json?: boolean;
}

/**
 * `destroy <id>`: idempotent. A lab that is not there is "nothing to
 * remove" (exit 0), so cleanup scripts can run it twice; a lab whose stack the
 * learner deleted still has what it retained removed. The report separates
 * what the stack owned from what the learner created.
 */
export async function runDestroy(id: string, opts: DestroyOptions, deps: CommandDeps): Promise<number> {
  const scenario = findScenario(deps.scenarios, id);
  return withProgress(deps.io, `Destroying ${id}`, async (progress) => {
    const { target, clients, learner } = await prepareTarget(opts, deps, { mutating: true, progress });
    const { ctx, stack } = await findLab(scenario, target, { learner, clients, progress, requireArmed: false });
    if (stack)
      await confirmOnRealAws(target, opts.yes, deps, `Delete ${ctx.stackName} and everything created inside it from AWS?`, 'Destroy');
    const result = await destroyScenario(scenario, ctx);
    if (opts.json) deps.io.out(JSON.stringify(result));
    else if (result.nothingToRemove) {
      deps.io.out(`No lab ${ctx.stackName} on ${target.kind}; nothing to remove.`);
    } else {
      deps.io.out(`Destroyed ${result.stackName}.`);
      if (result.stackOwned.length) {
        deps.io.out('Removed with the stack:');
        for (const r of result.stackOwned) deps.io.out(`  - ${inert(r)}`);
      }
      if (result.learnerCreated.length) {
        deps.io.out('Created or changed outside the stack, removed:');
        for (const r of result.learnerCreated) deps.io.out(`  - ${inert(r)}`);
      }
      for (const u of result.unproven)
        deps.io.out(`${paint(deps.io, 'yellow', 'Not listed:')} ${inert(u)} (breakfix cannot show nothing of this type was left)`);
    }
    return EXIT.OK;
  });
}
