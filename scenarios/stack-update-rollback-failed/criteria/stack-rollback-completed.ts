import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { RollbackLabSnapshot } from '../gather';

/** States that mean the stack works again: the rollback finished, or a later update succeeded. */
const WORKING = ['UPDATE_ROLLBACK_COMPLETE', 'UPDATE_COMPLETE'];

export const stackRollbackCompleted: Criterion<RollbackLabSnapshot> = {
  id: 'stack-rollback-completed',
  title: 'The stack finished rolling back (UPDATE_ROLLBACK_COMPLETE) or was updated since (UPDATE_COMPLETE)',
  rationale:
    'A stack in UPDATE_ROLLBACK_FAILED accepts no update and no delete of its resources until its rollback is continued; until then production cannot ship another release.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-continueupdaterollback.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ContinueUpdateRollback.html',
  ],
  evaluate(s) {
    if (!s.stack) return fail(`CloudFormation has no stack ${s.stackName}.`);
    const { status, statusReason } = s.stack;
    if (WORKING.includes(status)) return pass(`CloudFormation reports stack ${s.stackName} ${status}.`);
    if (status === 'UPDATE_ROLLBACK_FAILED') {
      return fail(
        `CloudFormation reports stack ${s.stackName} UPDATE_ROLLBACK_FAILED${statusReason ? ` (${statusReason})` : ''}: it accepts no update until its rollback is continued.`,
      );
    }
    return fail(`CloudFormation reports stack ${s.stackName} ${status}, not UPDATE_ROLLBACK_COMPLETE or UPDATE_COMPLETE.`);
  },
};
