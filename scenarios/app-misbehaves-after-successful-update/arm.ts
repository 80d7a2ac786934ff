/**
 * What `breakfix deploy` and `reset` do after the CDK deploy: seed the
 * orders, then replay the story. During an incident the on-call engineer
 * changes the service by hand (SDK calls, as the console makes them); later
 * the team ships an unrelated release (one new environment variable on the
 * function) as a stack update, which completes cleanly. CloudFormation
 * updates only the resources whose template changed, so the function gets
 * the template's configuration back while the hand-edited parameters keep
 * their values. stack.ts is the template of the release; the arming puts
 * the previous release up first, so the stack's history reads as it would.
 */
import { GetTemplateCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Criterion } from '../../checkers/criterion';
import { exactlyBlocking } from '../../lib/toolkit/armed';
import { EnvironmentError } from '../../lib/core/errors';
import { pollUntil } from '../../lib/core/poll';
import { parseTemplate } from '../../lib/engines/cfn/drift-resolve';
import { waitForStackToSettle } from '../../lib/engines/cfn/stack-events';
import { describeStack } from '../../lib/engines/cfn/stack-state';
import type { ArmedResult, ScenarioContext } from '../../lib/scenario/types';
import { waitsOf } from '../../lib/targets/target';
import { OrdersServiceSnapshot, gatherOrdersService } from './gather';
import {
  CHECKOUT_TIMES_OUT,
  FUNCTION_LOGICAL_ID,
  INCIDENT,
  ORDERS,
  ORDERS_REFUSED,
  PAYMENT_TIMEOUT_LOGICAL_ID,
  RELEASE_VARIABLE,
  WRITE_MODE_LOGICAL_ID,
  functionName,
  orderItem,
  paymentTimeoutParameter,
  tableName,
  writeModeParameter,
} from './lab';

type TemplateJson = { Resources: Record<string, { Properties?: { Environment?: { Variables?: Record<string, unknown> } } }> };

/**
 * The release before this one: the template as `breakfix deploy` put it up
 * (stack.ts, which already holds the release), without the release's one new
 * environment variable on the function.
 */
export function previousRelease(templateBody: string): string {
  // The CDK toolkit submits YAML; the drift engine's parser reads both.
  const template = parseTemplate(templateBody) as unknown as TemplateJson;
  const variables = template.Resources[FUNCTION_LOGICAL_ID]?.Properties?.Environment?.Variables;
  if (!variables || !(RELEASE_VARIABLE.name in variables)) {
    throw new EnvironmentError('arming-failed', `The deployed template has no ${RELEASE_VARIABLE.name} on ${FUNCTION_LOGICAL_ID}.`);
  }
  delete variables[RELEASE_VARIABLE.name];
  return JSON.stringify(template);
}

async function updateAndSettle(ctx: ScenarioContext, stackId: string, templateBody: string): Promise<void> {
  const cfn = ctx.clients.cloudformation;
  await cfn.send(new UpdateStackCommand({ StackName: stackId, TemplateBody: templateBody }));
  const waits = waitsOf(ctx.target);
  const settled = await waitForStackToSettle(cfn, stackId, { pollMs: waits.pollMs, timeoutMs: waits.stackMs, progress: ctx.progress });
  if (settled?.status !== 'UPDATE_COMPLETE') {
    throw new EnvironmentError('arming-failed', `A stack update of ${ctx.stackName} ended ${settled?.status ?? 'with the stack gone'}.`);
  }
}

/** Lambda refuses a second configuration change while one is in progress (real AWS); wait it out. */
async function functionSettled(ctx: ScenarioContext, name: string): Promise<void> {
  const waits = waitsOf(ctx.target);
  await pollUntil(
    () => ctx.clients.client(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: name })),
    (c) => c.LastUpdateStatus !== 'InProgress',
    {
      pollMs: waits.pollMs,
      timeoutMs: waits.resourceMs,
      timedOut: () => new EnvironmentError('wait-timed-out', `Lambda function ${name} was still updating its configuration.`),
    },
  );
}

