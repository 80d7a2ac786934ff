/**
 * patch_secretsmanager_secret_cfn: AWS::SecretsManager::Secret is a real
 * CloudFormation resource: the stack creates the secret (generating its
 * password), Ref is its ARN, a dynamic reference to it resolves, updates keep
 * the secret unless Name changes, and the stack deletes it without a recovery
 * window.
 *
 * AWS sources: "AWS::SecretsManager::Secret", "AWS::SecretsManager::Secret
 * GenerateSecretString" (CloudFormation Template Reference), "GetRandomPassword",
 * "PutSecretValue" (AWS Secrets Manager API Reference), "DeletionPolicy
 * attribute" (CloudFormation User Guide).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  SecretListEntry,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  clientConfig,
  cloneTemplate,
  createStack,
  deleteStack,
  Flavour,
  FLAVOURS,
  MotoPair,
  physicalIds,
  startMotoPair,
  Template,
  updateStack,
} from './cfn-harness';

const STACK = 'fidelity-secret';

const SECRET_ONLY: Template = {
  Resources: {
    DbSecret: {
      Type: 'AWS::SecretsManager::Secret',
      Properties: {
        Description: 'orders database',
        GenerateSecretString: {
          SecretStringTemplate: JSON.stringify({ username: 'orders_admin' }),
          GenerateStringKey: 'password',
          ExcludePunctuation: true,
          PasswordLength: 24,
        },
        Tags: [{ Key: 'team', Value: 'orders' }],
      },
    },
  },
};

/** The secret, a parameter that reads its password through a dynamic reference, and the secret's Ref and Id as outputs. */
const TEMPLATE: Template & { Outputs: Record<string, unknown> } = {
  Resources: {
    ...cloneTemplate(SECRET_ONLY).Resources,
    PasswordCopy: {
      Type: 'AWS::SSM::Parameter',
      Properties: {
        Name: '/fidelity/password-copy',
        Type: 'String',
        Value: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'DbSecret' }, ':SecretString:password}}']] },
      },
    },
  },
  Outputs: { Ref: { Value: { Ref: 'DbSecret' } }, Id: { Value: { 'Fn::GetAtt': ['DbSecret', 'Id'] } } },
};

function variant(edit: (secret: Record<string, unknown>) => void): Template {
  const t = cloneTemplate(TEMPLATE);
  edit(t.Resources.DbSecret.Properties!);
  return t;
}
const DESCRIBED = variant((p) => {
  p.Description = 'orders database (rotated by hand)';
  p.Tags = [{ Key: 'owner', Value: 'dba' }];
});
const LONGER = variant((p) => {
  p.Description = 'orders database (rotated by hand)';
  p.Tags = [{ Key: 'owner', Value: 'dba' }];
  (p.GenerateSecretString as Record<string, unknown>).PasswordLength = 30;
});
const RENAMED = variant((p) => {
  p.Name = 'orders/db';
});

interface Clients {
  cfn: CloudFormationClient;
  sm: SecretsManagerClient;
  ssm: SSMClient;
}

