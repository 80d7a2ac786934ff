import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { OrdersSnapshot } from '../gather';

/**
 * Stack events are history: CloudFormation keeps them as long as the stack
 * and nobody can delete them. The exposed password in old events is why it
 * must be rotated (exposed-password-rotated); the current one must not join it.
 */
export const passwordNotInStackEvents: Criterion<OrdersSnapshot> = {
  id: 'password-not-in-stack-events',
  title: "No stack event shows the database's current password",
  rationale:
    'DescribeStackEvents keeps the resource properties and status reasons of every operation for the life of the stack; a password that reaches an event stays readable there.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormationAPI/latest/APIReference/API_StackEvent.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html',
  ],
  evaluate(s) {
    const current = s.events.filter((e) => s.passwords.foundIn(e.text).includes('current'));
    if (current.length > 0) return fail(`${current.map((e) => e.where).join('; ')} show(s) the database's current password.`);
    const old = s.events.filter((e) => s.passwords.foundIn(e.text).includes('exposed')).length;
    return pass(
      `None of the ${s.events.length} event(s) of stack ${s.stackName} shows the database's current password` +
        (old > 0 ? `; ${old} earlier event(s) keep the exposed one, which CloudFormation never deletes.` : '.'),
    );
  },
};
