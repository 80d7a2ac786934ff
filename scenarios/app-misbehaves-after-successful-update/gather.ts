/**
 * Reads, once per check, everything the criteria, the symptom and the armed
 * proof look at: the stack and breakfix's record of arming it, drift computed
 * by the shared engine from the stack's current template, the live
 * configuration the orders API runs with, and the seeded orders.
 * Read-only: Describe/List/Get calls only.
 */
import { AttributeValue, BatchGetItemCommand, GetResourcePolicyCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { FunctionConfiguration, GetFunctionConcurrencyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetParameterCommand, ListTagsForResourceCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ScenarioContext } from '../../lib/scenario/types';
import { type ReadView, withReadView } from '../../lib/scenario/read-view';
import type { NamedPolicy, ScpLevel } from '../../lib/engines/iam';
import { RolePolicies, readRolePolicies } from '../../lib/live-policies';
import { roleNameOf } from '../../lib/toolkit/arn';
import { DriftClients, StackDrift, detectStackDrift } from '../../lib/engines/cfn/drift';
import { describeStack } from '../../lib/engines/cfn/stack-state';
import { readArmedRecord } from '../../lib/targets/lab-record';
import { NOT_FOUND, errorName, ignoring } from '../../lib/toolkit/aws-errors';
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
  /** What decides whether the function runs at all and may make its own calls; absent without the function. */
  readonly runtime?: FunctionRuntime;
}

/** A parameter the function's environment names, as its GetParameter request reaches SSM. */
export interface ParameterTarget {
  /** The environment variable that names it. */
  readonly variable: string;
  /** As the environment gives it: a name or an ARN (GetParameter takes either). */
  readonly name: string;
  readonly arn: string;
  /** Its tags (aws:ResourceTag/*); undefined when they could not be read (then unknown). */
  readonly tags?: Record<string, string>;
}

/** The function's execution role, its throttle setting and the resources its code calls. */
export interface FunctionRuntime {
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  readonly functionArn: string;
  /** True when the function runs in a VPC (its calls then leave from the VPC's network). */
  readonly inVpc: boolean;
  readonly roleArn: string;
  readonly role?: RolePolicies;
  readonly roleError?: string;
  /** ReservedConcurrentExecutions from GetFunctionConcurrency; undefined when none is reserved. */
  readonly reservedConcurrency?: number;
  readonly tableArn: string;
  readonly tablePolicy?: NamedPolicy;
  readonly tableTags?: Record<string, string>;
  readonly parameters: readonly ParameterTarget[];
  /** SCP levels over the account, root first; [] outside an organization; undefined when unreadable (scpNote says why). */
  readonly scps?: ScpLevel[];
  readonly scpNote?: string;
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

/** GetParameter takes a name or an ARN; a name starting with "/" follows "parameter" in the ARN directly. */
export function parameterArn(nameOrArn: string, partition: string, region: string, account: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return `arn:${partition}:ssm:${region}:${account}:parameter${nameOrArn.startsWith('/') ? '' : '/'}${nameOrArn}`;
}

async function parameterTags(ssm: SSMClient, arn: string): Promise<Record<string, string> | undefined> {
  const name = `/${arn.split(':parameter/')[1] ?? ''}`;
  try {
    const out = await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }));
    return Object.fromEntries((out.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  } catch {
    return undefined; // unknown: a condition on the parameter's tags then cannot be decided
  }
}

async function tableTagsOf(ctx: ScenarioContext, arn: string): Promise<Record<string, string> | undefined> {
  try {
    const out = await ctx.clients.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  } catch {
    return undefined;
  }
}

async function tablePolicyOf(ctx: ScenarioContext, arn: string): Promise<NamedPolicy | undefined> {
  const out = await ignoring(
    ['PolicyNotFoundException', ...NOT_FOUND.resource],
    ctx.clients.dynamodb.send(new GetResourcePolicyCommand({ ResourceArn: arn })),
  );
  return out?.Policy ? { name: arn.split('/').pop(), kind: 'table resource policy', document: out.Policy } : undefined;
}

/** The lab's context with the round's read view (or one of its own). */
type ViewContext = ScenarioContext & { readonly view: ReadView };

