/**
 * Learner-behaviour suite, written from the brief (README.md), scenario.json,
 * guide 004 and AWS documentation only, as an outside grader who has not read
 * the checker. One moto for the file, one lab per variant; each case applies a
 * learner's change with the SDK or the AWS CLI, asks the checker, then undoes
 * that change (the secrets and parameters it made deleted, the stack updated
 * back to the armed template, parameter and tags, the database's password and
 * the role's out-of-stack edits put back) and proves the lab is as armed. Only
 * a case whose change cannot be undone (the stack deleted and created again:
 * a new StackId) falls back to `reset`.
 */
import { parse as parseYaml } from 'yaml';
import { DescribeStacksCommand, GetTemplateCommand, UpdateStackCommand, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { DeleteParameterCommand, DescribeParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { RDSClient, ModifyDBInstanceCommand } from '@aws-sdk/client-rds';
import {
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { armedProof, awsCli, checkLab, deployLab, destroyLab, LabCtx, openLab, resetLab, startTestMoto, TestMoto } from './learner-harness';

jest.setTimeout(20 * 60_000);

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const PARAM = 'DbPassword';
type Tpl = { Parameters?: Record<string, any>; Resources: Record<string, any>; Outputs?: Record<string, any> };
type Stmt = Record<string, unknown>;

let moto: TestMoto;
beforeAll(async () => {
  moto = await startTestMoto();
}, 10 * 60_000);
afterAll(async () => {
  await moto?.stop();
});

/** What one case may create outside the stack, removed when the case ends. */
interface Made {
  secrets: string[];
  parameters: string[];
}

interface Case {
  readonly name: string;
  readonly expected: 'fixed' | 'not-fixed';
  /** For shortcuts: the criteria a grader expects to name the problem; empty means "any failing criterion". */
  readonly criteria?: string[];
  readonly apply: (k: Kit) => Promise<void>;
}

/** The learner's toolbox for one lab. */
class Kit {
  readonly made: Made = { secrets: [], parameters: [] };
  constructor(
    readonly ctx: LabCtx,
    readonly caseName: string,
  ) {}
  get sm(): SecretsManagerClient {
    return this.ctx.clients.client(SecretsManagerClient);
  }
  get ssm(): SSMClient {
    return this.ctx.clients.client(SSMClient);
  }
  get rds(): RDSClient {
    return this.ctx.clients.client(RDSClient);
  }
  /** A fresh strong password per case, so no case reuses another's value. */
  get newPassword(): string {
    return `Rot8ted_${this.caseName.replace(/[^a-z0-9]/gi, '')}_Q7x`;
  }
  async template(): Promise<Tpl> {
    const r = await this.ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: this.ctx.stackName }));
    return parseYaml(r.TemplateBody ?? '') as Tpl;
  }
  /** The exposed value, read where the review found it: the template's parameter default. */
  async leakedPassword(): Promise<string> {
    return String((await this.template()).Parameters?.[PARAM]?.Default);
  }
  logical(tpl: Tpl, type: string): string {
    const id = Object.keys(tpl.Resources).find((k) => tpl.Resources[k].Type === type);
    if (!id) throw new Error(`no ${type} in the template`);
    return id;
  }
  dbId(): string {
    return `${this.ctx.stackName}-orders-db`;
  }
  roleName(): string {
    return `${this.ctx.stackName}-orders-api`;
  }
  async createSecret(value: string, suffix = 'db'): Promise<{ name: string; arn: string }> {
    const name = `${this.ctx.stackName}/orders-${suffix}-${this.caseName}`;
    const r = await this.sm.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    this.made.secrets.push(r.ARN!);
    return { name, arn: r.ARN! };
  }
  async createParameter(value: string, type: 'SecureString' | 'String'): Promise<string> {
    const name = `/${this.ctx.stackName}/orders-db-password-${this.caseName}`;
    await this.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: type }));
    this.made.parameters.push(name);
    return name;
  }
  /** Did the case change the database's password (undo puts the exposed one back)? */
  rotated = false;
  async rotateDatabase(password: string): Promise<void> {
    this.rotated = true;
    await this.rds.send(
      new ModifyDBInstanceCommand({ DBInstanceIdentifier: this.dbId(), MasterUserPassword: password, ApplyImmediately: true }),
    );
  }
  /** `aws cloudformation update-stack` with an edited template, waiting for the update to end. */
  async updateStack(tpl: Tpl, opts: { parameters?: Record<string, string>; tags?: Record<string, string> } = {}): Promise<void> {
    const cfn = this.ctx.clients.cloudformation;
    const before = await this.stackTags();
    await cfn.send(
      new UpdateStackCommand({
        StackName: this.ctx.stackName,
        TemplateBody: JSON.stringify(tpl),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: Object.entries(opts.parameters ?? {}).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
        Tags: [...before, ...Object.entries(opts.tags ?? {}).map(([Key, Value]) => ({ Key, Value }))],
      }),
    );
    await this.waitStack(/UPDATE_COMPLETE$/);
  }
  async stackTags(): Promise<{ Key: string; Value: string }[]> {
    const r = await this.ctx.clients.cloudformation.send(new DescribeStacksCommand({ StackName: this.ctx.stackName }));
    return (r.Stacks?.[0]?.Tags ?? []).map((t) => ({ Key: t.Key!, Value: t.Value! }));
  }
  async waitStack(done: RegExp): Promise<void> {
    const cfn = this.ctx.clients.cloudformation;
    for (let i = 0; i < 600; i++) {
      const r = await cfn.send(new DescribeStacksCommand({ StackName: this.ctx.stackName }));
      const status = r.Stacks?.[0]?.StackStatus ?? '';
      if (!status.endsWith('IN_PROGRESS')) {
        if (!done.test(status)) throw new Error(`stack ${this.ctx.stackName} ended ${status}: ${r.Stacks?.[0]?.StackStatusReason ?? ''}`);
        return;
      }
      await new Promise((res) => setTimeout(res, 500));
    }
    throw new Error('stack update did not end');
  }
  /** Removes what the case created outside the stack (the learner's change undone). */
  async undo(): Promise<void> {
    for (const arn of this.made.secrets)
      await this.sm.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true })).catch(() => undefined);
    for (const name of this.made.parameters) await this.ssm.send(new DeleteParameterCommand({ Name: name })).catch(() => undefined);
  }
}

