/**
 * End to end on the kit's moto, variant plain-parameter: deploy arms the
 * fault; valid remedies, applied as a learner would (an edited template
 * through UpdateStack or the aws CLI, an edited CDK stack redeployed), are
 * fixed; shortcuts fail with the criterion that names them; between cases
 * the lab is put back in place (helpers.restore) and proved armed again;
 * reset re-arms after a deleted stack; destroy leaves nothing.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { checkScenario } from '../../../lib/ops/check';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import { awsCli, cdkDeploy, useLab } from '../../../test/support/lab';
import { criterion, failing } from '../../../test/support/report';
import scenario from '..';
import { ARMED_FAILING } from '../arm';
import { EXPOSED_PASSWORD, VARIANTS } from '../lab';
import { OrdersStack } from '../stack';
import { byReference, createSecret, currentTemplate, restore, updateStack, type TemplateJson } from './helpers';

const lab = useLab(scenario, { variant: VARIANTS.plain });
const NEW_PASSWORD = 'kX7-rotated-orders-db-pw';
let armedTemplate: TemplateJson;

const readOnly = (resource: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: resource }],
});

async function expectArmed(): Promise<void> {
  const report = await checkScenario(scenario, lab.ctx);
  expect(failing(report).sort()).toEqual([...ARMED_FAILING[VARIANTS.plain]].sort());
}

/** The SDK remedy, reused by shortcuts that add one mistake to it. */
async function secretRemedy(
  opts: { password?: string; env?: Record<string, string>; policy?: (arn: string) => object } = {},
): Promise<string> {
  const arn = await createSecret(
    lab.ctx,
    'orders/db',
    JSON.stringify({ username: 'orders_admin', password: opts.password ?? NEW_PASSWORD }),
  );
  await updateStack(
    lab.ctx,
    byReference(armedTemplate, {
      passwordProperty: `{{resolve:secretsmanager:${arn}:SecretString:password}}`,
      env: { DB_SECRET_ID: arn, ...opts.env },
      policy: (opts.policy ?? readOnly)(arn),
    }),
  );
  return arn;
}

beforeAll(async () => {
  armedTemplate = await currentTemplate(lab.ctx);
});

describe('armed', () => {
  test('the exposed password shows in the parameters, the template and the environment, and the database takes it', async () => {
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report).sort()).toEqual([...ARMED_FAILING[VARIANTS.plain]].sort());
    const symptom = await scenario.symptom(lab.ctx);
    expect(symptom.details).toEqual(
      expect.arrayContaining([
        'Stack parameter DbPassword (DescribeStacks) shows the exposed database password',
        'The stack template (GetTemplate) shows the exposed database password',
      ]),
    );
    expect(JSON.stringify(report)).not.toContain(EXPOSED_PASSWORD);
  });
});

