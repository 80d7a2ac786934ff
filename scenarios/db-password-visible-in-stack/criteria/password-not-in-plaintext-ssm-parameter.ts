import { Criterion, fail, pass } from '../../../checkers/criterion';
import { exposuresIn, type OrdersSnapshot } from '../gather';

export const passwordNotInPlaintextSsmParameter: Criterion<OrdersSnapshot> = {
  id: 'password-not-in-plaintext-ssm-parameter',
  title: 'No unencrypted Parameter Store parameter holds the database password',
  rationale:
    'A String or StringList parameter is stored and returned unencrypted to anyone allowed ssm:GetParameter; secrets belong in SecureString parameters or Secrets Manager.',
  references: ['https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html'],
  evaluate(s) {
    const found = exposuresIn(s.plainParameters, s.passwords);
    if (found.length > 0) return fail(`${found.join('; ')}.`);
    return pass(
      `None of the ${s.plainParameters.length} String or StringList parameter(s) in Parameter Store holds the database password.`,
    );
  },
};
