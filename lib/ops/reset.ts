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
  let removed: string[] = [];
  if (stack) {
    assertNotBusy(stack);
    const result = await destroyStackAndSweep(scenario, ctx);
    if (result.leftovers.length > 0)
      throw new EnvironmentError('leftovers', `Could not clear the old lab: ${result.leftovers.join('; ')}.`);
    removed = result.removed;
  }
  const deployed = await deployScenario(scenario, ctx);
  return { ...deployed, removed };
}
