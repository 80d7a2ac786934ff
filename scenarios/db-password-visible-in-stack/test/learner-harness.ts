/**
 * The learner-behaviour suite's only door into breakfix: every call into the
 * project's code goes through here, so a later refactor touches one file.
 */
import scenarioModule from '../index';
import type { ScenarioContext, ScenarioDefinition } from '../../../lib/scenario/types';
import { startTestMoto, TestMoto } from '../../../test/support/moto';
import { awsCli as runAwsCli, labContext } from '../../../test/support/lab';
import { deployScenario } from '../../../lib/ops/deploy';
import { checkScenario } from '../../../lib/ops/check';
import { resetScenario } from '../../../lib/ops/reset';
import { destroyScenario } from '../../../lib/ops/destroy';

export const scenario: ScenarioDefinition = scenarioModule as unknown as ScenarioDefinition;
export type LabCtx = ScenarioContext;
export { startTestMoto, type TestMoto };

/** A lab context for one learner and an explicit variant on the test moto. */
export function openLab(endpoint: string, learner: string, variant: string): LabCtx {
  return labContext(scenario, endpoint, { learner, variant });
}

export async function deployLab(ctx: LabCtx): Promise<void> {
  await deployScenario(scenario, ctx);
}

/** The checker's verdict and the IDs of the required criteria that failed or errored. */
export async function checkLab(ctx: LabCtx): Promise<{ verdict: string; failing: string[]; messages: string[] }> {
  const report = await checkScenario(scenario, ctx);
  const blocking = report.criteria.filter((c) => c.kind !== 'advice' && (c.status === 'fail' || c.status === 'error'));
  return { verdict: report.verdict, failing: blocking.map((c) => c.id), messages: blocking.map((c) => `${c.id}: ${c.message}`) };
}

/** breakfix's own proof that the lab shows its fault (the facts it prints after deploy and reset). */
export async function armedProof(ctx: LabCtx): Promise<{ armed: boolean; facts: string[] }> {
  const r = await scenario.verifyArmed(ctx);
  return { armed: r.armed, facts: [...r.facts] };
}

export async function resetLab(ctx: LabCtx): Promise<void> {
  await resetScenario(scenario, ctx);
}

export async function destroyLab(ctx: LabCtx): Promise<{ leftovers: string[] }> {
  const r = await destroyScenario(scenario, ctx);
  return { leftovers: r.leftovers };
}

/** The AWS CLI against the test moto, as a learner runs it. */
export function awsCli(endpoint: string, args: string[]): Promise<any> {
  return runAwsCli(endpoint, args);
}
