import { Criterion, fail, pass } from '../../../checkers/criterion';
import { describeDrift } from '../../../lib/engines/cfn/drift';
import type { OrdersServiceSnapshot } from '../gather';

/**
 * Template and reality agree: drift computed by breakfix's engine from the
 * stack's current template (GetTemplate) and live reads, with
 * CloudFormation's drift semantics, so the verdict does not depend on whether
 * the learner ran DetectStackDrift or on what the target implements.
 */
export const resourcesMatchTemplate: Criterion<OrdersServiceSnapshot> = {
  id: 'resources-match-template',
  title: "Every resource of the orders stack matches the stack's current template",
  rationale:
    'A resource changed outside CloudFormation keeps its hand-made value until an update touches it, and then silently gets the template value back. Until template and live configuration agree, every release can change the service in ways nobody reviewed.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-resolve-drift.html',
  ],
  evaluate(s) {
    if (!s.drift) return fail(`CloudFormation has no stack ${s.stackName} to compare with its resources.`);
    const lines = s.drift.resources.flatMap((r) => (r.status === 'MODIFIED' || r.status === 'DELETED' ? describeDrift(r) : []));
    if (s.drift.failed.length > 0) {
      const reasons = s.drift.resources.filter((r) => s.drift!.failed.includes(r.logicalId)).map((r) => `${r.logicalId} ${r.reason}`);
      return fail(`Stack ${s.stackName}: ${[...lines, ...reasons].join('; ')}.`);
    }
    if (lines.length > 0) {
      return fail(`Stack ${s.stackName} differs from its current template: ${lines.join('; ')}.`);
    }
    const checked = s.drift.resources.filter((r) => r.status === 'IN_SYNC').map((r) => r.logicalId);
    return pass(`Every checked resource of stack ${s.stackName} matches its current template (${checked.join(', ')}).`);
  },
};
