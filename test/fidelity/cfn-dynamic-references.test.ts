/**
 * patch_cfn_dynamic_references: {{resolve:ssm:...}}, {{resolve:ssm-secure:...}}
 * and {{resolve:secretsmanager:...}} are resolved in resource properties on
 * create and update, in every documented form, only where AWS supports them;
 * the template and the stack's description keep the reference text.
 *
 * AWS sources (CloudFormation User Guide): "Get values stored in other
 * services using dynamic references", "Get a plaintext value from Systems
 * Manager Parameter Store", "Get a secure string value from Systems Manager
 * Parameter Store" (with "Resources that support dynamic parameter patterns
 * for secure strings"), "Get a secret or secret value from Secrets Manager".
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { eventLines } from '../fidelity-rollback/harness';
import { clientConfig, cloneTemplate, Flavour, FLAVOURS, MotoPair, rejection, startMotoPair, Template, waitForStack } from './cfn-harness';

const PASSWORD = 'correct-horse-battery-staple';
const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

const fn = (variables: Record<string, string>): Template['Resources'][string] => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    Runtime: 'python3.12',
    Handler: 'index.handler',
    Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
    Code: { ZipFile: 'def handler(event, context):\n    return 1\n' },
    Environment: { Variables: variables },
  },
});

interface Clients {
  cfn: CloudFormationClient;
  lambda: LambdaClient;
  ssm: SSMClient;
  sm: SecretsManagerClient;
}

async function functionEnv(c: Clients, stack: string): Promise<Record<string, string>> {
  const described = await c.cfn.send(new DescribeStacksCommand({ StackName: stack }));
  const id = (await c.cfn.send(new ListStackResourcesCommand({ StackName: stack }))).StackResourceSummaries!.find(
    (r) => r.LogicalResourceId === 'Fn',
  )!.PhysicalResourceId!;
  expect(described.Stacks![0].StackStatus).toMatch(/COMPLETE$/);
  return (await c.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: id }))).Environment?.Variables ?? {};
}

/** Everything CloudFormation says about a stack, as one text: where a secret must never appear. */
async function everythingShown(c: Clients, stack: string): Promise<string> {
  const parts = await Promise.all([
    c.cfn.send(new DescribeStacksCommand({ StackName: stack })),
    c.cfn.send(new DescribeStackEventsCommand({ StackName: stack })),
    c.cfn.send(new GetTemplateCommand({ StackName: stack })),
  ]);
  return JSON.stringify(parts.map(({ $metadata: _m, ...rest }) => rest));
}

