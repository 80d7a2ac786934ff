/**
 * The two promises every lab makes, as test assertions: after anything a
 * learner did, `reset` re-arms (armed, and the checker says not fixed), and
 * `destroy` leaves the region's listing as it was before the lab (listed by
 * List/Describe calls, not looked up by known IDs).
 */
import fc from 'fast-check';
import { checkScenario } from '../../lib/ops/check';
import { destroyScenario } from '../../lib/ops/destroy';
import { resetScenario } from '../../lib/ops/reset';
import { readLabRecord } from '../../lib/cleanup/lab-record';
import { diffListings, listRegion, otherLabs } from '../../lib/cleanup/region-listing';
import type { ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';

export async function expectResetRearms(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<void> {
  const result = await resetScenario(scenario, ctx);
  expect(result.armedFacts.length).toBeGreaterThan(0);
  expect((await scenario.verifyArmed(ctx)).armed).toBe(true);
  expect((await checkScenario(scenario, ctx)).verdict).toBe('not-fixed');
}

/** Destroys the lab; the region listing afterwards has nothing the one before the lab lacked (other live labs aside). */
export async function expectDestroyLeavesRegionAsBefore(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<void> {
  const baseline = (await readLabRecord(ctx))?.baseline;
  expect(baseline).toBeDefined();
  const result = await destroyScenario(scenario, ctx);
  expect({ leftovers: result.leftovers, unproven: result.unproven }).toEqual({ leftovers: [], unproven: [] });
  const after = await listRegion(ctx.clients, baseline!.types);
  expect(diffListings(baseline!, after, await otherLabs(ctx.clients, ctx.stackName)).added).toEqual([]);
  // The record goes with a clean destroy, so the lab no longer counts as lost.
  expect(await readLabRecord(ctx)).toBeUndefined();
}

// ------------------------------------------------------------ model-based lifecycle: random learners, then reset or destroy

/** One learner action of a catalogue: fast-check's async command over a scenario's model and the lab's context. */
export type LearnerAction<M extends object> = fc.AsyncCommand<M, ScenarioContext>;

/**
 * One learner action: its name (printed in a failing sequence), the SDK or
 * CLI call(s) a learner would make, and when it is valid (the model says what
 * the sequence did so far; AWS would refuse the call otherwise).
 */
export function learnerAction<M extends object>(
  name: string,
  run: (m: M, ctx: ScenarioContext) => Promise<void>,
  valid: (m: M) => boolean = () => true,
): fc.Arbitrary<LearnerAction<M>> {
  return fc.constant({ check: valid, run, toString: () => name });
}

/**
 * The seed of this run. By default the file's own seed, so CI draws the same
 * sequences every run (each file's seed is one whose draw once found a stuck
 * lab, now a regression). BREAKFIX_LIFECYCLE_SEED replays a printed seed, and
 * BREAKFIX_LIFECYCLE_SEED=random explores with a fresh one, printed.
 */
export function lifecycleSeed(fileSeed: number): number {
  const asked = process.env.BREAKFIX_LIFECYCLE_SEED;
  const seed = asked === 'random' ? Date.now() % 2 ** 31 : asked ? Number(asked) : fileSeed;
  // Printed so a failure can be replayed: BREAKFIX_LIFECYCLE_SEED=<seed> npx jest <this file>.
  console.log(`lifecycle model seed: ${seed} (BREAKFIX_LIFECYCLE_SEED=${seed} replays it)`);
  return seed;
}

export interface LifecycleModelOptions<M extends object> {
  readonly scenario: ScenarioDefinition;
  /** The lab, read when the test runs (set up in beforeAll). */
  readonly ctx: () => ScenarioContext;
  readonly catalogue: () => fc.Arbitrary<LearnerAction<M>>[];
  /** The model of a freshly deployed (or reset) lab. */
  readonly initial: () => M;
  readonly seed: number;
  /** Sequences tried; each is followed by an in-process reset. Every reset rebuilds the lab, so keep this small. */
  readonly runs: number;
  readonly maxActions: number;
  /** Fixed learner steps before the random ones (a regression kept in every draw); they update the model as actions do. */
  readonly prefix?: (m: M, ctx: ScenarioContext) => Promise<void>;
}

async function runSequence<M extends object>(o: LifecycleModelOptions<M>, cmds: Iterable<LearnerAction<M>>): Promise<void> {
  const model = o.initial();
  if (o.prefix) await o.prefix(model, o.ctx());
  await fc.asyncModelRun(() => ({ model, real: o.ctx() }), cmds);
}

/**
 * Random learner sequences drawn from the catalogue, each followed by
 * `reset`, which must succeed and re-arm. Not shrunk (every step of a
 * shrink would rebuild the lab); the failing sequence and the seed are in
 * fast-check's message.
 */
export async function expectEverySequenceResets<M extends object>(o: LifecycleModelOptions<M>): Promise<void> {
  expect(o.catalogue().length).toBeGreaterThanOrEqual(15);
  await fc.assert(
    fc.asyncProperty(fc.commands(o.catalogue(), { maxCommands: o.maxActions }), async (cmds) => {
      await runSequence(o, cmds);
      await expectResetRearms(o.scenario, o.ctx());
    }),
    { numRuns: o.runs, seed: o.seed, endOnFailure: true },
  );
}

/**
 * One random learner sequence (drawn from the same seed, after the reset
 * runs), then `destroy`, which must succeed and leave the region's listing
 * as it was before the lab.
 */
export async function expectSequenceThenDestroyLeavesRegionAsBefore<M extends object>(o: LifecycleModelOptions<M>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.commands(o.catalogue(), { maxCommands: o.maxActions }), async (cmds) => {
      await runSequence(o, cmds);
      await expectDestroyLeavesRegionAsBefore(o.scenario, o.ctx());
    }),
    { numRuns: 1, seed: o.seed + 1, endOnFailure: true },
  );
}
