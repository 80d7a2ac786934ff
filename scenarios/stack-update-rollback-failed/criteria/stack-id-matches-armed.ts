import { Criterion, fail, pass } from '../../../checkers/criterion';
import { ARMED_STACK_TAG } from '../lab';
import type { RollbackLabSnapshot } from '../gather';

/**
 * Production is recovered, not replaced: the stack must be the one that was
 * armed. The armed StackId is a tag on the retained orders table.
 */
export const stackIdMatchesArmed: Criterion<RollbackLabSnapshot> = {
  id: 'stack-id-matches-armed',
  title: 'The stack is the production stack that got stuck (same StackId), not a recreated one',
  rationale:
    'Deleting and recreating a production stack is not a recovery: everything it created is replaced, outputs and physical IDs change, and anything retained is orphaned. The StackId tells the recovered stack from a new one with the same name.',
  references: ['https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html'],
  evaluate(s) {
    const armed = s.table.armedStackId;
    if (!s.stack)
      return fail(`CloudFormation has no stack ${s.stackName}, so the armed production stack${armed ? ` ${armed}` : ''} is gone.`);
    if (!armed) {
      return fail(
        `DynamoDB table ${s.table.name} ${s.table.exists ? `no longer carries the ${ARMED_STACK_TAG} tag` : 'does not exist'}, so it was deleted or recreated and stack ${s.stackName} (${s.stack.stackId}) cannot be shown to be the armed one.`,
      );
    }
    if (armed !== s.stack.stackId) {
      return fail(
        `Stack ${s.stackName} is ${s.stack.stackId}, not the armed ${armed}: the production stack was deleted and created again.`,
      );
    }
    return pass(`Stack ${s.stackName} keeps the StackId it was armed with (${armed}).`);
  },
};