/** How the fixed template hands the password over. */
interface Fix {
  /** The DB's MasterUserPassword: a dynamic reference string or an intrinsic. */
  readonly dbPassword: unknown;
  /** The function's environment additions (DB_SECRET_ID or DB_PASSWORD_PARAMETER). */
  readonly env: Record<string, unknown>;
  /** Statements added to the function role's policy (none: the role keeps only its logs policy). */
  readonly statements: Stmt[];
  /** Keep DB_PASSWORD in the environment too. */
  readonly keepEnvPassword?: boolean;
  /** Extra edits to the template. */
  readonly edit?: (tpl: Tpl, k: Kit) => void;
}

/** The template edit every remedy shares: the literal parameter and every output built from it go, the DB and the function take the store. */
async function applyFix(
  k: Kit,
  fix: Fix,
  opts: { parameters?: Record<string, string>; tags?: Record<string, string> } = {},
): Promise<void> {
  const tpl = await k.template();
  delete tpl.Parameters?.[PARAM];
  if (tpl.Parameters && Object.keys(tpl.Parameters).length === 0) delete tpl.Parameters;
  for (const [id, out] of Object.entries(tpl.Outputs ?? {})) if (JSON.stringify(out).includes(`"${PARAM}"`)) delete tpl.Outputs![id];
  const db = tpl.Resources[k.logical(tpl, 'AWS::RDS::DBInstance')];
  db.Properties.MasterUserPassword = fix.dbPassword;
  const fn = tpl.Resources[k.logical(tpl, 'AWS::Lambda::Function')];
  const vars = fn.Properties.Environment.Variables;
  if (fix.keepEnvPassword) vars.DB_PASSWORD = k.newPassword;
  else delete vars.DB_PASSWORD;
  Object.assign(vars, fix.env);
  if (fix.statements.length > 0) {
    const role = tpl.Resources[k.logical(tpl, 'AWS::IAM::Role')];
    role.Properties.Policies = [
      ...(role.Properties.Policies ?? []),
      { PolicyName: 'DbPassword', PolicyDocument: { Version: '2012-10-17', Statement: fix.statements } },
    ];
  }
  fix.edit?.(tpl, k);
  await k.updateStack(tpl, opts);
}

