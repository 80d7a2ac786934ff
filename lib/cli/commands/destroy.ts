import type { CommandDeps, CommonOptions } from '../common';
import { confirmOnRealAws, prepareTarget } from '../common';
import { EXIT } from '../exit-codes';
import { findScenario } from '../scenario-lookup';
import { destroyScenario } from '../../ops/destroy';
import { openLab } from '../../ops/lab';
import { withProgress } from '../progress';
import { inert } from '../../core/inert';

export interface DestroyOptions extends CommonOptions {
  readonly yes?: boolean;
  readonly json?: boolean;
}

export async function runDestroy(id: string, opts: DestroyOptions, deps: CommandDeps): Promise<number> {
  const scenario = findScenario(deps.scenarios, id);
  return withProgress(deps.io, `Destroying ${id}`, async (progress) => {
    const { target, clients, learner } = await prepareTarget(opts, deps, { mutating: true, progress });
    const { ctx } = await openLab(scenario, target, { learner, clients, progress, requireArmed: false });
    await confirmOnRealAws(target, opts.yes, deps, `Delete ${ctx.stackName} and everything created inside it from AWS?`, 'Destroy');
    const result = await destroyScenario(scenario, ctx);
    if (opts.json) deps.io.out(JSON.stringify(result));
    else {
      deps.io.out(`Destroyed ${result.stackName}; removed:`);
      for (const r of result.removed) deps.io.out(`  - ${inert(r)}`);
    }
    return EXIT.OK;
  });
}
