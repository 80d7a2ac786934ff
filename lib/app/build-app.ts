import { App, BootstraplessSynthesizer, Stack, Tags } from 'aws-cdk-lib';
import type { ScenarioDefinition } from '../scenario/types';
import type { TargetKind } from '../targets/target';
import { targetKindFromEnv } from '../targets/resolve';
import { TAG_LEARNER, TAG_MANAGED, TAG_SCENARIO, TAG_VARIANT, chooseVariant, stackNameFor } from '../scenario/naming';

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
  const variant = req.variant ?? chooseVariant(req.scenario.meta, req.targetKind, { learner: req.learner });
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
  if (!(stack.synthesizer instanceof BootstraplessSynthesizer)) {
    throw new Error(`Scenario ${req.scenario.id} must use the BootstraplessSynthesizer (see lib/constructs/scenario-stack.ts)`);
  }
  Tags.of(stack).add(TAG_MANAGED, 'true');
  Tags.of(stack).add(TAG_SCENARIO, req.scenario.id);
  Tags.of(stack).add(TAG_VARIANT, variant);
  if (req.learner) Tags.of(stack).add(TAG_LEARNER, req.learner);
  return stack;
}

/**
 * The CDK app's stacks: one per scenario, for the target, learner and
 * variant the environment names (BREAKFIX_TARGET or AWS_ENDPOINT_URL,
 * BREAKFIX_LEARNER, BREAKFIX_VARIANT), as `cdk ls` and `cdk deploy` see them.
 */
export function addScenarioStacks(app: App, scenarios: readonly ScenarioDefinition[], env: NodeJS.ProcessEnv): Stack[] {
  const targetKind = targetKindFromEnv(env);
  return scenarios.map((scenario) =>
    addScenarioStack(app, {
      scenario,
      targetKind,
      learner: env.BREAKFIX_LEARNER || undefined,
      variant: env.BREAKFIX_VARIANT || undefined,
      region: env.CDK_DEFAULT_REGION,
      account: env.CDK_DEFAULT_ACCOUNT,
    }),
  );
}
