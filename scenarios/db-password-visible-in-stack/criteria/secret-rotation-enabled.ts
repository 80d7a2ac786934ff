import { Criterion, notApplicable, pass } from '../../../checkers/criterion';
import type { OrdersSnapshot } from '../gather';

/** Advice: a secret that rotates on a schedule limits what the next leak is worth. */
export const secretRotationEnabled: Criterion<OrdersSnapshot> = {
  id: 'secret-rotation-enabled',
  title: 'The database secret rotates on a schedule',
  kind: 'advice',
  rationale: 'Automatic rotation replaces the password on a schedule, so a copy that leaks later stops working on its own.',
  references: ['https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html'],
  evaluate(s) {
    if (!s.secret) return notApplicable(`DB instance ${s.db.identifier} takes its password from no Secrets Manager secret.`);
    if (s.secret.rotationEnabled) return pass(`Secret ${s.secret.name} has automatic rotation turned on.`);
    return pass(
      `Secret ${s.secret.name} has no automatic rotation; this does not change the verdict.`,
      'A rotation schedule (RDS-managed secrets rotate every 7 days by default) replaces the password without a stack update.',
    );
  },
};
