import { Criterion, fail, pass } from '../../../checkers/criterion';
import { exposuresIn, type OrdersSnapshot } from '../gather';

export const passwordNotInFunctionEnvironment: Criterion<OrdersSnapshot> = {
  id: 'password-not-in-function-environment',
  title: 'The orders function environment holds no database password',
  rationale:
    'GetFunctionConfiguration and the Lambda console show environment variables in clear to anyone allowed to read the function; a dynamic reference there resolves to the value too.',
  references: [
    'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html',
    'https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html',
  ],
  evaluate(s) {
    const found = exposuresIn(
      Object.entries(s.app.environment).map(([k, v]) => ({
        where: `environment variable ${k} of function ${s.app.name} (GetFunctionConfiguration)`,
        text: v,
      })),
      s.passwords,
    );
    if (found.length > 0) return fail(`${found.join('; ')}.`);
    return pass(`No environment variable of function ${s.app.name} holds the database password.`);
  },
};
