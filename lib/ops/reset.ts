import type { ScenarioContext, ScenarioDefinition } from '../scenario/types';
import { EnvironmentError } from '../core/errors';
import { assertNotBusy, describeStack } from '../engines/cfn/stack-state';
import { DeployResult, deployScenario } from './deploy';
import { destroyStackAndSweep } from './destroy';

/**
 * Back to the broken state whatever the learner changed: remove what they
 * created, delete the stack, and deploy it fresh. Rebuilding is slower than
 * undoing edits one by one, but it cannot miss an edit nobody anticipated.
 */
export async function resetScenario(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<DeployResult & { removed: string[] }> {
  const stack = await describeStack(ctx.clients.cloudformation, ctx.stackName);
  if (stack) assertNotBusy(stack);
  // With the stack gone (a learner deleted it), what it retained still has to go, or the new deploy collides with it.
  const result = await destroyStackAndSweep(scenario, ctx);
  if (result.leftovers.length > 0) throw new EnvironmentError('leftovers', `Could not clear the old lab: ${result.leftovers.join('; ')}.`);
  const removed = result.removed;
  const deployed = await deployScenario(scenario, ctx);
  return { ...deployed, removed };
}