describe('valid remedies', () => {
  afterEach(async () => {
    await restore(scenario, lab.ctx);
    await expectArmed();
  });

  test('SDK: a new password in a JSON secret, referenced by ARN; the function reads that one secret', async () => {
    await secretRemedy();
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(criterion(report, 'exposed-password-rotated').message).toMatch(/secret orders\/db/);
    expect(criterion(report, 'secret-rotation-enabled')).toMatchObject({ kind: 'advice', status: 'pass' });
    expect(JSON.stringify(report)).not.toContain(NEW_PASSWORD);
  });

  test('aws CLI: a plain-string secret referenced by name, the policy on name-??????, update-stack from a file', async () => {
    await awsCli(lab.endpoint, ['secretsmanager', 'create-secret', '--name', 'orders-db-password', '--secret-string', NEW_PASSWORD]);
    const t = byReference(armedTemplate, {
      passwordProperty: '{{resolve:secretsmanager:orders-db-password}}',
      env: { DB_SECRET_ID: 'orders-db-password' },
      policy: readOnly('arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-password-??????'),
    });
    const file = join(mkdtempSync(join(tmpdir(), 'dbpw-')), 'template.json');
    writeFileSync(file, JSON.stringify(t));
    await awsCli(lab.endpoint, [
      'cloudformation',
      'update-stack',
      '--stack-name',
      lab.ctx.stackName,
      '--template-body',
      `file://${file}`,
      '--capabilities',
      'CAPABILITY_NAMED_IAM',
    ]);
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual([]);
  });

  test('SecureString parameter: {{resolve:ssm-secure}} for the database, DB_PASSWORD_PARAMETER and ssm:GetParameter on it', async () => {
    await lab.ctx.clients
      .client(SSMClient)
      .send(new PutParameterCommand({ Name: '/orders/db/password', Type: 'SecureString', Value: NEW_PASSWORD }));
    await updateStack(
      lab.ctx,
      byReference(armedTemplate, {
        passwordProperty: '{{resolve:ssm-secure:/orders/db/password:1}}',
        env: { DB_PASSWORD_PARAMETER: '/orders/db/password' },
        policy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/orders/db/password' },
          ],
        },
      }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(criterion(report, 'database-password-from-secret-store').message).toMatch(/SecureString parameter \/orders\/db\/password/);
  });

  test('CDK: the stack edited to generate a secret, reference it and grant the function read, redeployed in place', async () => {
    await cdkDeploy(scenario, lab.ctx, (scope, props) => {
      const stack = new OrdersStack(scope, props);
      const secret = new secretsmanager.Secret(stack, 'OrdersDbSecret', {
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ username: 'orders_admin' }),
          generateStringKey: 'password',
          excludePunctuation: true,
        },
      });
      stack.database.masterUserPassword = secret.secretValueFromJson('password').unsafeUnwrap();
      stack.app.addEnvironment('DB_SECRET_ID', secret.secretArn);
      (stack.app.node.defaultChild as lambda.CfnFunction).addPropertyDeletionOverride('Environment.Variables.DB_PASSWORD');
      secret.grantRead(stack.app);
      stack.node.tryRemoveChild(stack.password.node.id);
      return stack;
    });
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.criteria.find((c) => c.id === 'stack-updated-in-place')?.status).toBe('pass');
  });

  test('a secret first holding the exposed value, then a new value put and the stack updated with a pinned version', async () => {
    const arn = await secretRemedy({ password: EXPOSED_PASSWORD });
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['exposed-password-rotated']);
    const put = await awsCli(lab.endpoint, [
      'secretsmanager',
      'put-secret-value',
      '--secret-id',
      arn,
      '--secret-string',
      JSON.stringify({ username: 'orders_admin', password: NEW_PASSWORD }),
    ]);
    await updateStack(
      lab.ctx,
      byReference(armedTemplate, {
        passwordProperty: `{{resolve:secretsmanager:${arn}:SecretString:password::${put.VersionId}}}`,
        env: { DB_SECRET_ID: arn },
        policy: readOnly(arn),
      }),
    );
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual([]);
  });
});

