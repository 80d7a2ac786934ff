import { Criterion, fail, pass } from '../../../checkers/criterion';
import { describeStatement } from '../../../lib/engines/iam';
import { checkNothingMore, FORBIDDEN, storeOf } from '../access';
import type { OrdersSnapshot } from '../gather';

/** Nothing more than needed: the read of one store, and no other secret or parameter. */
export const appPasswordAccessLeastPrivilege: Criterion<OrdersSnapshot> = {
  id: 'app-password-access-least-privilege',
  title: "The orders function's role can read its own password and no other secret",
  rationale:
    'secretsmanager:* or a read on every secret turns a bug in one function into a leak of every secret in the account; the function needs the read of one secret (or one parameter).',
  references: [
    'https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-custom-policy-checks.html',
  ],
  evaluate(s) {
    const store = storeOf(s);
    const check = checkNothingMore(s, store);
    if (check.result === 'FAIL') {
      const f = check.findings[0];
      const by = f.allowedBy.map(describeStatement).join(', ') || 'the policies in force';
      return fail(
        `Role ${s.appRole.roleArn} can ${FORBIDDEN[f.accessIndex ?? 0]}: ${f.witness.action} on ${f.witness.resourceArn} is allowed by ${by}.`,
      );
    }
    return pass(
      `Role ${s.appRole.roleArn} can change no secret and read no secret or parameter other than ${store ? store.label : 'none'} (proved over its policies' patterns).`,
    );
  },
};
