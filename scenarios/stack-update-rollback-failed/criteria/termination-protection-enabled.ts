import { Criterion, notApplicable, pass } from '../../../checkers/criterion';
import type { RollbackLabSnapshot } from '../gather';

/** Advice only: prevention for the "just delete the stack" reflex. */
export const terminationProtectionEnabled: Criterion<RollbackLabSnapshot> = {
  id: 'termination-protection-enabled',
  title: 'Termination protection on the production stack',
  kind: 'advice',
  rationale:
    'Termination protection makes DeleteStack fail on a production stack, so the "delete it and start over" reflex needs a deliberate extra step.',
  references: ['https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-protect-stacks.html'],
  evaluate(s) {
    if (!s.stack) return notApplicable(`CloudFormation has no stack ${s.stackName}.`);
    if (s.stack.terminationProtection) return pass(`Termination protection is on for stack ${s.stackName}.`);
    return pass(
      `Termination protection is off for stack ${s.stackName}; this does not change the verdict.`,
      `Production stacks should refuse deletion: aws cloudformation update-termination-protection --enable-termination-protection --stack-name ${s.stackName}. ` +
        '`breakfix destroy` turns it off again before deleting the lab.',
    );
  },
};
