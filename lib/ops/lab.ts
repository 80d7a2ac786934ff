import type { ScenarioContext, ScenarioDefinition } from '../scenario/types';
import { EnvironmentError } from '../core/errors';
import { StackState, assertNotBusy, describeStack } from '../engines/cfn/stack-state';
import { TAG_VARIANT, assertKnownVariant, chooseVariant, stackNameFor, variantsFor } from '../scenario/naming';
import type { Target } from '../targets/target';
import { AwsClients, AwsClientsOptions } from '../targets/clients';
import { ArmedRecord, accountOfStackId, readLabRecord as readRecordIn, recordMatches } from '../targets/lab-record';
import { readLabRecord, LabRecord } from '../cleanup/lab-record';
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
  const found = await findLab(scenario, target, opts);
  if (!found.stack) {
    throw new EnvironmentError(
      'not-deployed',
      `Scenario ${scenario.id} is not deployed on ${target.kind}${target.endpoint ? ` at ${target.endpoint}` : ''} (no stack ${found.ctx.stackName}); run \`breakfix deploy ${scenario.id}${opts.learner ? ` --learner ${opts.learner}` : ''}\` first.`,
    );
  }
  return { ctx: found.ctx, stack: found.stack, armed: found.armed };
}

export interface FoundLab {
  readonly ctx: ScenarioContext;
  /** The live stack; absent when there is none (never deployed, destroyed, or deleted by the learner). */
  readonly stack?: StackState;
  /** breakfix's record of the lab's region listing, when it deployed it from this BREAKFIX_HOME and has not destroyed it. */
  readonly record?: LabRecord;
  /** breakfix's record of arming the live stack, when StackId and CreationTime match. */
  readonly armed?: ArmedRecord;
}

/**
 * A lab whether or not its stack is there, so destroy and reset can clean up
 * or rebuild a lab whose stack is gone. With a live stack, the variant comes
 * from the arming record (a lab without one is refused unless `requireArmed`
 * is false, when only a tag naming a variant this target runs is used);
 * without one, from breakfix's lab record, else the target's default.
 */
export async function findLab(scenario: ScenarioDefinition, target: Target, opts: OpenLabOptions): Promise<FoundLab> {
  const clients = opts.clients ?? new AwsClients(target, opts.clientOptions);
  const stackName = stackNameFor(scenario.id, opts.learner);
  const stack = await describeStack(clients.cloudformation, stackName);
  // One record holds the lab's baseline and its arm evidence; a live stack names its account, so STS is asked only without one.
  const record = stack
    ? (readRecordIn(target, accountOfStackId(stack.stackId), stackName) as LabRecord | undefined)
    : await readLabRecord({ target, clients, stackName });
  const context = (variant: string, armed?: ArmedRecord) =>
    makeContext({ scenario, target, learner: opts.learner, variant, armed, clients, progress: opts.progress });
  const runsHere = (v?: string): v is string => !!v && variantsFor(scenario.meta, target.kind).includes(v);
  if (!stack) {
    const variant = runsHere(record?.variant) ? record.variant : chooseVariant(scenario.meta, target.kind, { learner: opts.learner });
    return { ctx: context(variant), record };
  }
  assertNotBusy(stack);
  const live = { stackName, stackId: stack.stackId, creationTime: stack.raw.CreationTime };
  const armedRecord = record?.armed;
  const armed = armedRecord && armedRecord.scenario === scenario.id && recordMatches(armedRecord, live) ? armedRecord : undefined;
  if (armed) return { ctx: context(assertKnownVariant(scenario.meta, armed.variant), armed), stack, record, armed };
  if (opts.requireArmed ?? true) {
    const again = `breakfix reset ${scenario.id}${opts.learner ? ` --learner ${opts.learner}` : ''}`;
    throw new EnvironmentError(
      'not-armed-by-breakfix',
      armedRecord
        ? `Stack ${stackName} (${stack.stackId}) is not the stack breakfix armed (${armedRecord.stackId}, created ${armedRecord.creationTime}): it was replaced outside breakfix; run \`${again}\` to arm a fresh lab.`
        : `Stack ${stackName} was deployed without breakfix's post-deploy steps (by \`cdk deploy\`, for example), so the fault was never armed; run \`${again}\` to arm it.`,
    );
  }
  // Not armed by breakfix: reset and destroy still need a variant; the tag is read, but only a known one for this target is used.
  const tagged = stack.tags[TAG_VARIANT];
  const variant = runsHere(tagged) ? tagged : chooseVariant(scenario.meta, target.kind, { learner: opts.learner });
  return { ctx: context(variant), stack, record };
}
