import type { CheckReport } from '../../checkers/criterion';
import { runCheck } from '../../checkers/runner';
import type { ScenarioContext, ScenarioDefinition } from '../scenario/types';
import type { LabRecord } from '../cleanup/lab-record';

/** Grades live state. Read-only: it never changes the lab. */
export function checkScenario(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<CheckReport> {
  return runCheck({
    scenario: scenario.id,
    target: ctx.target.kind,
    variant: ctx.variant,
    gather: () => scenario.gather(ctx),
    criteria: scenario.criteria,
  });
}

/** The criterion a lost lab fails: its stack is part of what the learner was asked to fix. */
export const LAB_STACK_EXISTS = 'lab-stack-exists';

/**
 * The evidence that a lab whose stack is gone once existed: breakfix's own
 * record of deploying it (from this BREAKFIX_HOME), and what the scenario
 * finds still there (resources the stack retained). Empty when there is none,
 * which means the lab was never deployed here, or was destroyed.
 */
export async function lostLabEvidence(scenario: ScenarioDefinition, ctx: ScenarioContext, record?: LabRecord): Promise<string[]> {
  const evidence: string[] = [];
  if (record) evidence.push(`breakfix deployed it from this machine on ${record.recordedAt} (variant ${record.variant})`);
  const retained = scenario.leftovers ? await scenario.leftovers(ctx) : [];
  if (retained.length) evidence.push(`still there: ${retained.join('; ')}`);
  return evidence;
}

/**
 * The verdict on a lab whose stack is gone although it existed: not fixed,
 * with one criterion that says what is gone and how breakfix knows it was
 * there. Deleting the stack is never a fix; `reset` rebuilds it.
 */
export function lostLabReport(scenario: ScenarioDefinition, ctx: ScenarioContext, evidence: readonly string[]): CheckReport {
  return {
    scenario: scenario.id,
    target: ctx.target.kind,
    verdict: 'not-fixed',
    durationMs: 0,
    criteria: [
      {
        id: LAB_STACK_EXISTS,
        title: "The lab's CloudFormation stack exists",
        status: 'fail',
        message: `Stack ${ctx.stackName} no longer exists on ${ctx.target.kind}, and with it every resource it held; the lab existed: ${evidence.join('; ')}.`,
      },
    ],
  };
}
