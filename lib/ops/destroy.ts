import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import type { ScenarioContext, ScenarioDefinition } from '../scenario/types';
import { EnvironmentError } from '../core/errors';
import { assertNotBusy, describeStack, listStackResources } from '../engines/cfn/stack-state';
import { listStackEvents } from '../engines/cfn/stack-events';
import { pollUntil } from '../core/poll';
import { waitsOf } from '../targets/target';
import { findLeftovers, inventoryOf } from '../cleanup/inventory';

export interface DestroyResult {
  readonly scenario: string;
  readonly stackName: string;
  readonly removed: string[];
  readonly leftovers: string[];
}

/** Deletes the stack and waits; resolves when it is gone, rejects on DELETE_FAILED. */
async function deleteStackAndWait(ctx: ScenarioContext): Promise<void> {
  const cfn = ctx.clients.cloudformation;
  const before = await describeStack(cfn, ctx.stackName);
  if (!before) return;
  await cfn.send(new DeleteStackCommand({ StackName: before.stackId }));
  const waits = waitsOf(ctx.target);
  let lastStatus = '';
  const now = await pollUntil(
    async () => {
      const state = await describeStack(cfn, before.stackId);
      if (state && state.status !== lastStatus) ctx.progress(`${ctx.stackName}: ${state.status}`);
      lastStatus = state?.status ?? lastStatus;
      return state;
    },
    (state) => !state || state.status === 'DELETE_FAILED',
    {
      pollMs: waits.pollMs,
      timeoutMs: waits.stackMs,
      timedOut: () =>
        new EnvironmentError('wait-timed-out', `Stack ${ctx.stackName} was still ${lastStatus} when breakfix stopped waiting.`),
    },
  );
  if (!now) return;
  const events = await listStackEvents(cfn, before.stackId);
  const reason = events.find((e) => e.status === 'DELETE_FAILED' && e.reason)?.reason ?? now.statusReason ?? 'no reason given';
  throw new EnvironmentError('stack-delete-failed', `CloudFormation could not delete stack ${ctx.stackName}: ${reason}`);
}

/**
 * Removes what the learner created, then the stack, then anything the stack
 * retained, and finally lists what is still there: every resource the stack
 * listed, probed by type, plus whatever the scenario checks itself.
 */
export async function destroyStackAndSweep(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<DestroyResult> {
  const removed: string[] = [];
  // What the stack owns, captured now: after deletion CloudFormation no longer says.
  const inventory = (await describeStack(ctx.clients.cloudformation, ctx.stackName))
    ? inventoryOf(await listStackResources(ctx.clients.cloudformation, ctx.stackName))
    : {};
  if (scenario.sweepLearnerResources) {
    ctx.progress('Removing resources created outside the stack');
    removed.push(...(await scenario.sweepLearnerResources(ctx)));
  }
  ctx.progress(`Deleting stack ${ctx.stackName}`);
  await deleteStackAndWait(ctx);
  removed.push(`CloudFormation stack ${ctx.stackName}`);
  if (scenario.afterStackDeleted) removed.push(...(await scenario.afterStackDeleted(ctx)));
  const leftovers = [
    ...(await findLeftovers(ctx.clients, inventory, scenario.probes)),
    ...(scenario.leftovers ? await scenario.leftovers(ctx) : []),
  ];
  return { scenario: scenario.id, stackName: ctx.stackName, removed, leftovers };
}

export async function destroyScenario(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<DestroyResult> {
  const stack = await describeStack(ctx.clients.cloudformation, ctx.stackName);
  if (!stack)
    throw new EnvironmentError(
      'not-deployed',
      `Scenario ${scenario.id} is not deployed on ${ctx.target.kind} (no stack ${ctx.stackName}).`,
    );
  assertNotBusy(stack);
  const result = await destroyStackAndSweep(scenario, ctx);
  if (result.leftovers.length > 0) {
    throw new EnvironmentError(
      'leftovers',
      `Stack ${ctx.stackName} was deleted but these resources remain: ${result.leftovers.join('; ')}.`,
    );
  }
  return result;
}
