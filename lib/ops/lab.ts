import type { ScenarioContext, ScenarioDefinition } from '../scenario/types';
import { EnvironmentError } from '../core/errors';
import { StackState, assertNotBusy, describeStack } from '../engines/cfn/stack-state';
import { TAG_VARIANT, stackNameFor } from '../scenario/naming';
import type { Target } from '../targets/target';
import { AwsClients, AwsClientsOptions } from '../targets/clients';
import { makeContext } from './context';

export interface OpenLab {
  readonly ctx: ScenarioContext;
  readonly stack: StackState;
}

/**
 * Finds a deployed lab and the variant it was armed with (a stack tag), so
 * read-only commands grade what is really there.
 */
export async function openLab(
  scenario: ScenarioDefinition,
  target: Target,
  opts: { learner?: string; clients?: AwsClients; clientOptions?: AwsClientsOptions; progress?: (m: string) => void },
): Promise<OpenLab> {
  const clients = opts.clients ?? new AwsClients(target, opts.clientOptions);
  const stackName = stackNameFor(scenario.id, opts.learner);
  const stack = await describeStack(clients.cloudformation, stackName);
  if (!stack) {
    throw new EnvironmentError(
      'not-deployed',
      `Scenario ${scenario.id} is not deployed on ${target.kind}${target.endpoint ? ` at ${target.endpoint}` : ''} (no stack ${stackName}); run \`breakfix deploy ${scenario.id}${opts.learner ? ` --learner ${opts.learner}` : ''}\` first.`,
    );
  }
  assertNotBusy(stack);
  const variant = stack.tags[TAG_VARIANT] ?? scenario.meta.variants[0].id;
  const ctx = makeContext({ scenario, target, learner: opts.learner, variant, clients, progress: opts.progress });
  return { ctx, stack };
}
