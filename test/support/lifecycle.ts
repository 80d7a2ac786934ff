/**
 * The two promises every lab makes, as test assertions: after anything a
 * learner did, `reset` re-arms (armed, and the checker says not fixed), and
 * `destroy` leaves the region's listing as it was before the lab (listed by
 * List/Describe calls, not looked up by known IDs).
 */
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
  const baseline = readLabRecord(ctx.target, ctx.stackName)?.baseline;
  expect(baseline).toBeDefined();
  const result = await destroyScenario(scenario, ctx);
  expect({ leftovers: result.leftovers, unproven: result.unproven }).toEqual({ leftovers: [], unproven: [] });
  const after = await listRegion(ctx.clients, baseline!.types);
  expect(diffListings(baseline!, after, await otherLabs(ctx.clients, ctx.stackName)).added).toEqual([]);
  // The record goes with a clean destroy, so the lab no longer counts as lost.
  expect(readLabRecord(ctx.target, ctx.stackName)).toBeUndefined();
}
