import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { OrdersSnapshot } from '../gather';

/**
 * The exposed value stays in the stack's event history and in whatever
 * copies the review made: it only stops mattering when the database no
 * longer accepts it.
 */
export const exposedPasswordRotated: Criterion<OrdersSnapshot> = {
  id: 'exposed-password-rotated',
  title: 'The database no longer takes the exposed password',
  rationale:
    'A password that was readable must be treated as compromised: hiding it leaves every copy already taken (and the stack events CloudFormation keeps) able to open the database.',
  references: [
    'https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html',
  ],
  evaluate(s) {
    const db = `DB instance ${s.db.identifier}`;
    if (!s.password.known) return fail(`Cannot tell which password ${db} takes: ${s.password.why}.`);
    if (s.password.exposed) return fail(`${db} still takes the exposed password (${s.password.how}).`);
    return pass(`${db} takes a password other than the exposed one (${s.password.how}).`);
  },
};
