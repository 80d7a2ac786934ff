import { App, Stack, Tags } from 'aws-cdk-lib';
import { CurrentCredentialsSynthesizer } from '../constructs/current-credentials-synthesizer';
import type { ScenarioDefinition } from '../scenario/types';
import type { TargetKind } from '../targets/target';
import { targetKindFromEnv } from '../targets/resolve';
import { assertCdkSandboxAccount } from '../targets/sandbox-guard';
import { UsageError } from '../core/errors';
import {
  TAG_LEARNER,
  TAG_MANAGED,
  TAG_SCENARIO,
  TAG_VARIANT,
  assertKnownVariant,
  assertRunsOn,
  chooseVariant,
  learnerNameProblem,
  stackNameFor,
} from '../scenario/naming';

export interface StackRequest {
  readonly scenario: ScenarioDefinition;
  readonly learner?: string;
  readonly variant?: string;
  readonly targetKind: TargetKind;
  readonly region?: string;
  readonly account?: string;
}

/**
 * Adds one scenario stack to an app. Stacks use the bootstrapless
 * synthesizer: no assets, no bootstrap stack, templates well under 50 KiB,
 * which every target (moto included) accepts.
 */
export function addScenarioStack(app: App, req: StackRequest): Stack {
  // An explicit variant is one of the scenario's own (commands check it suits the target; tests build AWS-only
  // variants for moto on purpose); without one, the target must run the scenario at all.
  const variant =
    req.variant !== undefined
      ? assertKnownVariant(req.scenario.meta, req.variant)
      : chooseVariant(req.scenario.meta, req.targetKind, { learner: req.learner });
  const stackName = stackNameFor(req.scenario.id, req.learner);
  const stack = req.scenario.buildStack(app, {
    stackName,
    scenarioId: req.scenario.id,
    learner: req.learner,
    variant,
    targetKind: req.targetKind,
    region: req.region,
    account: req.account,
  });
  if (!(stack.synthesizer instanceof CurrentCredentialsSynthesizer)) {
    throw new Error(`Scenario ${req.scenario.id} must use the CurrentCredentialsSynthesizer (see lib/constructs/scenario-stack.ts)`);
  }
  Tags.of(stack).add(TAG_MANAGED, 'true');
  Tags.of(stack).add(TAG_SCENARIO, req.scenario.id);
  Tags.of(stack).add(TAG_VARIANT, variant);
  if (req.learner) Tags.of(stack).add(TAG_LEARNER, req.learner);
  return stack;
}

/** The estimated hourly cost of the labs, one line, as `deploy` shows it before a real deploy. */
function costLine(scenarios: readonly ScenarioDefinition[], account: string): string {
  const each = scenarios.map((s) => `${s.id} ~$${(s.meta.costPerHourUsd?.total ?? 0).toFixed(3)}/hour`);
  return `breakfix: these labs are insecure on purpose and cost money while deployed in account ${account}: ${each.join(', ')}.`;
}

/** What the CDK app builds, from the environment, after the same checks as `breakfix deploy`. */
export interface CdkAppSettings {
  readonly targetKind: TargetKind;
  /** The allow-listed account the stacks are pinned to on real AWS; the CDK CLI's default elsewhere. */
  readonly account?: string;
  readonly region?: string;
  readonly learner?: string;
  readonly variant?: string;
}

/**
 * Reads and checks the CDK app's environment (BREAKFIX_TARGET or
 * AWS_ENDPOINT_URL, BREAKFIX_LEARNER, BREAKFIX_VARIANT, CDK_DEFAULT_ACCOUNT)
 * before anything is built: real AWS only for an allow-listed account, and a
 * valid learner name. It needs no scenario, so a refusal comes at once.
 */
export function cdkAppSettings(env: NodeJS.ProcessEnv): CdkAppSettings {
  const targetKind = targetKindFromEnv(env);
  const account = targetKind === 'aws' ? assertCdkSandboxAccount(env) : env.CDK_DEFAULT_ACCOUNT;
  const learner = env.BREAKFIX_LEARNER || undefined;
  const badName = learner === undefined ? undefined : learnerNameProblem(learner);
  if (badName) throw new UsageError('bad-learner-name', `${badName} (BREAKFIX_LEARNER)`);
  return { targetKind, account, region: env.CDK_DEFAULT_REGION, learner, variant: env.BREAKFIX_VARIANT || undefined };
}

/**
 * The CDK app's stacks: one per scenario, for the target, learner and
 * variant the environment names, as `cdk ls` and `cdk deploy` see them.
 * The stacks are pinned to the allow-listed account on real AWS, and a
 * scenario that cannot be built as asked (a target it does not run on, a
 * variant it lacks) is left out, with a line saying why. `notice` gets those
 * lines, the cost estimate on real AWS, and how to arm what `cdk deploy` put up.
 */
export function addScenarioStacks(
  app: App,
  scenarios: readonly ScenarioDefinition[],
  env: NodeJS.ProcessEnv,
  notice: (line: string) => void = () => undefined,
): Stack[] {
  const { targetKind, account, region, learner, variant } = cdkAppSettings(env);
  if (variant !== undefined && !scenarios.some((s) => s.meta.variants.some((v) => v.id === variant)))
    throw new UsageError('unknown-variant', `No scenario has variant "${variant}" (BREAKFIX_VARIANT).`);

  const built: ScenarioDefinition[] = [];
  const stacks: Stack[] = [];
  for (const scenario of scenarios) {
    try {
      assertRunsOn(scenario.meta, targetKind);
      if (variant !== undefined && !scenario.meta.variants.some((v) => v.id === variant))
        throw new UsageError('unknown-variant', `Scenario ${scenario.id} has no variant "${variant}".`);
      const chosen = chooseVariant(scenario.meta, targetKind, { variant, learner });
      stacks.push(addScenarioStack(app, { scenario, targetKind, learner, variant: chosen, region, account }));
      built.push(scenario);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      notice(`breakfix: ${scenario.id} is left out of this app: ${err.message}`);
    }
  }
  if (targetKind === 'aws') notice(costLine(built, account!));
  const where = targetKind === 'aws' ? '--target aws' : '--endpoint $AWS_ENDPOINT_URL';
  notice(
    `breakfix: \`cdk deploy\` does not arm a lab (no post-deploy steps): afterwards run \`breakfix reset <id> ${where}${learner ? ` --learner ${learner}` : ''}\` to arm it, or use \`breakfix deploy\` instead.`,
  );
  return stacks;
}
