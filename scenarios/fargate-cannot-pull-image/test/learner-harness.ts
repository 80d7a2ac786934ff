/**
 * The one place the learner-behaviour suite touches breakfix's code: start an
 * emulator, deploy a lab, grade it, reset it, destroy it, and run the AWS CLI
 * against it. Everything a learner does goes through `lab.aws(...)` (the AWS
 * CLI) or the SDK clients in `lab.clients`, never through the scenario's own
 * modules, so the suite stays a grader's view of the lab.
 */
import type { CheckReport } from '../../../checkers/criterion';
import { checkScenario } from '../../../lib/ops/check';
import { deployScenario } from '../../../lib/ops/deploy';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import type { ScenarioContext, ScenarioDefinition } from '../../../lib/scenario/types';
import { AwsClients } from '../../../lib/targets/clients';
import { awsCli, labContext } from '../../../test/support/lab';
import { TestMoto, startTestMoto } from '../../../test/support/moto';
import * as scenarioModule from '../index';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

// The scenario object is the module's default export or its one named export; which one is not the suite's business.
const exported = scenarioModule as unknown as Record<string, ScenarioDefinition | undefined>;
export const scenario: ScenarioDefinition =
  exported.default ?? (Object.values(exported).find((v) => v && typeof v === 'object' && 'criteria' in v) as ScenarioDefinition);

/** Variant IDs, in scenario.json order. */
export const variants: string[] = scenario.meta.variants.map((v) => v.id);

export type Emulator = TestMoto;

/** One moto per test file. */
export function startEmulator(): Promise<Emulator> {
  return startTestMoto();
}

/** Runs the AWS CLI against the emulator as a learner would; parsed JSON output. */
export function aws(endpoint: string, args: string[]): Promise<any> {
  return awsCli(endpoint, args);
}

/** SDK clients for the emulator as a whole, for looking at the region outside any one lab. */
export function emulatorClients(endpoint: string): AwsClients {
  return new AwsClients({ kind: 'moto', region: REGION, endpoint });
}

export interface Lab {
  readonly endpoint: string;
  readonly learner: string;
  readonly variant: string;
  readonly stackName: string;
  /** SDK v3 clients for the lab's target, as a learner's script would use them. */
  readonly clients: AwsClients;
}

const contexts = new WeakMap<Lab, ScenarioContext>();

function contextFor(endpoint: string, learner: string, variant: string): ScenarioContext {
  return labContext(scenario, endpoint, { learner, variant });
}

/** Deploys a fresh lab for one learner name and an explicit variant. */
export async function deployLab(endpoint: string, learner: string, variant: string): Promise<Lab> {
  const ctx = contextFor(endpoint, learner, variant);
  await deployScenario(scenario, ctx);
  const lab: Lab = {
    endpoint,
    learner,
    variant,
    stackName: ctx.stackName,
    clients: ctx.clients,
  };
  contexts.set(lab, ctx);
  return lab;
}

export interface Grade {
  readonly verdict: 'fixed' | 'not-fixed';
  /** Criterion IDs that failed or errored. */
  readonly failing: string[];
  /** `id: message` for every criterion that did not pass, for readable test failures. */
  readonly notes: string[];
  readonly report: CheckReport;
}

/** `breakfix check`, in process. */
export async function checkLab(lab: Lab): Promise<Grade> {
  const report = await checkScenario(scenario, ctxOf(lab));
  const bad = report.criteria.filter((c) => c.status === 'fail' || c.status === 'error');
  return {
    verdict: report.verdict,
    failing: bad.map((c) => c.id),
    notes: report.criteria.filter((c) => c.status !== 'pass').map((c) => `${c.id} [${c.status}]: ${c.message}`),
    report,
  };
}

/** `breakfix reset`, in process. */
export async function resetLab(lab: Lab): Promise<void> {
  await resetScenario(scenario, ctxOf(lab));
}

/** `breakfix destroy`, in process; rejects when the stack or anything it listed is left behind. */
export async function destroyLab(lab: Lab): Promise<{ removed: string[] }> {
  const result = await destroyScenario(scenario, ctxOf(lab));
  return { removed: result.removed };
}

function ctxOf(lab: Lab): ScenarioContext {
  const ctx = contexts.get(lab);
  if (!ctx) throw new Error(`Lab ${lab.stackName} was not deployed through this harness.`);
  return ctx;
}
