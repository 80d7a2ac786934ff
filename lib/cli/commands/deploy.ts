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
  /** Instructors: also name the variant and the armed fault (spoilers). */
  readonly explain?: boolean;
}

/** The options that say whose lab, on which target, so suggested commands act on the same lab. */
export function labArgs(opts: CommonOptions): string {
  const parts: string[] = [];
  if (opts.learner) parts.push(`--learner ${opts.learner}`);
  if (opts.target) parts.push(`--target ${opts.target}`);
  if (opts.endpoint) parts.push(`--endpoint ${opts.endpoint}`);
  if (opts.region) parts.push(`--region ${opts.region}`);
  return parts.length ? ` ${parts.join(' ')}` : '';
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
    const result = await deployScenario(scenario, ctx, { explain: opts.explain, variantAsked: Boolean(opts.variant) });
    const { variant: _variant, armedFacts: _armedFacts, ...shown } = result;
    if (opts.json)
      deps.io.out(JSON.stringify({ ...(opts.explain ? result : shown), endpoint: target.endpoint ?? null, region: target.region }));
    else {
      const args = labArgs(opts);
      const where = target.endpoint ? ` at ${target.endpoint}` : ` in ${target.region}`;
      if (!result.rearmed) {
        // The lab was armed already: its stack now matches the current template, and the learner's changes stay.
        deps.io.out(`Stack ${result.stackName} is updated on ${target.kind}${where}; the lab was not re-armed, so your changes stay.`);
        deps.io.out(`Check your fix:  breakfix check ${id}${args}`);
        deps.io.out(`Start over:      breakfix reset ${id}${args}`);
        return EXIT.OK;
      }
      deps.io.out(`Lab ${result.stackName} is ready on ${target.kind}${where}.`);
      if (opts.explain) {
        deps.io.out(`Variant: ${result.variant}`);
        deps.io.out(`Armed: ${inert(result.armedFacts.join(' '))}`);
      }
      deps.io.out(`See the symptom:  breakfix status ${id}${args}`);
      deps.io.out(`Use the aws CLI:  eval "$(breakfix env${args.replace(/ --learner \S+/, '')})"`);
      deps.io.out(`When it is fixed: breakfix check ${id}${args}`);
    }
    return EXIT.OK;
  });
}