describe('dynamic references', () => {
  let motos: MotoPair;
  const c = {} as Record<Flavour, Clients>;
  const secretArn = {} as Record<Flavour, string>;
  const firstVersion = {} as Record<Flavour, string>;
  const env = {} as Record<Flavour, Record<string, string>>;

  const template = (flavour: Flavour): Template => ({
    Resources: {
      Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST } },
      Fn: fn({
        ENDPOINT: '{{resolve:ssm:/app/endpoint}}',
        ENDPOINT_V1: '{{resolve:ssm:/app/endpoint:1}}',
        URL: 'https://{{resolve:ssm:/app/endpoint}}/api',
        DB_USER: '{{resolve:secretsmanager:app/db:SecretString:username}}',
        DB_PASS_BY_ARN: `{{resolve:secretsmanager:${secretArn[flavour]}:SecretString:password}}`,
        DB_PASS_PREVIOUS: '{{resolve:secretsmanager:app/db:SecretString:password:AWSPREVIOUS}}',
        DB_PASS_BY_VERSION: `{{resolve:secretsmanager:app/db:SecretString:password::${firstVersion[flavour]}}}`,
        WHOLE_SECRET: '{{resolve:secretsmanager:app/db}}',
      }),
    },
  });

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const config = clientConfig(motos[flavour].endpoint);
      const x = (c[flavour] = {
        cfn: new CloudFormationClient(config),
        lambda: new LambdaClient(config),
        ssm: new SSMClient(config),
        sm: new SecretsManagerClient(config),
      });
      await x.ssm.send(new PutParameterCommand({ Name: '/app/endpoint', Value: 'orders-v1.internal', Type: 'String' }));
      await x.ssm.send(new PutParameterCommand({ Name: '/app/endpoint', Value: 'orders-v2.internal', Type: 'String', Overwrite: true }));
      await x.ssm.send(new PutParameterCommand({ Name: '/db/password', Value: PASSWORD, Type: 'SecureString' }));
      const created = await x.sm.send(
        new CreateSecretCommand({ Name: 'app/db', SecretString: JSON.stringify({ username: 'app', password: 's3cret-v1' }) }),
      );
      secretArn[flavour] = created.ARN!;
      firstVersion[flavour] = created.VersionId!;
      await x.sm.send(
        new PutSecretValueCommand({ SecretId: 'app/db', SecretString: JSON.stringify({ username: 'app', password: 's3cret-v2' }) }),
      );
      await x.cfn.send(new CreateStackCommand({ StackName: 'refs', TemplateBody: JSON.stringify(template(flavour)) }));
      expect(await waitForStack(x.cfn, 'refs')).toBe('CREATE_COMPLETE');
      env[flavour] = await functionEnv(x, 'refs');
    }
  });

  afterAll(async () => {
    for (const x of Object.values(c)) for (const client of Object.values(x)) client.destroy();
    await motos?.stop();
  });

  test('stock moto hands the resources the literal reference text (patch still needed)', () => {
    expect(env.stock.ENDPOINT).toBe('{{resolve:ssm:/app/endpoint}}');
    expect(env.stock.DB_USER).toBe('{{resolve:secretsmanager:app/db:SecretString:username}}');
  });

  test('patched moto resolves ssm references: the latest version, a given version, inside a longer string', () => {
    expect(env.patched).toMatchObject({
      ENDPOINT: 'orders-v2.internal',
      ENDPOINT_V1: 'orders-v1.internal',
      URL: 'https://orders-v2.internal/api',
    });
  });

  test('patched moto resolves secretsmanager references by name and ARN, a JSON key, a version stage and a version id', () => {
    expect(env.patched).toMatchObject({
      DB_USER: 'app',
      DB_PASS_BY_ARN: 's3cret-v2',
      DB_PASS_PREVIOUS: 's3cret-v1',
      DB_PASS_BY_VERSION: 's3cret-v1',
      WHOLE_SECRET: JSON.stringify({ username: 'app', password: 's3cret-v2' }),
    });
  });

  test('the template, DescribeStacks and the events keep the reference text, never a value', async () => {
    const shown = await everythingShown(c.patched, 'refs');
    expect(shown).toContain('{{resolve:secretsmanager:app/db:SecretString:password:AWSPREVIOUS}}');
    for (const secret of [PASSWORD, 's3cret-v1', 's3cret-v2']) expect(shown).not.toContain(secret);
  });

  test('an update resolves the changed reference again', async () => {
    const x = c.patched;
    const next = cloneTemplate(template('patched'));
    (next.Resources.Fn.Properties!.Environment as { Variables: Record<string, string> }).Variables.ENDPOINT_V1 =
      '{{resolve:ssm:/app/endpoint:2}}';
    await x.cfn.send(new UpdateStackCommand({ StackName: 'refs', TemplateBody: JSON.stringify(next) }));
    expect(await waitForStack(x.cfn, 'refs')).toBe('UPDATE_COMPLETE');
    expect((await functionEnv(x, 'refs')).ENDPOINT_V1).toBe('orders-v2.internal');
  });

  describe('where AWS refuses', () => {
    const refusal = {} as Record<Flavour, Record<string, { name?: string; message?: string; status?: string }>>;

    beforeAll(async () => {
      const cases: Record<string, Template> = {
        secureInEnvironment: {
          Resources: {
            Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST } },
            Fn: fn({ PASSWORD: '{{resolve:ssm-secure:/db/password}}' }),
          },
        },
        missingParameter: {
          Resources: {
            Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST } },
            Fn: fn({ X: '{{resolve:ssm:/app/missing}}' }),
          },
        },
        missingSecret: {
          Resources: {
            Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST } },
            Fn: fn({ X: '{{resolve:secretsmanager:app/missing:SecretString:password}}' }),
          },
        },
      };
      for (const flavour of FLAVOURS) {
        refusal[flavour] = {};
        for (const [name, t] of Object.entries(cases)) {
          try {
            await c[flavour].cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(t) }));
            refusal[flavour][name] = { status: await waitForStack(c[flavour].cfn, name) };
          } catch (err) {
            refusal[flavour][name] = { name: (err as Error).name, message: (err as Error).message };
          }
        }
      }
    });

    test('stock moto deploys every one of them (patch still needed)', () => {
      expect(Object.values(refusal.stock).map((r) => r.status)).toEqual(['CREATE_COMPLETE', 'CREATE_COMPLETE', 'CREATE_COMPLETE']);
    });

    test('patched moto refuses ssm-secure outside the documented properties, naming the property', () => {
      expect(refusal.patched.secureInEnvironment).toEqual({
        name: 'ValidationError',
        message: 'SSM Secure reference is not supported in: [AWS::Lambda::Function/Properties/Environment/Variables/PASSWORD]',
      });
    });

    test('patched moto refuses an ssm reference to a parameter that does not exist', () => {
      expect(refusal.patched.missingParameter).toEqual({
        name: 'ValidationError',
        message: 'Unable to fetch parameters [/app/missing] from parameter store for this account.',
      });
    });

    test('patched moto fails the resource whose secret cannot be read, and rolls back', async () => {
      expect(refusal.patched.missingSecret).toEqual({ status: 'ROLLBACK_COMPLETE' });
      const failed = (await eventLines(c.patched.cfn, 'missingSecret')).find((l) => l.id === 'Fn' && l.status === 'CREATE_FAILED');
      expect(failed?.reason).toBe("Secrets Manager can't find the specified secret.");
    });
  });

  test('patched moto: a CreateStack refused for a reference leaves no stack behind', async () => {
    expect((await rejection(c.patched.cfn.send(new DescribeStacksCommand({ StackName: 'secureInEnvironment' })))).message).toMatch(
      /does not exist/,
    );
  });
});

