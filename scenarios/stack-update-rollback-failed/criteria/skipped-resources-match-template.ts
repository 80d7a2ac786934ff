import { Criterion, notApplicable, pass } from '../../../checkers/criterion';
import { StackEventView, skippedDuringRollback } from '../../../lib/engines/cfn/stack-events';
import type { RollbackLabSnapshot } from '../gather';

interface Comparison {
  readonly line: string;
  readonly drifted: boolean;
}

function retentionText(days: number | undefined): string {
  return days === undefined ? 'no retention (never expire)' : `${days}-day retention`;
}

/** The real state of one skipped resource against what the template declares. */
function compare(s: RollbackLabSnapshot, e: StackEventView): Comparison {
  const declared = s.templateResources[e.logicalId];
  if (!declared) return { line: `${e.logicalId} is no longer in the template`, drifted: false };
  if (declared.Type === 'AWS::Logs::LogGroup' && typeof declared.Properties?.LogGroupName === 'string') {
    const name = declared.Properties.LogGroupName;
    const wanted = declared.Properties.RetentionInDays === undefined ? undefined : Number(declared.Properties.RetentionInDays);
    const real = s.logGroups[name];
    if (!real?.exists)
      return {
        line: `${e.logicalId}: log group ${name} does not exist, but the template declares it with ${retentionText(wanted)} (drift: DELETED)`,
        drifted: true,
      };
    if (real.retentionInDays !== wanted) {
      return {
        line: `${e.logicalId}: log group ${name} has ${retentionText(real.retentionInDays)}, the template ${retentionText(wanted)} (drift: MODIFIED)`,
        drifted: true,
      };
    }
    return { line: `${e.logicalId}: log group ${name} matches the template (${retentionText(wanted)})`, drifted: false };
  }
  return { line: `${e.logicalId} (${declared.Type}) is not compared by breakfix`, drifted: true };
}

/**
 * Advice only: skipping a resource leaves CloudFormation recording the
 * previous template for it while the real resource is whatever it is.
 */
export const skippedResourcesMatchTemplate: Criterion<RollbackLabSnapshot> = {
  id: 'skipped-resources-match-template',
  title: 'Resources skipped during the rollback, compared with the template',
  kind: 'advice',
  rationale:
    'CloudFormation marks a skipped resource UPDATE_COMPLETE without touching it, so its record and the real resource can differ, and the next update that touches the resource fails the same way.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-continueupdaterollback.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html',
  ],
  evaluate(s) {
    const skipped = skippedDuringRollback(s.events);
    if (skipped.length === 0) return notApplicable(`No resource of stack ${s.stackName} was skipped while rolling back.`);
    const results = skipped.map((e) => compare(s, e));
    const message = `Skipped while rolling back stack ${s.stackName}: ${results.map((r) => r.line).join('; ')}.`;
    if (!results.some((r) => r.drifted)) return pass(message);
    return pass(
      message,
      'Skipping marks a resource UPDATE_COMPLETE without touching it, so the stack now records the old template while the real resource differs. ' +
        'Drift detection reports skipped resources as NOT_CHECKED: run `aws cloudformation detect-stack-resource-drift` on them, and bring the resource back in line ' +
        "(recreate it with the template's name and settings) before the next update, or that update fails the same way.",
    );
  },
};