/** The SCPs over the account, once per account and round (the view's); emulators run no organization. */
async function scpsOf(ctx: ViewContext, account: string): Promise<{ scps?: ScpLevel[]; scpNote?: string }> {
  if (ctx.target.kind !== 'aws') return { scps: [], scpNote: `${ctx.target.kind} runs no organization` };
  try {
    return { scps: await ctx.view.scpLevels(account) };
  } catch (err) {
    if (errorName(err) === 'AWSOrganizationsNotInUseException') return { scps: [] };
    return { scpNote: `service control policies could not be read (${errorName(err) ?? String(err)})` };
  }
}

/** The execution role, reserved concurrency and the resources the function's code calls, read live. */
async function functionRuntime(
  ctx: ViewContext,
  fn: FunctionConfiguration,
  parameters: readonly { variable: string; name: string }[],
): Promise<FunctionRuntime | undefined> {
  if (!fn.FunctionArn || !fn.Role) return undefined;
  const [, partition, , region, account] = fn.FunctionArn.split(':');
  const ssm = ctx.clients.client(SSMClient);
  const tableArn = `arn:${partition}:dynamodb:${region}:${account}:table/${fn.Environment?.Variables?.TABLE_NAME ?? tableName(ctx.stackName)}`;
  const readRole = async (): Promise<{ role?: RolePolicies; roleError?: string }> => {
    try {
      return { role: await readRolePolicies(ctx.clients.iam, roleNameOf(fn.Role!)) };
    } catch (err) {
      return { roleError: `${errorName(err) ?? 'Error'}: ${(err as Error).message ?? String(err)}` };
    }
  };
  const [role, concurrency, tablePolicy, tableTags, scps, targets] = await Promise.all([
    readRole(),
    ignoring(
      NOT_FOUND.resource,
      ctx.clients.client(LambdaClient).send(new GetFunctionConcurrencyCommand({ FunctionName: fn.FunctionArn })),
    ),
    tablePolicyOf(ctx, tableArn),
    tableTagsOf(ctx, tableArn),
    scpsOf(ctx, account),
    Promise.all(
      parameters.map(async (p) => {
        const arn = parameterArn(p.name, partition, region, account);
        return { ...p, arn, tags: await parameterTags(ssm, arn) };
      }),
    ),
  ]);
  return {
    region,
    account,
    partition,
    functionArn: fn.FunctionArn,
    inVpc: (fn.VpcConfig?.SubnetIds ?? []).length > 0,
    roleArn: fn.Role,
    ...role,
    reservedConcurrency: concurrency?.ReservedConcurrentExecutions,
    tableArn,
    tablePolicy,
    tableTags,
    parameters: targets,
    ...scps,
  };
}

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

export async function gatherOrdersService(scenarioCtx: ScenarioContext): Promise<OrdersServiceSnapshot> {
  const ctx = withReadView(scenarioCtx);
  const ssm = ctx.clients.client(SSMClient);
  const stack = await describeStack(ctx.clients.cloudformation, ctx.stackName);
  const fnName = functionName(ctx.stackName);
  // From the account's ListFunctions, once per round (it gives every field read here); a function it lacks is
  // read by name, so a deleted one is ResourceNotFoundException as before.
  const fn = await ignoring(NOT_FOUND.resource, ctx.view.functionConfiguration(fnName));
  // The API reads the parameters its environment names: follow them as it would.
  const env = fn?.Environment?.Variables ?? {};
  const names = {
    writeModeName: env.WRITE_MODE_PARAMETER ?? writeModeParameter(ctx.stackName),
    paymentTimeoutName: env.PAYMENT_TIMEOUT_PARAMETER ?? paymentTimeoutParameter(ctx.stackName),
    functionName: fnName,
  };
  const [drift, writeMode, paymentTimeout, orders, runtime] = await Promise.all([
    stack ? detectStackDrift(driftClients(ctx), stack.stackId) : Promise.resolve(undefined),
    parameterValue(ssm, names.writeModeName),
    parameterValue(ssm, names.paymentTimeoutName),
    seededOrders(ctx, tableName(ctx.stackName)),
    fn
      ? functionRuntime(ctx, fn, [
          { variable: 'WRITE_MODE_PARAMETER', name: names.writeModeName },
          { variable: 'PAYMENT_TIMEOUT_PARAMETER', name: names.paymentTimeoutName },
        ])
      : Promise.resolve(undefined),
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
    runtime,
  };
}
