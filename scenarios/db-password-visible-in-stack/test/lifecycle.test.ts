/**
 * Lifecycle on moto: whatever a learner did, `reset` re-arms the lab and
 * `destroy` leaves the region's listing as it was before the lab. One moto,
 * one lab; seeded random sequences (fast-check's model-based commands, the
 * shared runner of test/support/lifecycle.ts) of learner actions made with
 * the SDK: stack updates with edited templates, secrets created, given new
 * values, tagged, shared and deleted, Lambda, RDS, IAM and Parameter Store
 * edits (the shared role actions among them), and the stack deleted.
 */
import { DeleteStackCommand, DescribeStacksCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { PutRolePolicyCommand, TagRoleCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { LambdaClient, TagResourceCommand as TagFunctionCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { AddTagsToResourceCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { useLab } from '../../../test/support/lab';
import { deleteStackAction, labAction, roleActions, type SharedModel, sharedInitial } from '../../../test/support/learner-actions';
import {
  expectEverySequenceResets,
  expectResetRearms,
  expectSequenceThenDestroyLeavesRegionAsBefore,
  learnerAction,
  lifecycleSeed,
} from '../../../test/support/lifecycle';
import scenario from '..';
import { EXPOSED_PASSWORD, PASSWORD_PARAMETER, VARIANTS } from '../lab';
import { byReference, currentTemplate, type TemplateJson } from './helpers';

const ACCOUNT = '123456789012';
const NEW_PASSWORD = 'Lc9-lifecycle-orders-pw';
const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const lab = useLab(scenario, { learner: 'lc', variant: VARIANTS.plain });

const names = (ctx: ScenarioContext) => ({
  db: `${ctx.stackName}-orders-db`,
  fn: `${ctx.stackName}-orders-api`,
  role: `${ctx.stackName}-orders-api`,
  secret: `${ctx.stackName}/lifecycle`,
});

/** What the sequence has done so far, for the actions that need something first. */
interface Model extends SharedModel {
  secret?: string;
}
const initial = (): Model => ({ ...sharedInitial() });
const action = labAction<Model>;
/** An action that needs no lab resource (valid after delete-stack too). */
const always = learnerAction<Model>;

async function settle(ctx: ScenarioContext): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const out = await ctx.clients.cloudformation.send(new DescribeStacksCommand({ StackName: ctx.stackName }));
    if (!(out.Stacks?.[0]?.StackStatus ?? '').endsWith('IN_PROGRESS')) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`stack ${ctx.stackName} did not settle`);
}

/** The stack gone (DescribeStacks answers that it does not exist) or DELETE_FAILED. */
async function settleGone(ctx: ScenarioContext): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const out = await ctx.clients.cloudformation.send(new DescribeStacksCommand({ StackName: ctx.stackName })).catch(() => undefined);
    const status = out?.Stacks?.[0]?.StackStatus;
    if (!status || status === 'DELETE_COMPLETE' || status === 'DELETE_FAILED') return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`stack ${ctx.stackName} was not deleted`);
}

/** `aws cloudformation update-stack` with an edited template; CloudFormation's "No updates" is an answer, not a failure. */
async function update(ctx: ScenarioContext, edit: (t: TemplateJson) => TemplateJson, extra: object = {}): Promise<void> {
  const template = edit(await currentTemplate(ctx));
  try {
    await ctx.clients.cloudformation.send(
      new UpdateStackCommand({
        StackName: ctx.stackName,
        TemplateBody: JSON.stringify(template),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        ...extra,
      }),
    );
  } catch (e) {
    if (/No updates are to be performed/i.test((e as Error).message)) return;
    throw e;
  }
  await settle(ctx);
}

/** The stack's tags with one more (UpdateStack replaces the whole set, so a learner passes the old ones too). */
async function tagsWith(ctx: ScenarioContext, Key: string, Value: string): Promise<{ Key: string; Value: string }[]> {
  const stack = (await ctx.clients.cloudformation.send(new DescribeStacksCommand({ StackName: ctx.stackName }))).Stacks![0];
  return [...(stack.Tags ?? []).map((t) => ({ Key: t.Key!, Value: t.Value! })), { Key, Value }];
}

