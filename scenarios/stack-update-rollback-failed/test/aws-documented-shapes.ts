/**
 * Documented shapes of AWS's responses, for the states this lab reaches on a
 * real account (not recordings): paginated DescribeStackEvents with EventIds, ClientRequestTokens
 * and ResourceProperties; CloudFormation's aws:cloudformation:* tags on the
 * table; BatchGetItem with UnprocessedKeys; DescribeLogGroups with the fields
 * CloudWatch Logs adds. Hand-written from the API references' documented
 * shapes, with this lab's names.
 */
import { randomUUID } from 'node:crypto';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../../../lib/targets/clients';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { AWS_TARGET, stubbedClients } from '../../../test/support/stub-clients';
import { ORDERS, orderItem } from '../lab';

export const ACCOUNT = '111122223333';
export const STACK = 'ana-stack-update-rollback-failed';
export const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/${STACK}/5e1a7c30-88d1-11f0-9c3e-06a1b2c3d4e5`;
export const OTHER_STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/${STACK}/0b9f2d40-88e4-11f0-a1d2-0affe1234567`;
export const TABLE = `${STACK}-orders`;
export const LOG_GROUP = `/breakfix/${STACK}/orders-api`;
const TOKEN = 'breakfix-arm-0d7c2e4a';

const NOT_FOUND = (token: string) =>
  `Resource handler returned message: "Resource of type 'AWS::Logs::LogGroup' with identifier '{"/properties/LogGroupName":"${LOG_GROUP}"}' was not found." (RequestToken: ${token}, HandlerErrorCode: NotFound)`;

let clock = Date.parse('2026-09-14T09:12:03.118Z');
function at(): Date {
  clock += 1371;
  return new Date(clock);
}

function stackEvent(status: string, reason?: string, token = TOKEN): StackEvent {
  return {
    StackId: STACK_ID,
    EventId: randomUUID(),
    StackName: STACK,
    LogicalResourceId: STACK,
    PhysicalResourceId: STACK_ID,
    ResourceType: 'AWS::CloudFormation::Stack',
    Timestamp: at(),
    ResourceStatus: status as StackEvent['ResourceStatus'],
    ResourceStatusReason: reason,
    ClientRequestToken: token,
  };
}

function logGroupEvent(status: string, retention: number, reason?: string, token = TOKEN): StackEvent {
  const ts = at();
  return {
    StackId: STACK_ID,
    EventId: `OrdersApiLogGroup-${status}-${ts.toISOString()}`,
    StackName: STACK,
    LogicalResourceId: 'OrdersApiLogGroup',
    PhysicalResourceId: LOG_GROUP,
    ResourceType: 'AWS::Logs::LogGroup',
    Timestamp: ts,
    ResourceStatus: status as StackEvent['ResourceStatus'],
    ResourceStatusReason: reason,
    ResourceProperties: JSON.stringify({
      RetentionInDays: String(retention),
      LogGroupName: LOG_GROUP,
      Tags: [{ Value: 'true', Key: 'breakfix:managed' }],
    }),
    ClientRequestToken: token,
  };
}

/** Oldest first: create, the failing release and its failed rollback. */
export function armedHistory(): StackEvent[] {
  return [
    stackEvent('CREATE_IN_PROGRESS', 'User Initiated', 'exec-create'),
    { ...logGroupEvent('CREATE_IN_PROGRESS', 30, undefined, 'exec-create'), PhysicalResourceId: '' },
    logGroupEvent('CREATE_IN_PROGRESS', 30, 'Resource creation Initiated', 'exec-create'),
    logGroupEvent('CREATE_COMPLETE', 30, undefined, 'exec-create'),
    stackEvent('CREATE_COMPLETE', undefined, 'exec-create'),
    stackEvent('UPDATE_IN_PROGRESS', 'User Initiated'),
    logGroupEvent('UPDATE_IN_PROGRESS', 90),
    logGroupEvent('UPDATE_FAILED', 90, NOT_FOUND('6f0c3b0e-2a41-4a58-b1a6-0c5f1ad2f9e1')),
    stackEvent('UPDATE_ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to update: [OrdersApiLogGroup].'),
    logGroupEvent('UPDATE_IN_PROGRESS', 30),
    logGroupEvent('UPDATE_FAILED', 30, NOT_FOUND('a3d94e57-1c2b-4d0f-8e6a-2b7c9d1e0f43')),
    stackEvent('UPDATE_ROLLBACK_FAILED', 'The following resource(s) failed to update: [OrdersApiLogGroup].'),
  ];
}

