/**
 * Shared by this scenario's e2e files: the armed lab's template and function
 * configuration captured once, and a restore that undoes a learner's change
 * without redeploying (the release template back if it changed, the armed
 * parameter values and function configuration back), proved by verifyArmed.
 */
import { GetTemplateCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  FunctionConfiguration,
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { waitForStackToSettle } from '../../../lib/engines/cfn/stack-events';
import type { ScenarioContext } from '../../../lib/scenario/types';
import scenario from '..';
import {
  ORDERS,
  TEMPLATE_PAYMENT_TIMEOUT_DESCRIPTION,
  TEMPLATE_WRITE_MODE_DESCRIPTION,
  orderItem,
  paymentTimeoutParameter,
  tableName,
  writeModeParameter,
  functionName,
} from '../lab';

export interface ArmedState {
  readonly template: string;
  readonly fn: FunctionConfiguration;
  readonly writeMode: string;
  readonly paymentTimeout: string;
}

export async function captureArmed(ctx: ScenarioContext): Promise<ArmedState> {
  const s = await scenario.gather(ctx);
  const template = (await ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: ctx.stackName }))).TemplateBody!;
  const fn = await ctx.clients
    .client(LambdaClient)
    .send(new GetFunctionConfigurationCommand({ FunctionName: functionName(ctx.stackName) }));
  return { template, fn, writeMode: s.config.writeMode!, paymentTimeout: String(s.config.paymentTimeoutMs) };
}

export async function updateStack(ctx: ScenarioContext, body: string): Promise<string | undefined> {
  await ctx.clients.cloudformation.send(new UpdateStackCommand({ StackName: ctx.stackName, TemplateBody: body }));
  return (await waitForStackToSettle(ctx.clients.cloudformation, ctx.stackName, { pollMs: 200, timeoutMs: 120_000 }))?.status;
}

/** Back to the armed state after a learner action on the same stack; throws unless verifyArmed agrees. */
export async function restoreArmed(ctx: ScenarioContext, armed: ArmedState): Promise<void> {
  const current = (await ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: ctx.stackName }))).TemplateBody;
  if (current !== armed.template) await updateStack(ctx, armed.template);
  const ssm = ctx.clients.client(SSMClient);
  // With the template's descriptions: a case may have deleted a parameter and put it back without one.
  await ssm.send(
    new PutParameterCommand({
      Name: writeModeParameter(ctx.stackName),
      Value: armed.writeMode,
      Overwrite: true,
      Type: 'String',
      Description: TEMPLATE_WRITE_MODE_DESCRIPTION,
    }),
  );
  await ssm.send(
    new PutParameterCommand({
      Name: paymentTimeoutParameter(ctx.stackName),
      Value: armed.paymentTimeout,
      Overwrite: true,
      Type: 'String',
      Description: TEMPLATE_PAYMENT_TIMEOUT_DESCRIPTION,
    }),
  );
  await ctx.clients.client(LambdaClient).send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: functionName(ctx.stackName),
      Timeout: armed.fn.Timeout,
      MemorySize: armed.fn.MemorySize,
      Environment: { Variables: armed.fn.Environment?.Variables ?? {} },
    }),
  );
  for (const order of ORDERS)
    await ctx.clients.dynamodb.send(new PutItemCommand({ TableName: tableName(ctx.stackName), Item: orderItem(order) }));
  const proof = await scenario.verifyArmed(ctx);
  if (!proof.armed) throw new Error(`restore did not re-arm: ${proof.facts.join(' ')}`);
}

/** The current template as JSON, edited by `edit`. */
export async function editedTemplate(ctx: ScenarioContext, edit: (t: any) => void): Promise<string> {
  const { parseTemplate } = await import('../../../lib/engines/cfn/drift-resolve');
  const body = (await ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: ctx.stackName }))).TemplateBody!;
  const t = parseTemplate(body) as any;
  edit(t);
  return JSON.stringify(t);
}