/** The on-call engineer's hand-made changes for this variant. */
export async function applyIncident(ctx: ScenarioContext): Promise<void> {
  const ssm = ctx.clients.client(SSMClient);
  if (ctx.variant === ORDERS_REFUSED) {
    const name = writeModeParameter(ctx.stackName);
    ctx.progress(`Incident: ${name} set by hand`);
    await ssm.send(new PutParameterCommand({ Name: name, Value: INCIDENT[ORDERS_REFUSED].writeMode, Overwrite: true, Type: 'String' }));
    return;
  }
  const incident = INCIDENT[CHECKOUT_TIMES_OUT];
  const name = paymentTimeoutParameter(ctx.stackName);
  ctx.progress(`Incident: ${name} and ${functionName(ctx.stackName)} changed by hand`);
  await ssm.send(new PutParameterCommand({ Name: name, Value: String(incident.paymentTimeoutMs), Overwrite: true, Type: 'String' }));
  await ctx.clients
    .client(LambdaClient)
    .send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName(ctx.stackName), Timeout: incident.functionTimeoutS }));
  await functionSettled(ctx, functionName(ctx.stackName));
}

export async function afterDeploy(ctx: ScenarioContext): Promise<void> {
  const cfn = ctx.clients.cloudformation;
  const stack = await describeStack(cfn, ctx.stackName);
  if (!stack) throw new EnvironmentError('arming-failed', `Stack ${ctx.stackName} is missing right after deploy.`);
  const release = (await cfn.send(new GetTemplateCommand({ StackName: stack.stackId }))).TemplateBody ?? '';
  ctx.progress(`History: the previous release of ${ctx.stackName}`);
  await updateAndSettle(ctx, stack.stackId, previousRelease(release));
  ctx.progress(`Seeding ${ORDERS.length} orders into ${tableName(ctx.stackName)}`);
  for (const order of ORDERS) {
    await ctx.clients.dynamodb.send(new PutItemCommand({ TableName: tableName(ctx.stackName), Item: orderItem(order) }));
  }
  await applyIncident(ctx);
  ctx.progress(`Release: stack update adding ${RELEASE_VARIABLE.name} to ${functionName(ctx.stackName)}`);
  await updateAndSettle(ctx, stack.stackId, release);
}

/** Per variant: the criteria the armed lab fails, and the one resource whose drift the incident left. */
const EXPECTED: Record<string, { failing: string[]; drifted: string }> = {
  [ORDERS_REFUSED]: { failing: ['resources-match-template', 'orders-api-accepts-writes'], drifted: WRITE_MODE_LOGICAL_ID },
  [CHECKOUT_TIMES_OUT]: { failing: ['resources-match-template', 'function-outlasts-payment-call'], drifted: PAYMENT_TIMEOUT_LOGICAL_ID },
};

/** The armed proof from a snapshot: exactly the variant's criteria fail, and only the incident's resource drifted. */
export async function armedFrom(
  ctx: Pick<ScenarioContext, 'scenarioId' | 'variant' | 'target'>,
  criteria: readonly Criterion<OrdersServiceSnapshot>[],
  s: OrdersServiceSnapshot,
): Promise<ArmedResult> {
  const expected = EXPECTED[ctx.variant];
  if (!expected) return { armed: false, facts: [`Unknown variant ${ctx.variant}.`] };
  const result = await exactlyBlocking(ctx, criteria, s, expected.failing);
  if (!result.armed) return result;
  const facts = result.blocking.map((c) => c.message);
  const drifted = (s.drift?.resources ?? []).filter((r) => r.status === 'MODIFIED' || r.status === 'DELETED').map((r) => r.logicalId);
  if (drifted.join() !== expected.drifted) {
    return {
      armed: false,
      facts: [`Expected only ${expected.drifted} to differ from the template; found: ${drifted.join(', ') || 'none'}.`, ...facts],
    };
  }
  return { armed: true, facts };
}

/** While arming, the live stack is the armed one by definition: breakfix records it only once this proof passes. */
export const verifyArmed =
  (criteria: readonly Criterion<OrdersServiceSnapshot>[]) =>
  async (ctx: ScenarioContext): Promise<ArmedResult> => {
    const s = await gatherOrdersService(ctx);
    return armedFrom(ctx, criteria, { ...s, armedStackId: s.stack?.stackId });
  };
