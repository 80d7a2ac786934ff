/**
 * End to end on the kit's moto, variant noecho-default: the parameter is
 * NoEcho, so DescribeStacks shows **** as AWS documents (the checker reads
 * it so even where stock moto shows the value), while the template's Default,
 * the connection-string output and the environment still show the password.
 */
import { checkScenario } from '../../../lib/ops/check';
import { useLab } from '../../../test/support/lab';
import { failing } from '../../../test/support/report';
import scenario from '..';
import { ARMED_FAILING } from '../arm';
import { VARIANTS } from '../lab';
import { byReference, createSecret, currentTemplate, restore, updateStack, type TemplateJson } from './helpers';

const lab = useLab(scenario, { variant: VARIANTS.noEcho });
const NEW_PASSWORD = 'Zq4-rotated-orders-db-pw';
let armedTemplate: TemplateJson;

beforeAll(async () => {
  armedTemplate = await currentTemplate(lab.ctx);
});

const expectArmed = async () =>
  expect(failing(await checkScenario(scenario, lab.ctx)).sort()).toEqual([...ARMED_FAILING[VARIANTS.noEcho]].sort());

test('armed: the parameter is masked, the template, the output and the environment are not', async () => {
  await expectArmed();
  expect((await scenario.symptom(lab.ctx)).details).toEqual(
    expect.arrayContaining(['Stack output OrdersDbConnection (DescribeStacks) shows the exposed database password']),
  );
});

describe('after each case the lab is put back in place', () => {
  afterEach(async () => {
    await restore(scenario, lab.ctx);
    await expectArmed();
  });

  test('remedy: a new password in a secret, by reference; the output built from the parameter removed', async () => {
    const arn = await createSecret(lab.ctx, 'orders/db', JSON.stringify({ password: NEW_PASSWORD }));
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: arn }] };
    await updateStack(
      lab.ctx,
      byReference(armedTemplate, {
        passwordProperty: `{{resolve:secretsmanager:${arn}:SecretString:password}}`,
        env: { DB_SECRET_ID: arn },
        policy,
      }),
    );
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual([]);
  });

  test('shortcut: the Default removed and the value passed at update time: the output and the environment still show it', async () => {
    const t = JSON.parse(JSON.stringify(armedTemplate));
    delete t.Parameters.DbPassword.Default;
    await updateStack(lab.ctx, t, { Parameters: [{ ParameterKey: 'DbPassword', ParameterValue: NEW_PASSWORD }] });
    const f = failing(await checkScenario(scenario, lab.ctx));
    expect(f).toEqual(
      expect.arrayContaining([
        'password-not-in-stack-outputs',
        'password-not-in-function-environment',
        'database-password-from-secret-store',
      ]),
    );
    expect(f).not.toContain('password-not-in-stack-parameters');
  });
});