const secretArnPattern = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-??????`;
const readSecret = (resource: unknown, extra: Stmt = {}): Stmt => ({
  Effect: 'Allow',
  Action: 'secretsmanager:GetSecretValue',
  Resource: resource,
  ...extra,
});
const resolveSecret = (id: string, key = ':SecretString:password') => `{{resolve:secretsmanager:${id}${key}}}`;

/** The textbook remedy: a new password in a JSON secret, the DB rotated to it, the stack and function referring to the secret by name. */
async function secretRemedy(
  k: Kit,
  over: Partial<Fix> & { secretValue?: string; rotate?: boolean } = {},
  opts = {},
): Promise<{ name: string; arn: string }> {
  const password = over.secretValue ?? k.newPassword;
  const secret = await k.createSecret(JSON.stringify({ username: 'orders_admin', password }));
  if (over.rotate ?? true) await k.rotateDatabase(password);
  await applyFix(
    k,
    {
      dbPassword: resolveSecret(secret.name),
      env: { DB_SECRET_ID: secret.name },
      statements: [readSecret(secretArnPattern(secret.name))],
      ...over,
    },
    opts,
  );
  return secret;
}

const CASES: Case[] = [
  // ---------------- valid remedies ----------------
  {
    // Brief goal + guide 004 pattern 2: password in Secrets Manager, read at run time, DB by {{resolve:secretsmanager}}; role scoped to the secret's name-?????? ARN (Secrets Manager docs, "ARN with random suffix").
    name: 'v-secret-json-by-name',
    expected: 'fixed',
    apply: async (k) => void (await secretRemedy(k)),
  },
  {
    // Class 5: DB_SECRET_ID and the dynamic reference by full ARN; the README says the app accepts a name or ARN, and CFN docs allow secret-id as name or ARN.
    name: 'v-secret-by-full-arn',
    expected: 'fixed',
    apply: async (k) => {
      const pw = k.newPassword;
      const s = await k.createSecret(JSON.stringify({ username: 'orders_admin', password: pw }));
      await k.rotateDatabase(pw);
      await applyFix(k, { dbPassword: resolveSecret(s.arn), env: { DB_SECRET_ID: s.arn }, statements: [readSecret(s.arn)] });
    },
  },
  {
    // Guide 004 pattern 1 / CFN dynamic references: ssm-secure is supported for AWS::RDS::DBInstance MasterUserPassword; the app reads DB_PASSWORD_PARAMETER with decryption (aws/ssm key needs no extra KMS grant).
    name: 'v-ssm-securestring',
    expected: 'fixed',
    apply: async (k) => {
      const pw = k.newPassword;
      const name = await k.createParameter(pw, 'SecureString');
      await k.rotateDatabase(pw);
      await applyFix(k, {
        dbPassword: `{{resolve:ssm-secure:${name}}}`,
        env: { DB_PASSWORD_PARAMETER: name },
        statements: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}` }],
      });
    },
  },
  {
    // README: a non-JSON secret is used whole; CFN's {{resolve:secretsmanager:id}} without a key returns the whole SecretString.
    name: 'v-secret-plain-string',
    expected: 'fixed',
    apply: async (k) => {
      const pw = k.newPassword;
      const s = await k.createSecret(pw);
      await k.rotateDatabase(pw);
      await applyFix(k, {
        dbPassword: `{{resolve:secretsmanager:${s.name}}}`,
        env: { DB_SECRET_ID: s.name },
        statements: [readSecret(secretArnPattern(s.name))],
      });
    },
  },
  {
    // Class 2: same account, a secret resource policy naming the role suffices (IAM docs "policy evaluation within a single account"; Secrets Manager "attach a permissions policy to a secret").
    name: 'v-resource-policy-grant-only',
    expected: 'fixed',
    apply: async (k) => {
      const s = await secretRemedy(k, { statements: [] });
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${k.roleName()}` },
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
          },
        ],
      };
      await k.sm.send(new PutResourcePolicyCommand({ SecretId: s.arn, ResourcePolicy: JSON.stringify(policy) }));
    },
  },
  {
    // Class 1: ABAC on the role's own tag; aws:PrincipalTag is set from the role's tags on every request (IAM global condition keys).
    name: 'v-principal-tag-condition',
    expected: 'fixed',
    apply: async (k) => {
      await secretRemedy(k, {
        statements: [
          readSecret(secretArnPattern(`${k.ctx.stackName}/orders-db-v-principal-tag-condition`), {
            Condition: { StringEquals: { 'aws:PrincipalTag/app': 'orders' } },
          }),
        ],
        edit: (tpl) => {
          const role = tpl.Resources[k.logical(tpl, 'AWS::IAM::Role')];
          role.Properties.Tags = [...(role.Properties.Tags ?? []), { Key: 'app', Value: 'orders' }];
        },
      });
      // As a learner would check (and fix if CloudFormation did not): the tag is on the role.
      await awsCli(k.ctx.target.endpoint!, ['iam', 'tag-role', '--role-name', k.roleName(), '--tags', 'Key=app,Value=orders']);
      const tags = await awsCli(k.ctx.target.endpoint!, ['iam', 'list-role-tags', '--role-name', k.roleName()]);
      expect(tags.Tags).toEqual(expect.arrayContaining([{ Key: 'app', Value: 'orders' }]));
    },
  },
  {
    // Class 1: aws:RequestedRegion and aws:PrincipalAccount are present on every request and always met by the function in us-east-1 of this account.
    name: 'v-region-and-account-condition',
    expected: 'fixed',
    apply: async (k) =>
      void (await secretRemedy(k, {
        statements: [
          readSecret(secretArnPattern(`${k.ctx.stackName}/orders-db-v-region-and-account-condition`), {
            Condition: { StringEquals: { 'aws:RequestedRegion': REGION, 'aws:PrincipalAccount': ACCOUNT } },
          }),
        ],
      })),
  },
  {
    // Class 1, service key: ABAC on the secret's own tag, secretsmanager:ResourceTag/<key> (Secrets Manager "limiting access to secrets with ... tags"). Not secretsmanager:VersionStage: Secrets Manager keys mirror request parameters, and the app sends none.
    name: 'v-secret-resource-tag-condition',
    expected: 'fixed',
    apply: async (k) => {
      const s = await secretRemedy(k, {
        statements: [
          readSecret(secretArnPattern(`${k.ctx.stackName}/orders-db-v-secret-resource-tag-condition`), {
            Condition: { StringEquals: { 'secretsmanager:ResourceTag/app': 'orders' } },
          }),
        ],
      });
      await k.sm.send(new TagResourceCommand({ SecretId: s.arn, Tags: [{ Key: 'app', Value: 'orders' }] }));
      const described = await awsCli(k.ctx.target.endpoint!, ['secretsmanager', 'describe-secret', '--secret-id', s.arn]);
      expect(described.Tags).toEqual(expect.arrayContaining([{ Key: 'app', Value: 'orders' }]));
    },
  },
  {
    // Class 1: aws:userid of a role session is "<RoleId>:<session>" (IAM global condition keys); Lambda's session is the function name.
    name: 'v-userid-condition',
    expected: 'fixed',
    apply: async (k) => {
      const role = await k.ctx.clients.iam.send(new GetRoleCommand({ RoleName: k.roleName() }));
      await secretRemedy(k, {
        statements: [
          readSecret(secretArnPattern(`${k.ctx.stackName}/orders-db-v-userid-condition`), {
            Condition: { StringLike: { 'aws:userid': `${role.Role!.RoleId}:*` } },
          }),
        ],
      });
    },
  },
  // ---------------- shortcuts ----------------
  {
    // Issue 15 / guide 004 Mistake 1: NoEcho alone leaves the value in the template's Default (CFN docs: NoEcho does not mask Default in GetTemplate); password not rotated either.
    name: 's-noecho-keeps-default',
    expected: 'not-fixed',
    criteria: ['password-not-in-stack-template', 'exposed-password-rotated'],
    apply: async (k) => {
      const tpl = await k.template();
      tpl.Parameters![PARAM].NoEcho = true;
      for (const [id, out] of Object.entries(tpl.Outputs ?? {})) if (JSON.stringify(out).includes(`"${PARAM}"`)) delete tpl.Outputs![id];
      await k.updateStack(tpl);
    },
  },
  {
    // Brief: "no longer readable anywhere AWS shows the stack": stack tags are shown by DescribeStacks.
    name: 's-new-password-in-stack-tag',
    expected: 'not-fixed',
    criteria: ['password-not-in-tags'],
    apply: async (k) => void (await secretRemedy(k, {}, { tags: { 'db-password': k.newPassword } })),
  },
  {
    // Brief: moved to another visible place: a new String parameter passed at update time shows in DescribeStacks Parameters.
    name: 's-new-password-in-other-parameter',
    expected: 'not-fixed',
    criteria: ['password-not-in-stack-parameters'],
    apply: async (k) => {
      const pw = k.newPassword;
      await k.rotateDatabase(pw);
      await applyFix(
        k,
        {
          dbPassword: { Ref: 'OrdersAdminPassword' },
          env: {},
          statements: [],
          edit: (tpl) => {
            tpl.Parameters = { OrdersAdminPassword: { Type: 'String' } };
            const fn = tpl.Resources[k.logical(tpl, 'AWS::Lambda::Function')];
            fn.Properties.Environment.Variables.DB_PASSWORD = { Ref: 'OrdersAdminPassword' };
          },
        },
        { parameters: { OrdersAdminPassword: pw } },
      );
    },
  },
  {
    // Brief: a literal in an output is shown by DescribeStacks and the template.
    name: 's-new-password-in-output',
    expected: 'not-fixed',
    criteria: ['password-not-in-stack-outputs'],
    apply: async (k) =>
      void (await secretRemedy(k, {
        edit: (tpl) => {
          tpl.Outputs = { ...(tpl.Outputs ?? {}), OrdersDbPassword: { Value: k.newPassword } };
        },
      })),
  },
  {
    // Brief: still in the function's environment (GetFunctionConfiguration) next to the secret id.
    name: 's-password-kept-in-environment',
    expected: 'not-fixed',
    criteria: ['password-not-in-function-environment'],
    apply: async (k) => void (await secretRemedy(k, { keepEnvPassword: true })),
  },
  {
    // Brief: "treat the password as compromised": the secret holds the leaked value and the DB keeps it.
    name: 's-hidden-but-not-rotated',
    expected: 'not-fixed',
    criteria: ['exposed-password-rotated'],
    apply: async (k) => void (await secretRemedy(k, { secretValue: await k.leakedPassword(), rotate: false })),
  },
  {
    // Brief/issue 15: "the function should not gain access to anything beyond what it needs": secretsmanager:* on *.
    name: 's-secretsmanager-star',
    expected: 'not-fixed',
    criteria: ['app-password-access-least-privilege'],
    apply: async (k) => void (await secretRemedy(k, { statements: [{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }] })),
  },
  {
    // Class 4: a wildcard prefix covers every present and future secret under the lab's prefix, not only this one.
    name: 's-secret-prefix-wildcard',
    expected: 'not-fixed',
    criteria: ['app-password-access-least-privilege'],
    apply: async (k) =>
      void (await secretRemedy(k, { statements: [readSecret(`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${k.ctx.stackName}/*`)] })),
  },
  {
    // Class 4: aws:SecureTransport is always true for SDK calls, so this is GetSecretValue on every secret.
    name: 's-any-secret-if-secure-transport',
    expected: 'not-fixed',
    criteria: ['app-password-access-least-privilege'],
    apply: async (k) =>
      void (await secretRemedy(k, { statements: [readSecret('*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })] })),
  },
  {
    // Class 4: aws:ResourceAccount = own account is met by every secret of the account.
    name: 's-any-secret-in-own-account',
    expected: 'not-fixed',
    criteria: ['app-password-access-least-privilege'],
    apply: async (k) =>
      void (await secretRemedy(k, { statements: [readSecret('*', { Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT } } })] })),
  },
  {
    // Class 4: NotResource with an unrelated ARN grants every other secret (IAM docs, NotResource).
    name: 's-notresource-every-other-secret',
    expected: 'not-fixed',
    criteria: ['app-password-access-least-privilege'],
    apply: async (k) =>
      void (await secretRemedy(k, {
        statements: [
          {
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            NotResource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:unrelated-??????`,
          },
        ],
      })),
  },
  {
    // Class 4: NotAction allows everything but IAM, secrets included (IAM docs, NotAction with Allow).
    name: 's-notaction-everything-but-iam',
    expected: 'not-fixed',
    criteria: ['app-password-access-least-privilege'],
    apply: async (k) => void (await secretRemedy(k, { statements: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] })),
  },
  {
    // Issue 15: the secret stored unencrypted as a String parameter (readable by ssm:GetParameter without decryption, shown in the console).
    name: 's-plaintext-ssm-string',
    expected: 'not-fixed',
    criteria: ['password-not-in-plaintext-ssm-parameter'],
    apply: async (k) => {
      const pw = k.newPassword;
      const name = await k.createParameter(pw, 'String');
      await k.rotateDatabase(pw);
      await applyFix(k, {
        dbPassword: `{{resolve:ssm:${name}}}`,
        env: { DB_PASSWORD_PARAMETER: name },
        statements: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}` }],
      });
    },
  },
  {
    // Brief: "the app must keep working": pointed at the secret but no grant on either side, GetSecretValue is denied.
    name: 's-secret-without-permission',
    expected: 'not-fixed',
    criteria: ['app-can-read-database-password'],
    apply: async (k) => void (await secretRemedy(k, { statements: [] })),
  },
  {
    // Class 1 (negative): the function runs outside any VPC, so aws:SourceVpce is absent and the StringEquals condition never matches (IAM docs: missing key → false).
    name: 's-grant-only-through-vpc-endpoint',
    expected: 'not-fixed',
    criteria: ['app-can-read-database-password'],
    apply: async (k) =>
      void (await secretRemedy(k, {
        statements: [
          readSecret(secretArnPattern(`${k.ctx.stackName}/orders-db-s-grant-only-through-vpc-endpoint`), {
            Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
          }),
        ],
      })),
  },
  {
    // Class 3: Lambda must assume the role; a trust policy for ecs-tasks.amazonaws.com makes the function fail (Lambda execution role docs).
    name: 's-role-trust-wrong-service',
    expected: 'not-fixed',
    criteria: ['app-can-read-database-password'],
    apply: async (k) => {
      await secretRemedy(k, {
        edit: (tpl) => {
          const role = tpl.Resources[k.logical(tpl, 'AWS::IAM::Role')];
          role.Properties.AssumeRolePolicyDocument.Statement[0].Principal = { Service: 'ecs-tasks.amazonaws.com' };
        },
      });
      const role = await awsCli(k.ctx.target.endpoint!, ['iam', 'get-role', '--role-name', k.roleName()]);
      const trust = JSON.stringify(role.Role.AssumeRolePolicyDocument);
      expect(trust).toContain('ecs-tasks.amazonaws.com');
      expect(trust).not.toContain('lambda.amazonaws.com');
    },
  },
  {
    // Class 2 over-grant: a secret policy with Principal "*" lets any principal read the password. No public criterion is about who else may read the secret; expect any failing criterion.
    name: 's-secret-policy-public',
    expected: 'not-fixed',
    criteria: [],
    apply: async (k) => {
      const s = await secretRemedy(k);
      const policy = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
      };
      await k.sm.send(new PutResourcePolicyCommand({ SecretId: s.arn, ResourcePolicy: JSON.stringify(policy) }));
      const stored = await awsCli(k.ctx.target.endpoint!, ['secretsmanager', 'get-resource-policy', '--secret-id', s.arn]);
      expect(stored.ResourcePolicy).toContain('"*"');
    },
  },
  {
    // Brief: "keep the stack (update it in place) and its database": delete and recreate gives a new StackId and a new DB. Done with the real aws CLI.
    name: 's-delete-and-recreate-stack',
    expected: 'not-fixed',
    criteria: ['stack-updated-in-place'],
    apply: async (k) => {
      const pw = k.newPassword;
      const s = await k.createSecret(JSON.stringify({ username: 'orders_admin', password: pw }));
      const tpl = await k.template();
      delete tpl.Parameters;
      for (const [id, out] of Object.entries(tpl.Outputs ?? {})) if (JSON.stringify(out).includes(`"${PARAM}"`)) delete tpl.Outputs![id];
      tpl.Resources[k.logical(tpl, 'AWS::RDS::DBInstance')].Properties.MasterUserPassword = resolveSecret(s.name);
      const vars = tpl.Resources[k.logical(tpl, 'AWS::Lambda::Function')].Properties.Environment.Variables;
      delete vars.DB_PASSWORD;
      vars.DB_SECRET_ID = s.name;
      const role = tpl.Resources[k.logical(tpl, 'AWS::IAM::Role')];
      role.Properties.Policies.push({
        PolicyName: 'DbPassword',
        PolicyDocument: { Version: '2012-10-17', Statement: [readSecret(secretArnPattern(s.name))] },
      });
      const tags = await k.stackTags();
      await awsCli(k.ctx.target.endpoint!, ['cloudformation', 'delete-stack', '--stack-name', k.ctx.stackName]);
      await awsCli(k.ctx.target.endpoint!, ['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', k.ctx.stackName]);
      await k.ctx.clients.cloudformation.send(
        new CreateStackCommand({
          StackName: k.ctx.stackName,
          TemplateBody: JSON.stringify(tpl),
          Capabilities: ['CAPABILITY_NAMED_IAM'],
          Tags: tags,
        }),
      );
      await k.waitStack(/CREATE_COMPLETE$/);
    },
  },
];

// ---------------- undoing a case ----------------

/** What a case may change, read as a learner would (describe and list calls); undo puts it back and compares. */
interface LabState {
  stackId: string;
  templateBody: string;
  parameters: { ParameterKey: string; ParameterValue: string }[];
  tags: { Key: string; Value: string }[];
  role: { tags: string[]; inline: string[]; attached: string[] };
  secrets: string[];
  parameterNames: string[];
}

async function labState(ctx: LabCtx): Promise<LabState> {
  const cfn = ctx.clients.cloudformation;
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: ctx.stackName }))).Stacks![0];
  const body = (await cfn.send(new GetTemplateCommand({ StackName: ctx.stackName }))).TemplateBody!;
  const iam = ctx.clients.iam;
  const RoleName = `${ctx.stackName}-orders-api`;
  const secrets = (await ctx.clients.client(SecretsManagerClient).send(new ListSecretsCommand({}))).SecretList ?? [];
  const parameters = (await ctx.clients.client(SSMClient).send(new DescribeParametersCommand({}))).Parameters ?? [];
  return {
    stackId: stack.StackId!,
    templateBody: body,
    // As AWS lists them: only the parameters the current template declares (moto also keeps ones a template dropped).
    parameters: (stack.Parameters ?? [])
      .filter((p) => p.ParameterKey! in ((parseYaml(body) as Tpl).Parameters ?? {}))
      .map((p) => ({ ParameterKey: p.ParameterKey!, ParameterValue: p.ParameterValue! })),
    tags: (stack.Tags ?? []).map((t) => ({ Key: t.Key!, Value: t.Value! })),
    role: {
      tags: ((await iam.send(new ListRoleTagsCommand({ RoleName }))).Tags ?? []).map((t) => `${t.Key}=${t.Value}`).sort(),
      inline: ((await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? []).sort(),
      attached: ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))).AttachedPolicies ?? [])
        .map((a) => a.PolicyArn!)
        .sort(),
    },
    secrets: secrets.map((x) => x.Name!).sort(),
    parameterNames: parameters.map((x) => x.Name!).sort(),
  };
}

