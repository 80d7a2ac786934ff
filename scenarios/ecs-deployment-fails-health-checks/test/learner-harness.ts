/**
 * The one place the learner-behaviour suite touches breakfix's code, so a
 * later refactor changes this file only. Everything else in the suite acts as
 * a learner would: the aws CLI or the SDK v3 with the lab's clients.
 */
import scenario from '../index';
import { startTestMoto, type TestMoto } from '../../../test/support/moto';
import { awsCli, labContext } from '../../../test/support/lab';
import { deployScenario } from '../../../lib/ops/deploy';
import { checkScenario } from '../../../lib/ops/check';
import { resetScenario } from '../../../lib/ops/reset';
import { destroyScenario } from '../../../lib/ops/destroy';
import type { ScenarioContext } from '../../../lib/scenario/types';

export { scenario, awsCli };
export type { TestMoto, ScenarioContext };

export function startMoto(): Promise<TestMoto> {
  return startTestMoto();
}

/** A lab context for one learner and an explicit variant. */
export function lab(endpoint: string, learner: string, variant: string): ScenarioContext {
  return labContext(scenario, endpoint, { learner, variant });
}

export async function deploy(ctx: ScenarioContext): Promise<void> {
  await deployScenario(scenario, ctx);
}

export interface Verdict {
  readonly verdict: 'fixed' | 'not-fixed';
  /** IDs of the required criteria that fail or error. */
  readonly failing: string[];
  readonly messages: Record<string, string>;
}

export async function check(ctx: ScenarioContext): Promise<Verdict> {
  const report = await checkScenario(scenario, ctx);
  const blocking = report.criteria.filter((c) => c.kind !== 'advice' && (c.status === 'fail' || c.status === 'error'));
  return {
    verdict: report.verdict,
    failing: blocking.map((c) => c.id),
    messages: Object.fromEntries(blocking.map((c) => [c.id, c.message])),
  };
}

export async function reset(ctx: ScenarioContext): Promise<void> {
  await resetScenario(scenario, ctx);
}

/** Destroys the lab; what the listing shows left behind (and what it could not prove gone). */
export async function destroy(ctx: ScenarioContext): Promise<{ leftovers: unknown[]; unproven: unknown[] }> {
  const r = await destroyScenario(scenario, ctx);
  return { leftovers: [...r.leftovers], unproven: [...r.unproven] };
}

export function closeClients(ctx: ScenarioContext): void {
  ctx.clients.destroy();
}