describe('ssm-secure in a property that supports it', () => {
  let motos: MotoPair;
  const password = {} as Record<Flavour, unknown>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const config = clientConfig(motos[flavour].endpoint);
      const ssm = new SSMClient(config);
      const cfn = new CloudFormationClient(config);
      await ssm.send(new PutParameterCommand({ Name: '/db/password', Value: PASSWORD, Type: 'SecureString' }));
      const template: Template = {
        Resources: {
          Warehouse: {
            Type: 'AWS::Redshift::Cluster',
            Properties: {
              ClusterIdentifier: 'orders-warehouse',
              NodeType: 'dc2.large',
              ClusterType: 'single-node',
              DBName: 'orders',
              MasterUsername: 'app',
              MasterUserPassword: '{{resolve:ssm-secure:/db/password}}',
            },
          },
        },
      };
      await cfn.send(new CreateStackCommand({ StackName: 'warehouse', TemplateBody: JSON.stringify(template) }));
      expect(await waitForStack(cfn, 'warehouse')).toBe('CREATE_COMPLETE');
      // No Redshift API returns a master password; moto's own state dump shows what the cluster got.
      const state = (await (await fetch(`${motos[flavour].endpoint}/moto-api/data.json`)).json()) as {
        redshift: { Cluster: { logical_resource_id?: string; master_user_password: unknown }[] };
      };
      password[flavour] = state.redshift.Cluster.find((k) => k.logical_resource_id === 'Warehouse')?.master_user_password;
      const shown = JSON.stringify(await cfn.send(new GetTemplateCommand({ StackName: 'warehouse' })));
      expect(shown).toContain('{{resolve:ssm-secure:/db/password}}');
      expect(shown).not.toContain(PASSWORD);
      ssm.destroy();
      cfn.destroy();
    }
  });

  afterAll(async () => {
    await motos?.stop();
  });

  test('stock moto gives the cluster the reference text as its password (patch still needed)', () => {
    expect(password.stock).toBe('{{resolve:ssm-secure:/db/password}}');
  });

  test('patched moto gives the cluster the decrypted secure string (Redshift MasterUserPassword is on the list)', () => {
    expect(password.patched).toBe(PASSWORD);
  });
});
