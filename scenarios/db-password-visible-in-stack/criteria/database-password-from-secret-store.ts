import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { OrdersSnapshot } from '../gather';

/** The database takes its password by reference from an encrypted store, never as a value the template carries. */
export const databasePasswordFromSecretStore: Criterion<OrdersSnapshot> = {
  id: 'database-password-from-secret-store',
  title: 'The DB instance takes its master password from Secrets Manager or a SecureString parameter',
  rationale:
    'A dynamic reference ({{resolve:secretsmanager:...}} or {{resolve:ssm-secure:...}}) or ManageMasterUserPassword keeps the value out of the template, the parameters and the events; CloudFormation resolves it only when it creates or updates the database.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm-secure-strings.html',
    'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html',
  ],
  evaluate(s) {
    const src = s.db.source;
    const db = `DB instance ${s.db.identifier}`;
    switch (src.kind) {
      case 'secretsmanager':
        return pass(`${db} takes MasterUserPassword from Secrets Manager secret ${s.secret?.name ?? src.secretId} by a dynamic reference.`);
      case 'ssm-secure':
        return pass(`${db} takes MasterUserPassword from SecureString parameter ${src.name} by a dynamic reference.`);
      case 'managed':
        return pass(
          `${db} has ManageMasterUserPassword set: RDS keeps the password in Secrets Manager${s.db.masterUserSecretArn ? ` (${s.db.masterUserSecretArn})` : ''}.`,
        );
      case 'ssm':
        return fail(
          `${db} takes MasterUserPassword from Parameter Store parameter ${src.name} through {{resolve:ssm:...}}, which reads a plain, unencrypted parameter.`,
        );
      case 'parameter':
        return fail(
          `${db} takes MasterUserPassword from template parameter ${src.parameters.join(', ')}, whose value CloudFormation stores with the stack.`,
        );
      case 'literal':
        return fail(`${db} has MasterUserPassword written into the template as a literal.`);
      default:
        return fail(`${db}: ${src.why}.`);
    }
  },
};