async function secrets(c: Clients): Promise<SecretListEntry[]> {
  return (await c.sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList ?? [];
}

async function value(c: Clients, arn: string): Promise<{ username?: string; password?: string }> {
  return JSON.parse((await c.sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? '{}') as {
    username?: string;
    password?: string;
  };
}

async function versionStages(c: Clients, arn: string): Promise<string[][]> {
  const versions = (await c.sm.send(new ListSecretVersionIdsCommand({ SecretId: arn }))).Versions ?? [];
  return versions.map((v) => [...(v.VersionStages ?? [])].sort()).sort();
}

describe('AWS::SecretsManager::Secret via CloudFormation', () => {
  let motos: MotoPair;
  const c = {} as Record<Flavour, Clients>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const config = clientConfig(motos[flavour].endpoint);
      c[flavour] = { cfn: new CloudFormationClient(config), sm: new SecretsManagerClient(config), ssm: new SSMClient(config) };
    }
  });

  afterAll(async () => {
    for (const x of Object.values(c)) for (const client of Object.values(x)) client.destroy();
    await motos?.stop();
  });

  test('stock moto reports CREATE_COMPLETE without creating the secret (patch still needed)', async () => {
    expect((await createStack(c.stock.cfn, STACK, SECRET_ONLY)).status).toBe('CREATE_COMPLETE');
    expect(await secrets(c.stock)).toEqual([]);
    expect(Object.keys(await physicalIds(c.stock.cfn, STACK))).not.toContain('DbSecret');
  });

  describe('patched moto', () => {
    let arn: string;
    let first: { username?: string; password?: string };

    beforeAll(async () => {
      expect((await createStack(c.patched.cfn, STACK, TEMPLATE)).status).toBe('CREATE_COMPLETE');
    });

    test('creates the secret under a generated name, with its description and tags; Ref and Fn::GetAtt Id are the ARN', async () => {
      const listed = await secrets(c.patched);
      expect(listed).toHaveLength(1);
      arn = listed[0].ARN!;
      expect(listed[0].Name).toMatch(/^DbSecret-[A-Za-z0-9]{12}$/);
      expect(listed[0].Description).toBe('orders database');
      expect(listed[0].Tags).toEqual([{ Key: 'team', Value: 'orders' }]);
      expect((await physicalIds(c.patched.cfn, STACK)).DbSecret).toBe(arn);
      const outputs = (await c.patched.cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0].Outputs ?? [];
      expect(Object.fromEntries(outputs.map((o) => [o.OutputKey, o.OutputValue]))).toEqual({ Ref: arn, Id: arn });
    });

    test('generates the password into the template under GenerateStringKey, of the requested length and character classes', async () => {
      first = await value(c.patched, arn);
      expect(Object.keys(first).sort()).toEqual(['password', 'username']);
      expect(first.username).toBe('orders_admin');
      // ExcludePunctuation; RequireEachIncludedType (default true): an upper, a lower and a digit.
      expect(first.password).toMatch(/^[A-Za-z0-9]{24}$/);
      expect(first.password).toMatch(/[A-Z]/);
      expect(first.password).toMatch(/[a-z]/);
      expect(first.password).toMatch(/[0-9]/);
    });

    test('a {{resolve:secretsmanager:<Ref>:SecretString:password}} in another resource resolves to the generated password', async () => {
      const copy = (await c.patched.ssm.send(new GetParameterCommand({ Name: '/fidelity/password-copy' }))).Parameter!.Value;
      expect(copy).toBe(first.password);
    });

    test('a Description and Tags change updates the same secret and leaves its value alone', async () => {
      expect(await updateStack(c.patched.cfn, STACK, DESCRIBED)).toBe('UPDATE_COMPLETE');
      const listed = await secrets(c.patched);
      expect(listed.map((s) => [s.ARN, s.Description, s.Tags])).toEqual([
        [arn, 'orders database (rotated by hand)', [{ Key: 'owner', Value: 'dba' }]],
      ]);
      expect(await value(c.patched, arn)).toEqual(first);
      expect(await versionStages(c.patched, arn)).toEqual([['AWSCURRENT']]);
    });

    test('a GenerateSecretString change writes a new version of the same secret', async () => {
      expect(await updateStack(c.patched.cfn, STACK, LONGER)).toBe('UPDATE_COMPLETE');
      expect((await secrets(c.patched)).map((s) => s.ARN)).toEqual([arn]);
      const next = await value(c.patched, arn);
      expect(next.username).toBe('orders_admin');
      expect(next.password).toMatch(/^[A-Za-z0-9]{30}$/);
      expect(await versionStages(c.patched, arn)).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
    });

    test('a Name change replaces the secret: the named one exists, the old one is gone', async () => {
      expect(await updateStack(c.patched.cfn, STACK, RENAMED)).toBe('UPDATE_COMPLETE');
      const listed = await secrets(c.patched);
      expect(listed.map((s) => s.Name)).toEqual(['orders/db']);
      expect(listed[0].ARN).not.toBe(arn);
      expect((await physicalIds(c.patched.cfn, STACK)).DbSecret).toBe(listed[0].ARN);
    });

    test('DeleteStack deletes the secret without a recovery window', async () => {
      await deleteStack(c.patched.cfn, STACK);
      expect(await secrets(c.patched)).toEqual([]);
    });

    test('GenerateStringKey without SecretStringTemplate fails the resource and rolls the stack back', async () => {
      const broken = cloneTemplate(SECRET_ONLY);
      delete (broken.Resources.DbSecret.Properties!.GenerateSecretString as Record<string, unknown>).SecretStringTemplate;
      expect((await createStack(c.patched.cfn, 'fidelity-secret-broken', broken)).status).toBe('ROLLBACK_COMPLETE');
      expect(await secrets(c.patched)).toEqual([]);
    });
  });
});