/**
 * Undoes a case on the lab it ran in: what it made outside the stack goes, the stack is updated back to the
 * armed template, parameter and tags, the database takes the exposed password again, and the role loses what
 * was put on it outside the template. Proves the lab's state equals the armed one and breakfix's armed proof
 * holds. A stack deleted and created again cannot be undone (its StackId is new): that case is reset instead.
 * Returns the armed state to compare the next case with.
 */
async function undoCase(k: Kit, armed: LabState): Promise<LabState> {
  const { ctx } = k;
  await k.undo();
  const now = await labState(ctx);
  if (now.stackId !== armed.stackId) {
    await resetLab(ctx);
    expect(await armedProof(ctx)).toEqual(expect.objectContaining({ armed: true }));
    return labState(ctx);
  }
  // The value the review found: the template's parameter default, passed again as the armed lab had it.
  const leaked = String((parseYaml(armed.templateBody) as Tpl).Parameters![PARAM].Default);
  if (now.templateBody !== armed.templateBody || JSON.stringify(now.tags) !== JSON.stringify(armed.tags)) {
    await ctx.clients.cloudformation.send(
      new UpdateStackCommand({
        StackName: ctx.stackName,
        TemplateBody: armed.templateBody,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [{ ParameterKey: PARAM, ParameterValue: leaked }],
        Tags: armed.tags,
      }),
    );
    await k.waitStack(/UPDATE_COMPLETE$/);
  }
  if (k.rotated) await k.rotateDatabase(leaked);
  const iam = ctx.clients.iam;
  const RoleName = k.roleName();
  const role = (await labState(ctx)).role;
  const extraTags = role.tags.filter((t) => !armed.role.tags.includes(t)).map((t) => t.split('=')[0]);
  if (extraTags.length) await iam.send(new UntagRoleCommand({ RoleName, TagKeys: extraTags }));
  for (const name of role.inline.filter((n) => !armed.role.inline.includes(n)))
    await iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: name }));
  for (const arn of role.attached.filter((a) => !armed.role.attached.includes(a)))
    await iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: arn }));
  expect(await labState(ctx)).toEqual(armed);
  expect(await armedProof(ctx)).toEqual(expect.objectContaining({ armed: true }));
  return armed;
}

