import type { ScenarioContext, ScenarioDefinition } from '../scenario/types';
import { EnvironmentError, UsageError } from '../core/errors';
import { assertNotBusy, describeStack } from '../engines/cfn/stack-state';
import { toolkitDeploy } from './toolkit';
import { destroyStackAndSweep, recordBaseline } from './destroy';
import { updateProgress } from './progress-store';
import { readArmedRecord, recordArmed, recordMatches } from '../targets/lab-record';

export interface DeployResult {
  readonly scenario: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly target: string;
  readonly variant: string;
  readonly created: boolean;
  /**
   * False when the lab was already deployed and armed by breakfix: the stack was updated from the current
   * template (a learner's edited stack) and nothing was put back broken.
   */
  readonly rearmed: boolean;
  readonly armedFacts: string[];
}

/**
 * Deploys a scenario, runs its post-deploy steps, then proves the fault is
 * really present. A fresh lab that does not arm is removed again, so a
 * failed deploy never leaves half a lab behind.
 */
export async function deployScenario(
  scenario: ScenarioDefinition,
  ctx: ScenarioContext,
  opts: {
    readonly explain?: boolean;
    /** The variant was asked for (--variant), not chosen by default: another one than the lab runs is refused. */
    readonly variantAsked?: boolean;
  } = {},
): Promise<DeployResult> {
  const existing = await describeStack(ctx.clients.cloudformation, ctx.stackName);
  if (existing) assertNotBusy(existing);
  const armedLab = existing && readArmedRecord(ctx.target, existing);
  if (existing && armedLab && recordMatches(armedLab, { ...existing, creationTime: existing.raw.CreationTime })) {
    return updateArmedLab(scenario, ctx, { stackId: existing.stackId, variant: armedLab.variant }, opts.variantAsked ?? false);
  }
  const created = !existing;
  // The variant and the post-deploy steps name the cause: learners see them only when they ask (--explain).
  ctx.progress(
    `${created ? 'Creating' : 'Updating'} stack ${ctx.stackName}${opts.explain ? ` (variant ${ctx.variant})` : ''} on ${ctx.target.kind}`,
  );
  if (created) await recordBaseline(scenario, ctx);
  try {
    await deployStack(scenario, ctx, ctx.variant);
    if (scenario.afterDeploy) {
      ctx.progress('Running post-deploy steps');
      let step = 0;
      const quiet = { ...ctx, progress: () => ctx.progress(`Setting up the lab (step ${++step})`) };
      await scenario.afterDeploy(opts.explain ? ctx : quiet);
    }
  } catch (err) {
    if (created) await cleanUpHalfLab(scenario, ctx);
    throw err;
  }
  ctx.progress('Verifying the lab shows its symptom');
  const armed = await scenario.verifyArmed(ctx);
  if (!armed.armed) {
    if (created) {
      await cleanUpHalfLab(scenario, ctx);
      throw new EnvironmentError(
        'not-armed',
        `Scenario ${scenario.id} did not arm on ${ctx.target.kind}, so it was removed again: ${armed.facts.join(' ')}`,
      );
    }
    throw new EnvironmentError(
      'no-longer-armed',
      `Stack ${ctx.stackName} is deployed but no longer shows the fault (${armed.facts.join(' ')}); run \`${labCommand('reset', scenario, ctx)}\` to re-arm it.`,
    );
  }
  const stack = await describeStack(ctx.clients.cloudformation, ctx.stackName);
  if (!stack) throw new EnvironmentError('not-deployed', `Stack ${ctx.stackName} vanished right after deploy.`);
  recordArmed(
    ctx.target,
    { stackName: ctx.stackName, stackId: stack.stackId, creationTime: stack.raw.CreationTime },
    { scenario: scenario.id, learner: ctx.learner, variant: ctx.variant },
  );
  updateProgress(ctx.target, ctx.stackName, { scenario: scenario.id, learner: ctx.learner, variant: ctx.variant }, (p) => {
    if (created || !p.deployedAt) {
      p.deployedAt = new Date().toISOString();
      p.firstFixedAt = undefined;
    }
    p.variant = ctx.variant;
  });
  return {
    scenario: scenario.id,
    stackName: ctx.stackName,
    stackId: stack.stackId,
    target: ctx.target.kind,
    variant: ctx.variant,
    created,
    rearmed: true,
    armedFacts: armed.facts,
  };
}

/**
 * `deploy` of a lab breakfix already armed: the documented way to apply a
 * learner's edited stack. The stack is updated from the current template of
 * the variant the lab runs, and nothing else happens: re-running the
 * post-deploy steps would put the fault back over the learner's fix (a
 * release shipped again, an exposed password planted again), and the
 * arm evidence stays that of this stack, whose StackId and CreationTime an
 * update does not change.
 */
async function updateArmedLab(
  scenario: ScenarioDefinition,
  ctx: ScenarioContext,
  lab: { readonly stackId: string; readonly variant: string },
  variantAsked: boolean,
): Promise<DeployResult> {
  if (lab.variant !== ctx.variant && variantAsked)
    throw new UsageError(
      'variant-differs',
      `Lab ${ctx.stackName} is already deployed with another variant; run \`${labCommand('destroy', scenario, ctx)}\` first to deploy a different one.`,
    );
  ctx.progress(`Updating stack ${ctx.stackName} on ${ctx.target.kind} from the current template; the lab is not re-armed`);
  await deployStack(scenario, ctx, lab.variant);
  return {
    scenario: scenario.id,
    stackName: ctx.stackName,
    stackId: lab.stackId,
    target: ctx.target.kind,
    variant: lab.variant,
    created: false,
    rearmed: false,
    armedFacts: [],
  };
}

/** A next step for this learner's lab: the same --learner, or the advice acts on another lab (as lib/ops/lab.ts words it). */
function labCommand(verb: 'reset' | 'destroy', scenario: ScenarioDefinition, ctx: ScenarioContext): string {
  return `breakfix ${verb} ${scenario.id}${ctx.learner ? ` --learner ${ctx.learner}` : ''}`;
}

/** The lab's stack created or updated from the current template of `variant` (the template cache spares a synth). */
function deployStack(scenario: ScenarioDefinition, ctx: ScenarioContext, variant: string): Promise<void> {
  return toolkitDeploy(
    { scenario, learner: ctx.learner, variant, targetKind: ctx.target.kind, region: ctx.target.region },
    ctx.target,
    ctx.stackName,
    ctx.progress,
    { templateCache: true },
  );
}

async function cleanUpHalfLab(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<void> {
  try {
    ctx.progress(`Removing the incomplete lab ${ctx.stackName}`);
    await destroyStackAndSweep(scenario, ctx);
  } catch (err) {
    ctx.progress(`Could not remove the incomplete lab: ${(err as Error).message}`);
  }
}
