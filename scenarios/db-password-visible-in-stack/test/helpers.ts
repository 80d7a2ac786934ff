/**
 * What the scenario's own end-to-end tests do as a learner would: read the
 * deployed template, edit it, update the same stack in place; and put the
 * lab back between cases by redeploying the original stack and removing
 * what the fix created.
 */
import { GetTemplateCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DeleteParameterCommand, DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ScenarioContext, ScenarioDefinition } from '../../../lib/scenario/types';
import { cdkDeploy } from '../../../test/support/lab';
import { putExposedPasswordBack } from '../arm';
import { sweepLearnerResources } from '../cleanup';
import { parseTemplate } from '../gather';
import { labRecordName, PASSWORD_PARAMETER } from '../lab';

export type TemplateJson = any;

export async function currentTemplate(ctx: ScenarioContext): Promise<TemplateJson> {
  const out = await ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: ctx.stackName, TemplateStage: 'Original' }));
  // The CDK toolkit submits YAML; a learner's edit below goes back as JSON, which CloudFormation takes as well.
  return JSON.parse(JSON.stringify(parseTemplate(out.TemplateBody!)));
}

export function logicalIdOf(t: TemplateJson, type: string): string {
  return Object.keys(t.Resources).find((k) => t.Resources[k].Type === type)!;
}

/** The edit every remedy makes: no password parameter or output from it; the database and the app take the password from `store`. */
export function byReference(
  t: TemplateJson,
  opts: { passwordProperty: unknown; env: Record<string, string>; policy?: object },
): TemplateJson {
  const next = JSON.parse(JSON.stringify(t));
  delete next.Parameters[PASSWORD_PARAMETER];
  if (Object.keys(next.Parameters).length === 0) delete next.Parameters;
  for (const [k, o] of Object.entries(next.Outputs ?? {}))
    if (JSON.stringify(o).includes(`"Ref":"${PASSWORD_PARAMETER}"`)) delete next.Outputs[k];
  next.Resources[logicalIdOf(next, 'AWS::RDS::DBInstance')].Properties.MasterUserPassword = opts.passwordProperty;
  const fn = next.Resources[logicalIdOf(next, 'AWS::Lambda::Function')].Properties;
  delete fn.Environment.Variables.DB_PASSWORD;
  Object.assign(fn.Environment.Variables, opts.env);
  if (opts.policy)
    next.Resources[logicalIdOf(next, 'AWS::IAM::Role')].Properties.Policies.push({
      PolicyName: 'ReadDbPassword',
      PolicyDocument: opts.policy,
    });
  return next;
}

export async function updateStack(
  ctx: ScenarioContext,
  template: TemplateJson,
  extra: Partial<ConstructorParameters<typeof UpdateStackCommand>[0]> = {},
): Promise<void> {
  await ctx.clients.cloudformation.send(
    new UpdateStackCommand({
      StackName: ctx.stackName,
      TemplateBody: JSON.stringify(template),
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      ...extra,
    }),
  );
}

export async function createSecret(ctx: ScenarioContext, name: string, secretString: string): Promise<string> {
  const out = await ctx.clients.client(SecretsManagerClient).send(new CreateSecretCommand({ Name: name, SecretString: secretString }));
  return out.ARN!;
}

/** Back to the armed lab without a new stack: the fix's secrets and parameters removed, the original stack redeployed in place. */
export async function restore(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<void> {
  await sweepLearnerResources(ctx);
  const ssm = ctx.clients.client(SSMClient);
  const params = (await ssm.send(new DescribeParametersCommand({}))).Parameters ?? [];
  for (const p of params) if (p.Name !== labRecordName(ctx.stackName)) await ssm.send(new DeleteParameterCommand({ Name: p.Name! }));
  await cdkDeploy(scenario, ctx);
  // The toolkit keeps a parameter's previous value; the armed lab takes the exposed one.
  await putExposedPasswordBack(ctx);
}
