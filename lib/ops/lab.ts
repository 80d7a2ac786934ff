import type { ScenarioContext, ScenarioDefinition } from '../scenario/types';
import { EnvironmentError } from '../core/errors';
import { StackState, assertNotBusy, describeStack } from '../engines/cfn/stack-state';
import { TAG_VARIANT, stackNameFor } from '../scenario/naming';
import type { Target } from '../targets/target';
import { AwsClients, AwsClientsOptions } from '../targets/clients';
import { readLabRecord, LabRecord } from '../cleanup/lab-record';
import { makeContext } from './context';

export interface OpenLab {
  readonly ctx: ScenarioContext;
  readonly stack: StackState;
}

type LabOptions = { learner?: string; clients?: AwsClients; clientOptions?: AwsClientsOptions; progress?: (m: string) => void };

/**
 * Finds a deployed lab and the variant it was armed with (a stack tag), so
 * read-only commands grade what is really there.
 */
export async function openLab(scenario: ScenarioDefinition, target: Target, opts: LabOptions): Promise<OpenLab> {
  const found = await findLab(scenario, target, opts);
  if (!found.stack) {
    throw new EnvironmentError(
      'not-deployed',
      `Scenario ${scenario.id} is not deployed on ${target.kind}${target.endpoint ? ` at ${target.endpoint}` : ''} (no stack ${found.ctx.stackName}); run \`breakfix deploy ${scenario.id}${opts.learner ? ` --learner ${opts.learner}` : ''}\` first.`,
    );
  }
  return { ctx: found.ctx, stack: found.stack };
}

export interface FoundLab {
  readonly ctx: ScenarioContext;
  /** The live stack; absent when there is none (never deployed, destroyed, or deleted by the learner). */
  readonly stack?: StackState;
  /** breakfix's own record of the lab, when it deployed it from this BREAKFIX_HOME and has not destroyed it. */
  readonly record?: LabRecord;
}

/**
 * A lab whether or not its stack is there: the context (variant from the
 * stack's tag, else from breakfix's record, else the default), the stack if
 * any (not busy), and breakfix's record. Destroy and reset use it so a lab
 * whose stack is gone can still be cleaned up or rebuilt.
 */
export async function findLab(scenario: ScenarioDefinition, target: Target, opts: LabOptions): Promise<FoundLab> {
  const clients = opts.clients ?? new AwsClients(target, opts.clientOptions);
  const stackName = stackNameFor(scenario.id, opts.learner);
  const stack = await describeStack(clients.cloudformation, stackName);
  if (stack) assertNotBusy(stack);
  const record = readLabRecord(target, stackName);
  const known = (v?: string) => (v && scenario.meta.variants.some((x) => x.id === v) ? v : undefined);
  const variant = known(stack?.tags[TAG_VARIANT]) ?? known(record?.variant) ?? scenario.meta.variants[0].id;
  const ctx = makeContext({ scenario, target, learner: opts.learner, variant, clients, progress: opts.progress });
  return { ctx, stack, record };
}
