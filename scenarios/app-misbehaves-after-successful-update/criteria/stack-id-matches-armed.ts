import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { OrdersServiceSnapshot } from '../gather';

/** The service is reconciled, not rebuilt: the stack is the one breakfix armed. */
export const stackIdMatchesArmed: Criterion<OrdersServiceSnapshot> = {
  id: 'stack-id-matches-armed',
  title: 'The orders stack is the one that was armed (same StackId), not a recreated one',
  rationale:
    'Deleting and recreating a stack clears drift by replacing everything it manages: new physical resources, lost data, and an outage. The StackId tells the reconciled stack from a new one with the same name.',
  references: ['https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html'],
  evaluate(s) {
    if (!s.stack)
      return fail(`CloudFormation has no stack ${s.stackName}${s.armedStackId ? `; the armed stack was ${s.armedStackId}` : ''}.`);
    if (!s.armedStackId) {
      return fail(
        `breakfix holds no record of arming stack ${s.stackName} (${s.stack.stackId}), so it cannot be shown to be the armed one.`,
      );
    }
    if (s.armedStackId !== s.stack.stackId) {
      return fail(`Stack ${s.stackName} is ${s.stack.stackId}, not the armed ${s.armedStackId}: the stack was deleted and created again.`);
    }
    return pass(`Stack ${s.stackName} keeps the StackId it was armed with (${s.armedStackId}).`);
  },
};