/** Oldest first: `continue-update-rollback --resources-to-skip OrdersApiLogGroup` after armedHistory. */
export function skippedHistory(): StackEvent[] {
  return [
    ...armedHistory(),
    stackEvent('UPDATE_ROLLBACK_IN_PROGRESS', 'User Initiated', 'console-continue'),
    logGroupEvent('UPDATE_COMPLETE', 30, 'Resource skipped during UpdateRollback', 'console-continue'),
    stackEvent('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', undefined, 'console-continue'),
    stackEvent('UPDATE_ROLLBACK_COMPLETE', undefined, 'console-continue'),
  ];
}

export interface DocumentedWorld {
  stackId?: string;
  status?: string;
  statusReason?: string;
  terminationProtection?: boolean;
  /** Oldest first; served newest first, `pageSize` per page. */
  events: StackEvent[];
  pageSize?: number;
  table?: { armedStackId?: string; missingOrders?: string[]; extraAttributes?: boolean; unprocessedFirst?: boolean };
  logGroup?: { retentionInDays?: number };
  /** The stack policy as SetStackPolicy stored it; absent when none was ever set. */
  stackPolicy?: object;
  /** The log group's retention in the stack's current template (GetTemplate); 30 days, as deployed, unless given. */
  templateRetentionInDays?: number;
}

/** The stack's current template as GetTemplate returns its body: the lab's table and log group, in the YAML the toolkit submits. */
function templateBody(retentionInDays: number): string {
  return [
    'Resources:',
    '  OrdersTable:',
    '    Type: AWS::DynamoDB::Table',
    '    Properties:',
    `      TableName: ${TABLE}`,
    '      BillingMode: PAY_PER_REQUEST',
    '    DeletionPolicy: Retain',
    '  OrdersApiLogGroup:',
    '    Type: AWS::Logs::LogGroup',
    '    Properties:',
    `      LogGroupName: ${LOG_GROUP}`,
    `      RetentionInDays: ${retentionInDays}`,
    '',
  ].join('\n');
}

