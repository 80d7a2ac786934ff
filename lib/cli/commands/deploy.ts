import type { CommandDeps, CommonOptions } from '../common';
import { prepareTarget } from '../common';
import { EXIT } from '../exit-codes';
import { findScenario } from '../scenario-lookup';
import { chooseVariant } from '../../scenario/naming';
import { makeContext } from '../../ops/context';
import { deployScenario } from '../../ops/deploy';
import { withProgress } from '../progress';
import { confirmRealAwsCost } from './cost-confirm';
import { inert } from '../../core/inert';

export interface DeployOptions extends CommonOptions {
  readonly variant?: string;
  readonly yes?: boolean;
  readonly json?: boolean;
}

/** The variant to deploy: validated against the scenario and the target (which must run it) before any use. */
export function pickVariant(
  scenario: ReturnType<typeof findScenario>,
  kind: Parameters<typeof chooseVariant>[1],
  opts: { variant?: string; learner?: string },
): string {
  return chooseVariant(scenario.meta, kind, opts);
}

export async function runDeploy(id: string, opts: DeployOptions, deps: CommandDeps): Promise<number> {
  const scenario = findScenario(deps.scenarios, id);
  return withProgress(deps.io, `Deploying ${id}`, async (progress) => {
    const { target, clients, learner } = await prepareTarget(opts, deps, { startEmbedded: true, mutating: true, progress });
    const variant = pickVariant(scenario, target.kind, { variant: opts.variant, learner });
    if (target.kind === 'aws') await confirmRealAwsCost(scenario, opts.yes ?? false, deps);
    const ctx = makeContext({ scenario, target, learner, variant, clients, progress });
    const result = await deployScenario(scenario, ctx);
    if (opts.json) deps.io.out(JSON.stringify({ ...result, endpoint: target.endpoint ?? null, region: target.region }));
    else {
      deps.io.out(
        `Deployed ${result.stackName} (variant ${result.variant}) on ${target.kind}${target.endpoint ? ` at ${target.endpoint}` : ''}.`,
      );
      deps.io.out(`The fault is armed: ${inert(result.armedFacts.join(' '))}`);
      deps.io.out(`Next: read scenarios/${id}/README.md, run \`breakfix status ${id}\`, fix it, then \`breakfix check ${id}\`.`);
    }
    return EXIT.OK;
  });
}
