import type { CommandDeps, CommonOptions } from '../common';
import { prepareTarget } from '../common';
import { UsageError } from '../../core/errors';
import { EXIT } from '../exit-codes';
import { findScenario } from '../scenario-lookup';
import { destroyScenario } from '../../ops/destroy';
import { openLab } from '../../ops/lab';
import { withProgress } from '../progress';

export interface DestroyOptions extends CommonOptions {
  readonly yes?: boolean;
  readonly json?: boolean;
}

export async function runDestroy(id: string, opts: DestroyOptions, deps: CommandDeps): Promise<number> {
  const scenario = findScenario(deps.scenarios, id);
  return withProgress(deps.io, `Destroying ${id}`, async (progress) => {
    const { target, clients, learner } = await prepareTarget(opts, deps, { mutating: true, progress });
    const { ctx } = await openLab(scenario, target, { learner, clients, progress });
    if (target.kind === 'aws' && !opts.yes) {
      if (!deps.io.interactive || !(await deps.io.confirm(`Delete ${ctx.stackName} and everything created inside it from AWS?`))) {
        throw new UsageError('needs-confirmation', 'Destroy on real AWS needs confirmation: pass --yes.');
      }
    }
    const result = await destroyScenario(scenario, ctx);
    if (opts.json) deps.io.out(JSON.stringify(result));
    else {
      deps.io.out(`Destroyed ${result.stackName}; removed:`);
      for (const r of result.removed) deps.io.out(`  - ${r}`);
    }
    return EXIT.OK;
  });
}