/** Real SDK clients answering from a documented world; any other call is a test failure. */
export function documentedClients(world: DocumentedWorld): { clients: AwsClients; calls: string[] } {
  const calls: string[] = [];
  const pageSize = world.pageSize ?? 5;
  const tableArn = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/${TABLE}`;
  let batchCalls = 0;
  const handlers: Record<string, (input: any) => unknown> = {
    DescribeStacksCommand: (input) => {
      // Without a StackName, DescribeStacks lists the account's stacks: none is an empty list, not an error.
      if (!world.stackId && !input.StackName) return { Stacks: [] };
      if (!world.stackId)
        throw Object.assign(new Error(`Stack with id ${STACK} does not exist`), { name: 'ValidationError', Code: 'ValidationError' });
      return {
        Stacks: [
          {
            StackId: world.stackId,
            StackName: STACK,
            Description: 'breakfix stack-update-rollback-failed: production orders stack (table with live orders, API log group)',
            CreationTime: new Date('2026-09-14T09:12:03.118Z'),
            LastUpdatedTime: new Date('2026-09-14T09:12:21.004Z'),
            RollbackConfiguration: {},
            StackStatus: world.status,
            StackStatusReason: world.statusReason,
            DisableRollback: false,
            NotificationARNs: [],
            Tags: [
              { Key: 'breakfix:managed', Value: 'true' },
              { Key: 'breakfix:scenario', Value: 'stack-update-rollback-failed' },
              { Key: 'breakfix:learner', Value: 'ana' },
              { Key: 'breakfix:variant', Value: 'log-group-deleted' },
            ],
            EnableTerminationProtection: world.terminationProtection ?? false,
            DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
          },
        ],
      };
    },
    // GetStackPolicy (API Reference): StackPolicyBody, "Structure containing the stack policy body"; left out when no policy is set.
    GetStackPolicyCommand: () => (world.stackPolicy ? { StackPolicyBody: JSON.stringify(world.stackPolicy) } : {}),
    // GetTemplate (API Reference): TemplateBody as submitted (JSON or YAML) and the StagesAvailable.
    GetTemplateCommand: () => ({
      TemplateBody: templateBody(world.templateRetentionInDays ?? 30),
      StagesAvailable: ['Original', 'Processed'],
    }),
    DescribeStackEventsCommand: (input: { NextToken?: string }) => {
      const newestFirst = [...world.events].reverse();
      const start = input.NextToken ? Number(input.NextToken.split(':')[1]) : 0;
      const page = newestFirst.slice(start, start + pageSize);
      const next = start + pageSize < newestFirst.length ? `page:${start + pageSize}` : undefined;
      return { StackEvents: page, NextToken: next };
    },
    DescribeTableCommand: () => {
      if (!world.table)
        throw new ResourceNotFoundException({
          message: `Requested resource not found: Table: ${TABLE} not found`,
          $metadata: { httpStatusCode: 400 },
        });
      return {
        Table: {
          TableName: TABLE,
          TableArn: tableArn,
          TableId: '2f5a1c9e-7b3d-4e60-9a8f-c1d2e3f4a5b6',
          TableStatus: 'ACTIVE',
          KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
          BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: new Date('2026-09-14T09:12:09.000Z') },
          ItemCount: 0, // refreshed about every six hours, so it lags: never trusted
          TableSizeBytes: 0,
          DeletionProtectionEnabled: false,
          WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' },
        },
      };
    },
    ListTagsOfResourceCommand: () => ({
      Tags: [
        { Key: 'aws:cloudformation:logical-id', Value: 'OrdersTable' },
        { Key: 'aws:cloudformation:stack-id', Value: STACK_ID },
        { Key: 'aws:cloudformation:stack-name', Value: STACK },
        { Key: 'breakfix:managed', Value: 'true' },
        ...(world.table?.armedStackId ? [{ Key: 'breakfix:armed-stack-id', Value: world.table.armedStackId }] : []),
      ],
    }),
    BatchGetItemCommand: (input: { RequestItems: Record<string, { Keys: { orderId: { S: string } }[] }> }) => {
      batchCalls++;
      const wanted = input.RequestItems[TABLE].Keys.map((k) => k.orderId.S);
      const present = ORDERS.filter((o) => wanted.includes(o.orderId) && !world.table?.missingOrders?.includes(o.orderId));
      const items = present.map((o) => ({
        ...orderItem(o),
        ...(world.table?.extraAttributes ? { updatedAt: { S: '2026-09-14T10:00:00Z' } } : {}),
      }));
      if (world.table?.unprocessedFirst && batchCalls === 1) {
        return {
          Responses: { [TABLE]: items.slice(0, 2) },
          UnprocessedKeys: { [TABLE]: { Keys: wanted.slice(2).map((id) => ({ orderId: { S: id } })), ConsistentRead: true } },
        };
      }
      return { Responses: { [TABLE]: items }, UnprocessedKeys: {} };
    },
    DescribeLogGroupsCommand: () => ({
      logGroups: world.logGroup
        ? [
            {
              logGroupName: LOG_GROUP,
              creationTime: 1789377153000,
              ...(world.logGroup.retentionInDays === undefined ? {} : { retentionInDays: world.logGroup.retentionInDays }),
              metricFilterCount: 0,
              arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${LOG_GROUP}:*`,
              storedBytes: 0,
              logGroupClass: 'STANDARD',
              logGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${LOG_GROUP}`,
            },
          ]
        : [],
    }),
  };
  const clients = stubbedClients(AWS_TARGET, (name, input) => {
    calls.push(name);
    const handler = handlers[name];
    if (!handler) throw new Error(`the documented world has no answer for ${name}`);
    return handler(input);
  });
  return { clients, calls };
}

export function awsContext(clients: AwsClients): ScenarioContext {
  return {
    scenarioId: 'stack-update-rollback-failed',
    stackName: STACK,
    learner: 'ana',
    variant: 'log-group-deleted',
    target: AWS_TARGET,
    clients,
    progress: () => undefined,
  };
}
