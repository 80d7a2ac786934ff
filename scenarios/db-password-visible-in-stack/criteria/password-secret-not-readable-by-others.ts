import { Criterion, fail, pass } from '../../../checkers/criterion';
import { describeStatement } from '../../../lib/engines/iam';
import { otherPrincipalProof, otherPrincipals } from '../access';
import type { OrdersSnapshot } from '../gather';

/** Others stay protected: the secret's resource policy lets no one but the app read, change or re-share the password. */
export const passwordSecretNotReadableByOthers: Criterion<OrdersSnapshot> = {
  id: 'password-secret-not-readable-by-others',
  title: "No principal other than the orders function's role can read or change the password's secret",
  rationale:
    'A secret\'s resource policy grants on its own: within the account a statement naming "*" lets every role read the password with no permission of its own, and it is the only gate for principals of other accounts.',
  references: [
    'https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-custom-policy-checks.html',
  ],
  evaluate(s) {
    const secret = s.secret;
    if (!secret) return pass('The database password is in no Secrets Manager secret, so no secret policy can share it.');
    if (!secret.policy) return pass(`Secret ${secret.name} has no resource policy: only identity policies can grant it.`);
    for (const other of otherPrincipals(s)) {
      const check = otherPrincipalProof(s, secret, other);
      if (check.result === 'FAIL') {
        const f = check.findings[0];
        const by = f.allowedBy.map(describeStatement).join(', ') || 'the policies in force';
        return fail(
          `${other.label[0].toUpperCase()}${other.label.slice(1)} can ${f.witness.action} on secret ${secret.name}: allowed by ${by}.`,
        );
      }
    }
    return pass(
      `The resource policy of secret ${secret.name} lets no other role of account ${s.account}, no other account and no principal it names besides the app read, change or re-share it (proved over its patterns).`,
    );
  },
};
