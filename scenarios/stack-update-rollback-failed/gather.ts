/**
 * Reads, once per check, everything the criteria, the symptom and the armed
 * test look at. Read-only: Describe/List/Get calls only.
 */
import { GetStackPolicyCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import {
  AttributeValue,
  BatchGetItemCommand,
  BatchGetItemCommandOutput,
  DescribeTableCommand,
  ListTagsOfResourceCommand,
} from '@aws-sdk/client-dynamodb';
import type { ScenarioContext } from '../../lib/scenario/types';
import { ReadView, withReadView } from '../../lib/scenario/read-view';
import { NOT_FOUND, ignoring } from '../../lib/toolkit/aws-errors';
import { parseTemplate } from '../../lib/engines/cfn/drift-resolve';
import { StackEventView, eventsOfLastUpdate, listStackEvents } from '../../lib/engines/cfn/stack-events';
import { StackPolicyDecision, decideStackUpdate, parseStackPolicy } from '../../lib/engines/cfn/stack-policy';
import { ARMED_STACK_TAG, ORDERS, WAITING_RELEASE_CHANGES, itemMatches, tableName } from './lab';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface OrdersTableState {
  readonly name: string;
  readonly exists: boolean;
  /** The StackId recorded when the lab was armed; absent when the tag (or the table) is gone. */
  readonly armedStackId?: string;
  /** One entry per seeded order. */
  readonly orders: readonly { orderId: string; present: boolean; intact: boolean }[];
}

export interface LogGroupState {
  readonly name: string;
  readonly exists: boolean;
  readonly retentionInDays?: number;
}

export interface RollbackLabSnapshot {
  readonly stackName: string;
  readonly stack?: {
    readonly stackId: string;
    readonly status: string;
    readonly statusReason?: string;
    readonly terminationProtection: boolean;
    /** GetStackPolicy's StackPolicyBody; absent when no stack policy was ever set. */
    readonly stackPolicyBody?: string;
  };
  /** All events of the current stack, newest first. */
  readonly events: readonly StackEventView[];
  /** Resources of the stack's current template (GetTemplate); empty without a stack. */
  readonly templateResources: Readonly<Record<string, TemplateResource>>;
  readonly table: OrdersTableState;
  /** Real state of every log group the template names, by name. */
  readonly logGroups: Readonly<Record<string, LogGroupState>>;
}

/**
 * The resources of the stack's current template, read back with GetTemplate
 * (JSON or the YAML the toolkit submits). Once a rollback completes, that is
 * the template CloudFormation rolled back to, so skipped resources are
 * compared with what the stack records for them, never with a copy of it.
 */
async function currentTemplateResources(ctx: ScenarioContext, stackId: string): Promise<Record<string, TemplateResource>> {
  const out = await ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: stackId }));
  return parseTemplate(out.TemplateBody ?? '{}').Resources ?? {};
}

async function readOrdersTable(ctx: ScenarioContext, name: string): Promise<OrdersTableState> {
  const ddb = ctx.clients.dynamodb;
  const missing: OrdersTableState = {
    name,
    exists: false,
    orders: ORDERS.map((o) => ({ orderId: o.orderId, present: false, intact: false })),
  };
  const described = await ignoring(NOT_FOUND.resource, ddb.send(new DescribeTableCommand({ TableName: name })));
  if (!described || described.Table?.TableStatus === 'DELETING') return missing;
  const arn = described.Table?.TableArn;
  const tags = arn ? ((await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags ?? []) : [];
  const found = new Map<string, Record<string, AttributeValue>>();
  let keys: Record<string, AttributeValue>[] | undefined = ORDERS.map((o) => ({ orderId: { S: o.orderId } }));
  for (let attempt = 0; keys && keys.length > 0 && attempt < 10; attempt++) {
    const out: BatchGetItemCommandOutput = await ddb.send(
      new BatchGetItemCommand({ RequestItems: { [name]: { Keys: keys, ConsistentRead: true } } }),
    );
    for (const item of out.Responses?.[name] ?? []) found.set(item.orderId?.S ?? '', item);
    keys = out.UnprocessedKeys?.[name]?.Keys;
  }
  return {
    name,
    exists: true,
    // breakfix's own record (BREAKFIX_HOME) when the command found one; the table's tag only without it.
    armedStackId: ctx.armed?.stackId ?? tags.find((t) => t.Key === ARMED_STACK_TAG)?.Value,
    orders: ORDERS.map((o) => ({ orderId: o.orderId, present: found.has(o.orderId), intact: itemMatches(o, found.get(o.orderId)) })),
  };
}

async function readLogGroup(view: ReadView, name: string): Promise<LogGroupState> {
  const group = (await view.logGroups()).find((g) => g.logGroupName === name);
  return { name, exists: !!group, retentionInDays: group?.retentionInDays };
}

export async function gatherRollbackLab(scenarioCtx: ScenarioContext): Promise<RollbackLabSnapshot> {
  const ctx = withReadView(scenarioCtx);
  const cfn = ctx.clients.cloudformation;
  const [stack, table] = await Promise.all([ctx.view.stack(ctx.stackName), readOrdersTable(ctx, tableName(ctx.stackName))]);
  const [events, stackPolicyBody, templateResources] = stack
    ? await Promise.all([
        listStackEvents(cfn, stack.stackId),
        cfn.send(new GetStackPolicyCommand({ StackName: stack.stackId })).then((out) => out.StackPolicyBody),
        currentTemplateResources(ctx, stack.stackId),
      ])
    : [[], undefined, {}];
  const logGroupNames = Object.values(templateResources)
    .filter((r) => r.Type === 'AWS::Logs::LogGroup' && typeof r.Properties?.LogGroupName === 'string')
    .map((r) => r.Properties!.LogGroupName as string);
  const logGroups = Object.fromEntries((await Promise.all(logGroupNames.map((n) => readLogGroup(ctx.view, n)))).map((g) => [g.name, g]));
  return {
    stackName: ctx.stackName,
    stack: stack && {
      stackId: stack.stackId,
      status: stack.status,
      statusReason: stack.statusReason,
      terminationProtection: stack.raw.EnableTerminationProtection === true,
      stackPolicyBody: stackPolicyBody || undefined,
    },
    events,
    templateResources,
    table,
    logGroups,
  };
}

/** Resource events that failed while the last update was rolling back, newest first. */
export function rollbackFailures(s: RollbackLabSnapshot): StackEventView[] {
  const update = eventsOfLastUpdate(s.events);
  let rollbackStart = -1;
  update.forEach((e, i) => {
    if (e.isStack && e.status === 'UPDATE_ROLLBACK_IN_PROGRESS') rollbackStart = i; // the oldest one wins
  });
  return rollbackStart < 0 ? [] : update.slice(0, rollbackStart).filter((e) => !e.isStack && e.status === 'UPDATE_FAILED');
}

/**
 * The stack policy's decision on each change the waiting release makes; the
 * criterion and the symptom both read these. Throws a StackPolicyError for a
 * policy breakfix cannot read (the criterion then errors, never passes).
 */
export function releaseDecisions(s: RollbackLabSnapshot): StackPolicyDecision[] {
  const policy = parseStackPolicy(s.stack?.stackPolicyBody);
  return WAITING_RELEASE_CHANGES.map((change) => decideStackUpdate(policy, change));
}
