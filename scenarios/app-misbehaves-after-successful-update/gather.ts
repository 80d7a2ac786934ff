/**
 * Reads, once per check, everything the criteria, the symptom and the armed
 * proof look at: the stack and breakfix's record of arming it, drift computed
 * by the shared engine from the stack's current template, the live
 * configuration the orders API runs with, and the seeded orders.
 * Read-only: Describe/List/Get calls only.
 */
import { AttributeValue, BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ScenarioContext } from '../../lib/scenario/types';
import { DriftClients, StackDrift, detectStackDrift } from '../../lib/engines/cfn/drift';
import { describeStack } from '../../lib/engines/cfn/stack-state';
import { readArmedRecord } from '../../lib/targets/lab-record';
import { NOT_FOUND, ignoring } from '../../lib/toolkit/aws-errors';
import { ApiConfig, ORDERS, functionName, itemMatches, paymentTimeoutParameter, tableName, writeModeParameter } from './lab';

export interface OrdersServiceSnapshot {
  readonly stackName: string;
  readonly variant: string;
  readonly stack?: {
    readonly stackId: string;
    readonly status: string;
    /** CloudFormation's own record of the last DetectStackDrift, when one ran. */
    readonly driftStatus?: string;
    readonly lastDriftCheck?: string;
  };
  /** The StackId breakfix recorded when it armed a lab under this name (BREAKFIX_HOME), if any. */
  readonly armedStackId?: string;
  /** Drift of the stack against its current template; absent without a stack. */
  readonly drift?: StackDrift;
  /** Live configuration of the orders API: the function, and the parameters its environment names (absent when gone). */
  readonly config: ApiConfig & { readonly writeModeName: string; readonly paymentTimeoutName: string; readonly functionName: string };
  readonly table: { readonly name: string; readonly orders: readonly { orderId: string; present: boolean; intact: boolean }[] };
}

/** The drift engine's clients, from the lab's client set. */
export function driftClients(ctx: ScenarioContext): DriftClients {
  const c = ctx.clients;
  return {
    cfn: c.cloudformation,
    ec2: c.ec2,
    iam: c.iam,
    lambda: c.client(LambdaClient),
    ssm: c.client(SSMClient),
    logs: c.logs,
    dynamodb: c.dynamodb,
    s3: c.s3,
    ecs: c.ecs,
  };
}

const PARAMETER_NOT_FOUND = ['ParameterNotFound'];

async function parameterValue(ssm: SSMClient, name: string): Promise<string | undefined> {
  const found = await ignoring(PARAMETER_NOT_FOUND, ssm.send(new GetParameterCommand({ Name: name })));
  return found?.Parameter?.Value;
}

async function seededOrders(ctx: ScenarioContext, table: string): Promise<OrdersServiceSnapshot['table']['orders']> {
  const read = await ignoring(
    NOT_FOUND.resource,
    ctx.clients.dynamodb.send(
      new BatchGetItemCommand({
        RequestItems: { [table]: { Keys: ORDERS.map((o) => ({ orderId: { S: o.orderId } })), ConsistentRead: true } },
      }),
    ),
  );
  const items: Record<string, AttributeValue>[] = read?.Responses?.[table] ?? [];
  return ORDERS.map((o) => {
    const item = items.find((i) => i.orderId?.S === o.orderId);
    return { orderId: o.orderId, present: !!item, intact: itemMatches(o, item) };
  });
}

export async function gatherOrdersService(ctx: ScenarioContext): Promise<OrdersServiceSnapshot> {
  const ssm = ctx.clients.client(SSMClient);
  const lambda = ctx.clients.client(LambdaClient);
  const stack = await describeStack(ctx.clients.cloudformation, ctx.stackName);
  const fnName = functionName(ctx.stackName);
  const fn = await ignoring(NOT_FOUND.resource, lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fnName })));
  // The API reads the parameters its environment names: follow them as it would.
  const env = fn?.Environment?.Variables ?? {};
  const names = {
    writeModeName: env.WRITE_MODE_PARAMETER ?? writeModeParameter(ctx.stackName),
    paymentTimeoutName: env.PAYMENT_TIMEOUT_PARAMETER ?? paymentTimeoutParameter(ctx.stackName),
    functionName: fnName,
  };
  const [drift, writeMode, paymentTimeout, orders] = await Promise.all([
    stack ? detectStackDrift(driftClients(ctx), stack.stackId) : Promise.resolve(undefined),
    parameterValue(ssm, names.writeModeName),
    parameterValue(ssm, names.paymentTimeoutName),
    seededOrders(ctx, tableName(ctx.stackName)),
  ]);
  const armed = ctx.armed ?? (stack ? readArmedRecord(ctx.target, { stackName: ctx.stackName, stackId: stack.stackId }) : undefined);
  const info = stack?.raw.DriftInformation;
  return {
    stackName: ctx.stackName,
    variant: ctx.variant,
    ...(stack
      ? {
          stack: {
            stackId: stack.stackId,
            status: stack.status,
            driftStatus: info?.StackDriftStatus,
            lastDriftCheck: info?.LastCheckTimestamp ? new Date(info.LastCheckTimestamp).toISOString() : undefined,
          },
        }
      : {}),
    armedStackId: armed?.stackId,
    drift,
    config: {
      ...names,
      writeMode,
      paymentTimeoutMs: paymentTimeout === undefined ? undefined : Number(paymentTimeout),
      functionTimeoutS: fn?.Timeout,
    },
    table: { name: tableName(ctx.stackName), orders },
  };
}