async function ensureSecret(m: Model, ctx: ScenarioContext): Promise<string> {
  if (m.secret) return m.secret;
  const out = await ctx.clients
    .client(SecretsManagerClient)
    .send(new CreateSecretCommand({ Name: names(ctx).secret, SecretString: JSON.stringify({ password: NEW_PASSWORD }) }));
  m.secret = out.ARN!;
  return m.secret;
}

const catalogue = () => [
  action('update-stack: NoEcho added to the password parameter', async (_m, ctx) =>
    update(ctx, (t) => {
      if (t.Parameters?.[PASSWORD_PARAMETER]) t.Parameters[PASSWORD_PARAMETER].NoEcho = true;
      return t;
    }),
  ),
  action('create-secret + update-stack: the database and the function take the secret by reference', async (m, ctx) => {
    const arn = await ensureSecret(m, ctx);
    await update(ctx, (t) =>
      t.Parameters?.[PASSWORD_PARAMETER]
        ? byReference(t, {
            passwordProperty: `{{resolve:secretsmanager:${arn}:SecretString:password}}`,
            env: { DB_SECRET_ID: arn },
            policy: JSON.parse(doc([{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: arn }])),
          })
        : t,
    );
  }),
  action('update-stack: a stack tag holding the password', async (_m, ctx) =>
    update(ctx, (t) => t, { Tags: await tagsWith(ctx, 'db-password', EXPOSED_PASSWORD) }),
  ),
  action('update-stack: an output holding a new password', async (_m, ctx) =>
    update(ctx, (t) => ({ ...t, Outputs: { ...(t.Outputs ?? {}), LeakedPassword: { Value: NEW_PASSWORD } } })),
  ),
  always('create-secret (unreferenced, tagged at creation)', async (m, ctx) => void (await ensureSecret(m, ctx))),
  always('put-secret-value: a new version (rotated by hand)', async (m, ctx) => {
    const arn = await ensureSecret(m, ctx);
    await ctx.clients
      .client(SecretsManagerClient)
      .send(new PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify({ password: `${NEW_PASSWORD}-2` }) }));
  }),
  always('tag-resource on the secret', async (m, ctx) => {
    const arn = await ensureSecret(m, ctx);
    await ctx.clients.client(SecretsManagerClient).send(new TagResourceCommand({ SecretId: arn, Tags: [{ Key: 'app', Value: 'orders' }] }));
  }),
  always('put-resource-policy: the secret public', async (m, ctx) => {
    const arn = await ensureSecret(m, ctx);
    await ctx.clients.client(SecretsManagerClient).send(
      new PutResourcePolicyCommand({
        SecretId: arn,
        ResourcePolicy: doc([{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }]),
      }),
    );
  }),
  action(
    'delete-secret --force-delete-without-recovery',
    async (m, ctx) => {
      await ctx.clients
        .client(SecretsManagerClient)
        .send(new DeleteSecretCommand({ SecretId: m.secret!, ForceDeleteWithoutRecovery: true }));
      m.secret = undefined;
    },
    (m) => m.secret !== undefined,
  ),
  action('lambda update-function-configuration: DB_PASSWORD replaced by DB_SECRET_ID', async (m, ctx) => {
    const arn = await ensureSecret(m, ctx);
    await ctx.clients.client(LambdaClient).send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: names(ctx).fn,
        Environment: { Variables: { DB_SECRET_ID: arn, DB_NAME: 'orders' } },
      }),
    );
  }),
  action(
    'lambda tag-resource',
    async (_m, ctx) =>
      void (await ctx.clients
        .client(LambdaClient)
        .send(
          new TagFunctionCommand({ Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${names(ctx).fn}`, Tags: { owner: 'learner' } }),
        )),
  ),
  action(
    'rds modify-db-instance --master-user-password',
    async (_m, ctx) =>
      void (await ctx.clients
        .client(RDSClient)
        .send(
          new ModifyDBInstanceCommand({ DBInstanceIdentifier: names(ctx).db, MasterUserPassword: NEW_PASSWORD, ApplyImmediately: true }),
        )),
  ),
  action(
    'rds add-tags-to-resource',
    async (_m, ctx) =>
      void (await ctx.clients.client(RDSClient).send(
        new AddTagsToResourceCommand({
          ResourceName: `arn:aws:rds:us-east-1:${ACCOUNT}:db:${names(ctx).db}`,
          Tags: [{ Key: 'pw', Value: NEW_PASSWORD }],
        }),
      )),
  ),
  always(
    'ssm put-parameter String (the password unencrypted)',
    async (_m, ctx) =>
      void (await ctx.clients
        .client(SSMClient)
        .send(new PutParameterCommand({ Name: `/${ctx.stackName}/plain-password`, Type: 'String', Value: NEW_PASSWORD, Overwrite: true }))),
  ),
  always(
    'ssm put-parameter SecureString',
    async (_m, ctx) =>
      void (await ctx.clients.client(SSMClient).send(
        new PutParameterCommand({
          Name: `/${ctx.stackName}/secure-password`,
          Type: 'SecureString',
          Value: NEW_PASSWORD,
          Overwrite: true,
        }),
      )),
  ),
  action(
    'iam put-role-policy: secretsmanager:* on the function role',
    async (_m, ctx) =>
      void (await ctx.clients.iam.send(
        new PutRolePolicyCommand({
          RoleName: names(ctx).role,
          PolicyName: 'AllSecrets',
          PolicyDocument: doc([{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }]),
        }),
      )),
  ),
  action(
    'iam update-assume-role-policy: ecs-tasks instead of Lambda',
    async (_m, ctx) =>
      void (await ctx.clients.iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: names(ctx).role,
          PolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
        }),
      )),
  ),
  action(
    'iam tag-role',
    async (_m, ctx) =>
      void (await ctx.clients.iam.send(new TagRoleCommand({ RoleName: names(ctx).role, Tags: [{ Key: 'app', Value: 'orders' }] }))),
  ),
  ...roleActions<Model>('function role', async (ctx) => names(ctx).role),
  deleteStackAction<Model>(),
];

describe('model-based: random learner sequences', () => {
  const options = { scenario, ctx: () => lab.ctx, catalogue, initial, seed: lifecycleSeed(915150), runs: 2, maxActions: 5 };
  test('after every sequence of the catalogue, reset re-arms', () => expectEverySequenceResets(options), 20 * 60_000);
  test(
    'after a sequence that starts with the fix (a secret by reference) and secretsmanager:* on the role, destroy leaves the region as it was',
    () => expectSequenceThenDestroyLeavesRegionAsBefore({ ...options, prefix: fixThenOverGrant }),
    20 * 60_000,
  );
});

describe('reset re-arms after', () => {
  test('the stack deleted by the learner with a secret and a plain parameter left behind', async () => {
    const m = initial();
    await ensureSecret(m, lab.ctx);
    await lab.ctx.clients
      .client(SSMClient)
      .send(
        new PutParameterCommand({ Name: `/${lab.ctx.stackName}/plain-password`, Type: 'String', Value: NEW_PASSWORD, Overwrite: true }),
      );
    await lab.ctx.clients.cloudformation.send(new DeleteStackCommand({ StackName: lab.ctx.stackName }));
    await settleGone(lab.ctx);
    await expectResetRearms(scenario, lab.ctx);
  });
});

/** The remedy, then an over-grant on top: the prefix of the destroy sequence. */
async function fixThenOverGrant(m: Model, ctx: ScenarioContext): Promise<void> {
  const arn = await ensureSecret(m, ctx);
  await update(ctx, (t) =>
    byReference(t, { passwordProperty: `{{resolve:secretsmanager:${arn}:SecretString:password}}`, env: { DB_SECRET_ID: arn } }),
  );
  await ctx.clients.iam.send(
    new PutRolePolicyCommand({
      RoleName: names(ctx).role,
      PolicyName: 'AllSecrets',
      PolicyDocument: doc([{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }]),
    }),
  );
}
