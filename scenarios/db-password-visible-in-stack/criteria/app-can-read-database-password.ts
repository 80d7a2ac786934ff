import { Criterion, fail, pass } from '../../../checkers/criterion';
import { describeDecision } from '../../../lib/engines/iam';
import { decideRead, LAMBDA, lambdaTrust, storeOf } from '../access';
import type { OrdersSnapshot } from '../gather';

/** No downtime: the app must still get the password, now by reading the store at run time. */
export const appCanReadDatabasePassword: Criterion<OrdersSnapshot> = {
  id: 'app-can-read-database-password',
  title: 'The orders function is pointed at the database password store and allowed to read it',
  rationale:
    'Once the password leaves the environment the function must fetch it at run time (GetSecretValue or GetParameter with decryption); without the name and the permission it cannot connect.',
  references: [
    'https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html',
    'https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html',
    'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
  ],
  evaluate(s) {
    const fn = `Function ${s.app.name}`;
    const store = storeOf(s);
    if (!store)
      return fail(
        `${fn} has no store to read: DB instance ${s.db.identifier} takes its password from neither Secrets Manager nor a SecureString parameter.`,
      );
    const named = Object.entries(s.app.environment).find(([, v]) => store.names.includes(v));
    if (!named)
      return fail(
        `No environment variable of ${fn.toLowerCase()} names ${store.label}, the store DB instance ${s.db.identifier} takes its password from.`,
      );
    // The function runs as its role only if Lambda can assume it: the trust policy counts.
    const trust = lambdaTrust(s);
    if (trust.undecided)
      return fail(`Whether ${LAMBDA} can assume role ${s.appRole.roleArn} of ${fn.toLowerCase()} cannot be decided: ${trust.undecided}.`);
    if (!trust.answer!.allowed) return fail(`${trust.answer!.sentence}, so ${fn.toLowerCase()} cannot run with it.`);
    const decision = decideRead(s, store);
    if (decision.decision !== 'Allowed')
      return fail(`Role ${s.appRole.roleArn} of ${fn.toLowerCase()}: ${store.action} on ${store.arn} is ${describeDecision(decision)}.`);
    return pass(`${fn} names ${store.label} in ${named[0]}, and its role is ${describeDecision(decision)} for ${store.action}.`);
  },
};