describe('shortcuts are rejected', () => {
  afterEach(async () => {
    await restore(scenario, lab.ctx);
    await expectArmed();
  });

  test('NoEcho added, nothing else: the Default still shows in the template', async () => {
    const t = JSON.parse(JSON.stringify(armedTemplate));
    t.Parameters.DbPassword.NoEcho = true;
    await updateStack(lab.ctx, t);
    const f = failing(await checkScenario(scenario, lab.ctx));
    expect(f).toEqual(
      expect.arrayContaining(['password-not-in-stack-template', 'password-not-in-function-environment', 'exposed-password-rotated']),
    );
    expect(f).not.toContain('password-not-in-stack-parameters');
  });

  test('the secret keeps the exposed password', async () => {
    await secretRemedy({ password: EXPOSED_PASSWORD });
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['exposed-password-rotated']);
  });

  test('the new password also in an output', async () => {
    const arn = await createSecret(lab.ctx, 'orders/db', JSON.stringify({ password: NEW_PASSWORD }));
    const t = byReference(armedTemplate, {
      passwordProperty: `{{resolve:secretsmanager:${arn}:SecretString:password}}`,
      env: { DB_SECRET_ID: arn },
      policy: readOnly(arn),
    });
    t.Outputs.DbPassword = { Value: NEW_PASSWORD };
    await updateStack(lab.ctx, t);
    expect(failing(await checkScenario(scenario, lab.ctx)).sort()).toEqual([
      'password-not-in-stack-outputs',
      'password-not-in-stack-template',
    ]);
  });

  test('the new password as a stack tag', async () => {
    const arn = await createSecret(lab.ctx, 'orders/db', JSON.stringify({ password: NEW_PASSWORD }));
    const fixed = byReference(armedTemplate, {
      passwordProperty: `{{resolve:secretsmanager:${arn}:SecretString:password}}`,
      env: { DB_SECRET_ID: arn },
      policy: readOnly(arn),
    });
    await updateStack(lab.ctx, fixed, { Tags: [{ Key: 'db-password', Value: NEW_PASSWORD }] });
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['password-not-in-tags']);
    // The tag off again, the fixed template kept: restore finds the secret through its reference and removes it.
    await updateStack(lab.ctx, fixed, { Tags: [] });
  });
  test('the environment takes the secret by dynamic reference: the value shows in the function configuration', async () => {
    await secretRemedy({ env: { DB_PASSWORD: '{{resolve:secretsmanager:orders/db:SecretString:password}}' } });
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['password-not-in-function-environment']);
  });

  test('the function role gets secretsmanager:* on every secret', async () => {
    await secretRemedy({
      policy: () => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }] }),
    });
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['app-password-access-least-privilege']);
    expect(criterion(report, 'app-password-access-least-privilege').message).toMatch(/can change or delete a secret/);
  });

  test('the function role may read every secret', async () => {
    await secretRemedy({ policy: () => readOnly('*') });
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['app-password-access-least-privilege']);
    expect(criterion(report, 'app-password-access-least-privilege').message).toMatch(/can read another secret/);
  });

  test('the password kept in a String (unencrypted) Parameter Store parameter for the database', async () => {
    await lab.ctx.clients
      .client(SSMClient)
      .send(new PutParameterCommand({ Name: '/orders/db/password', Type: 'String', Value: NEW_PASSWORD }));
    await updateStack(
      lab.ctx,
      byReference(armedTemplate, {
        passwordProperty: '{{resolve:ssm:/orders/db/password}}',
        env: { DB_PASSWORD_PARAMETER: '/orders/db/password' },
        policy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/orders/db/password' },
          ],
        },
      }),
    );
    const f = failing(await checkScenario(scenario, lab.ctx));
    expect(f).toEqual(expect.arrayContaining(['password-not-in-plaintext-ssm-parameter', 'database-password-from-secret-store']));
  });

  test('the password moved to another (new) parameter', async () => {
    const t = byReference(armedTemplate, { passwordProperty: { Ref: 'OrdersDbSecretValue' }, env: {} });
    t.Parameters = { OrdersDbSecretValue: { Type: 'String', Default: NEW_PASSWORD } };
    await updateStack(lab.ctx, t);
    const f = failing(await checkScenario(scenario, lab.ctx));
    expect(f).toEqual(
      expect.arrayContaining(['password-not-in-stack-parameters', 'password-not-in-stack-template', 'database-password-from-secret-store']),
    );
  });
});

describe('a stack deleted and created again', () => {
  test('fails stack-updated-in-place, however right the new template; reset re-arms', async () => {
    const arn = await createSecret(lab.ctx, 'orders/db', JSON.stringify({ password: NEW_PASSWORD }));
    const fixed = byReference(armedTemplate, {
      passwordProperty: `{{resolve:secretsmanager:${arn}:SecretString:password}}`,
      env: { DB_SECRET_ID: arn },
      policy: readOnly(arn),
    });
    await lab.ctx.clients.cloudformation.send(new DeleteStackCommand({ StackName: lab.ctx.stackName }));
    await lab.ctx.clients.cloudformation.send(
      new CreateStackCommand({ StackName: lab.ctx.stackName, TemplateBody: JSON.stringify(fixed), Capabilities: ['CAPABILITY_NAMED_IAM'] }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['stack-updated-in-place']);
    expect(criterion(report, 'stack-updated-in-place').message).toMatch(/deleted and created again/);
    await resetScenario(scenario, lab.ctx);
    await expectArmed();
    armedTemplate = await currentTemplate(lab.ctx);
    const secrets = (await lab.ctx.clients.client(SecretsManagerClient).send(new ListSecretsCommand({}))).SecretList ?? [];
    expect(secrets.map((s) => s.Name)).toEqual([]);
  });
});

describe('destroy', () => {
  test('after a fix, leaves no stack resource, secret or Parameter Store parameter behind', async () => {
    await secretRemedy();
    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
    expect(result.removed).toEqual(
      expect.arrayContaining(['Secrets Manager secret orders/db', `Parameter Store parameter /breakfix/${lab.ctx.stackName}/deployed`]),
    );
    const secrets = (await lab.ctx.clients.client(SecretsManagerClient).send(new ListSecretsCommand({}))).SecretList ?? [];
    expect(secrets).toEqual([]);
    const params = await awsCli(lab.endpoint, ['ssm', 'describe-parameters']);
    expect(params.Parameters).toEqual([]);
  });
});