const VARIANTS = ['plain-parameter', 'noecho-default'] as const;

describe.each(VARIANTS.map((v, i) => [v, i] as const))('variant %s', (variant, vi) => {
  let ctx: LabCtx;
  let armed: LabState;
  beforeAll(async () => {
    ctx = openLab(moto.endpoint, `g0${vi + 1}`, variant);
    await deployLab(ctx);
    armed = await labState(ctx);
  }, 10 * 60_000);
  afterAll(() => ctx?.clients.destroy());

  it('is armed: the checker says not-fixed after deploy', async () => {
    expect((await checkLab(ctx)).verdict).toBe('not-fixed');
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const k = new Kit(ctx, c.name);
    try {
      await c.apply(k);
      const r = await checkLab(ctx);
      expect({ verdict: r.verdict, messages: r.messages }).toEqual(expect.objectContaining({ verdict: c.expected }));
      if (c.expected === 'not-fixed' && c.criteria?.length) expect(r.failing).toEqual(expect.arrayContaining(c.criteria));
    } finally {
      armed = await undoCase(k, armed);
    }
  });

  it('reset re-arms after a valid remedy, and after a messy shortcut', async () => {
    const good = new Kit(ctx, 'reset-after-valid');
    await secretRemedy(good);
    await resetLab(ctx);
    expect((await checkLab(ctx)).verdict).toBe('not-fixed');
    await good.undo();
    const messy = new Kit(ctx, 'reset-after-messy');
    // Messy: secret exposed by a public policy, a plaintext parameter left behind, a tag with the password, the role over-granted.
    const s = await secretRemedy(
      messy,
      { statements: [{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }] },
      { tags: { pw: messy.newPassword } },
    );
    await messy.createParameter(messy.newPassword, 'String');
    await messy.sm.send(
      new PutResourcePolicyCommand({
        SecretId: s.arn,
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
        }),
      }),
    );
    await resetLab(ctx);
    expect((await checkLab(ctx)).verdict).toBe('not-fixed');
    await messy.undo();
  });

  it('destroy leaves nothing of the lab', async () => {
    const k = new Kit(ctx, 'destroy-after-fix');
    const s = await secretRemedy(k);
    const before = await awsCli(moto.endpoint, ['secretsmanager', 'list-secrets']);
    expect(JSON.stringify(before)).toContain(s.name);
    const r = await destroyLab(ctx);
    expect(r.leftovers).toEqual([]);
    const stacks = await awsCli(moto.endpoint, [
      'cloudformation',
      'list-stacks',
      '--stack-status-filter',
      'CREATE_COMPLETE',
      'UPDATE_COMPLETE',
    ]);
    expect(JSON.stringify(stacks)).not.toContain(ctx.stackName);
    const dbs = await awsCli(moto.endpoint, ['rds', 'describe-db-instances']);
    expect(JSON.stringify(dbs)).not.toContain(k.dbId());
    const fns = await awsCli(moto.endpoint, ['lambda', 'list-functions']);
    expect(JSON.stringify(fns)).not.toContain(ctx.stackName);
    const secrets = await awsCli(moto.endpoint, ['secretsmanager', 'list-secrets']);
    expect(JSON.stringify(secrets)).not.toContain(s.name);
    const roles = await awsCli(moto.endpoint, ['iam', 'list-roles']);
    expect(JSON.stringify(roles)).not.toContain(k.roleName());
  });
});
