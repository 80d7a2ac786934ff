import type { ScenarioContext, ScenarioDefinition } from '../scenario/types';
import { EnvironmentError } from '../core/errors';
import { StackState, assertNotBusy, describeStack } from '../engines/cfn/stack-state';
import { TAG_VARIANT, assertKnownVariant, chooseVariant, stackNameFor, variantsFor } from '../scenario/naming';
import type { Target } from '../targets/target';
import { AwsClients, AwsClientsOptions } from '../targets/clients';
import { ArmedRecord, readArmedRecord, recordMatches } from '../targets/lab-record';
import { makeContext } from './context';

export interface OpenLab {
  readonly ctx: ScenarioContext;
  readonly stack: StackState;
  /** breakfix's record of arming this very stack (StackId and CreationTime match); absent for a lab breakfix never armed. */
  readonly armed?: ArmedRecord;
}

export interface OpenLabOptions {
  readonly learner?: string;
  readonly clients?: AwsClients;
  readonly clientOptions?: AwsClientsOptions;
  readonly progress?: (m: string) => void;
  /**
   * Grading and showing need breakfix's own record of arming this stack; a
   * lab without one (deployed by `cdk deploy`, or re-created by hand) is
   * refused with the command that arms it. reset and destroy pass false.
   * @default true
   */
  readonly requireArmed?: boolean;
}

/**
 * Finds a deployed lab and the variant it was armed with. The variant comes
 * from breakfix's own record in BREAKFIX_HOME, cross-checked with the live
 * StackId and CreationTime, never from a stack tag the learner can rewrite.
 */
export async function openLab(scenario: ScenarioDefinition, target: Target, opts: OpenLabOptions): Promise<OpenLab> {
  const clients = opts.clients ?? new AwsClients(target, opts.clientOptions);
  const stackName = stackNameFor(scenario.id, opts.learner);
  const stack = await describeStack(clients.cloudformation, stackName);
  if (!stack) {
    throw new EnvironmentError(
      'not-deployed',
      `Scenario ${scenario.id} is not deployed on ${target.kind}${target.endpoint ? ` at ${target.endpoint}` : ''} (no stack ${stackName}); run \`breakfix deploy ${scenario.id}\` first.`,
    );
  }
  assertNotBusy(stack);
  const live = { stackName, stackId: stack.stackId, creationTime: stack.raw.CreationTime };
  const record = readArmedRecord(target, live);
  const armed = record && record.scenario === scenario.id && recordMatches(record, live) ? record : undefined;
  if (armed) {
    const variant = assertKnownVariant(scenario.meta, armed.variant);
    const ctx = makeContext({ scenario, target, learner: opts.learner, variant, armed, clients, progress: opts.progress });
    return { ctx, stack, armed };
  }
  if (opts.requireArmed ?? true) {
    const again = `breakfix reset ${scenario.id}${opts.learner ? ` --learner ${opts.learner}` : ''}`;
    throw new EnvironmentError(
      'not-armed-by-breakfix',
      record
        ? `Stack ${stackName} (${stack.stackId}) is not the stack breakfix armed (${record.stackId}, created ${record.creationTime}): it was replaced outside breakfix; run \`${again}\` to arm a fresh lab.`
        : `Stack ${stackName} was deployed without breakfix's post-deploy steps (by \`cdk deploy\`, for example), so the fault was never armed; run \`${again}\` to arm it.`,
    );
  }
  // Not armed by breakfix: reset and destroy still need a variant; the tag is read, but only a known one for this target is used.
  const tagged = stack.tags[TAG_VARIANT];
  const variant =
    tagged && variantsFor(scenario.meta, target.kind).includes(tagged)
      ? tagged
      : chooseVariant(scenario.meta, target.kind, { learner: opts.learner });
  const ctx = makeContext({ scenario, target, learner: opts.learner, variant, clients, progress: opts.progress });
  return { ctx, stack };
}
