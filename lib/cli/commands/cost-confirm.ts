import type { ScenarioDefinition } from '../../scenario/types';
import type { CommandDeps } from '../common';
import { UsageError } from '../../core/errors';

/** Shows the estimated hourly cost on real AWS and asks before spending money. */
export async function confirmRealAwsCost(scenario: ScenarioDefinition, yes: boolean, deps: CommandDeps): Promise<void> {
  const cost = scenario.meta.costPerHourUsd;
  if (cost) {
    deps.io.err(`Estimated cost of ${scenario.id} on AWS: about $${cost.total.toFixed(2)} per hour while deployed.`);
    for (const item of cost.items) deps.io.err(`  ${item.item}: $${item.usdPerHour.toFixed(3)}/h`);
    deps.io.err(`  Assumptions: ${cost.assumptions}`);
  }
  if (yes) return;
  if (!deps.io.interactive)
    throw new UsageError('needs-confirmation', 'Deploying to real AWS needs confirmation: pass --yes when not running interactively.');
  if (!(await deps.io.confirm(`Deploy ${scenario.id}, deliberately broken infrastructure, to this AWS account?`))) {
    throw new UsageError('cancelled', 'Deploy cancelled.');
  }
}
