import type { CommandDeps, CommonOptions } from '../common';
import { prepareTarget } from '../common';
import { EXIT } from '../exit-codes';
import { paint } from '../io';
import { findScenario } from '../scenario-lookup';
import { openLab } from '../../ops/lab';
import { inert } from '../../core/inert';

export interface StatusOptions extends CommonOptions {
  readonly json?: boolean;
  /** Instructors: also the variant and why the symptom happens (spoilers). */
  readonly explain?: boolean;
}

export async function runStatus(id: string, opts: StatusOptions, deps: CommandDeps): Promise<number> {
  const scenario = findScenario(deps.scenarios, id);
  const { target, clients, learner } = await prepareTarget(opts, deps);
  const { ctx, stack } = await openLab(scenario, target, { learner, clients });
  // What AWS would show, and nothing else: the variant and the explanation name the cause.
  const { explanation, ...symptom } = await scenario.symptom(ctx);
  if (opts.json) {
    deps.io.out(
      JSON.stringify({
        scenario: id,
        target: target.kind,
        stackName: ctx.stackName,
        stackStatus: stack.status,
        ...(opts.explain ? { variant: ctx.variant } : {}),
        ...symptom,
        ...(opts.explain && explanation ? { explanation } : {}),
      }),
    );
    return EXIT.OK;
  }
  const label =
    symptom.source === 'derived'
      ? paint(deps.io, 'yellow', `[derived from live state on ${target.kind}]`)
      : paint(deps.io, 'cyan', '[as reported by AWS]');
  deps.io.out(`${paint(deps.io, 'bold', ctx.stackName)} ${inert(stack.status)} ${label}`);
  deps.io.out(inert(symptom.summary));
  for (const d of symptom.details) deps.io.out(`  ${inert(d)}`);
  if (symptom.derivation) deps.io.out(paint(deps.io, 'dim', `Derived: ${inert(symptom.derivation)}`));
  if (opts.explain) {
    deps.io.out(paint(deps.io, 'yellow', `Variant: ${ctx.variant}`));
    for (const e of explanation ?? []) deps.io.out(paint(deps.io, 'yellow', inert(e)));
  }
  return EXIT.OK;
}
