/**
 * Small helpers for driving CloudFormation on a test moto with the SDK, as a
 * user would: templates as objects, events read back in time order.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  Stack,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export type Template = {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; DeletionPolicy?: string }>;
};

export function clientConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
}

export interface Clients {
  readonly cfn: CloudFormationClient;
  readonly logs: CloudWatchLogsClient;
  destroy(): void;
}

export function clientsFor(endpoint: string): Clients {
  const cfn = new CloudFormationClient(clientConfig(endpoint));
  const logs = new CloudWatchLogsClient(clientConfig(endpoint));
  return {
    cfn,
    logs,
    destroy: () => {
      cfn.destroy();
      logs.destroy();
    },
  };
}

export const logGroup = (name: string, retentionInDays?: number, extra: Partial<Template['Resources'][string]> = {}) => ({
  Type: 'AWS::Logs::LogGroup',
  Properties: retentionInDays === undefined ? { LogGroupName: name } : { LogGroupName: name, RetentionInDays: retentionInDays },
  ...extra,
});

export function clone(t: Template): Template {
  return JSON.parse(JSON.stringify(t));
}

export async function createStack(cfn: CloudFormationClient, name: string, template: Template): Promise<Stack> {
  await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(template) }));
  return describe(cfn, name);
}

export async function describe(cfn: CloudFormationClient, name: string): Promise<Stack> {
  const out = await cfn.send(new DescribeStacksCommand({ StackName: name }));
  return out.Stacks![0];
}

export interface EventLine {
  readonly id: string;
  readonly status: string;
  readonly reason?: string;
}

/** Events oldest first, as "LogicalId STATUS" lines plus reasons. */
export async function eventLines(cfn: CloudFormationClient, name: string): Promise<EventLine[]> {
  const out = await cfn.send(new DescribeStackEventsCommand({ StackName: name }));
  const events = [...(out.StackEvents ?? [])].reverse();
  for (let i = 1; i < events.length; i++) expect(events[i].Timestamp!.getTime()).toBeGreaterThan(events[i - 1].Timestamp!.getTime());
  return events.map((e) => ({ id: e.LogicalResourceId!, status: e.ResourceStatus!, reason: e.ResourceStatusReason }));
}

/** The lines after the last one matching `from` (inclusive), as "Id STATUS". */
export function since(lines: EventLine[], from: (l: EventLine) => boolean): string[] {
  let start = -1;
  lines.forEach((l, i) => {
    if (from(l)) start = i;
  });
  return lines.slice(Math.max(start, 0)).map((l) => `${l.id} ${l.status}`);
}

export const NOT_FOUND = (name: string) =>
  new RegExp(
    `^Resource handler returned message: "Resource of type 'AWS::Logs::LogGroup' with identifier '\\{"/properties/LogGroupName":"${name.replace(/[/]/g, '\\/')}"\\}' was not found\\." \\(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: NotFound\\)$`,
  );

/**
 * The events, as `since` lists them, of an update that changes Api, creates
 * Fresh and then fails creating Clash (its name is taken), and rolls back:
 * what UpdateStack and ExecuteChangeSet must both write.
 */
export const FAILED_UPDATE_ROLLED_BACK = (stack: string): string[] => [
  `${stack} UPDATE_IN_PROGRESS`,
  'Api UPDATE_IN_PROGRESS',
  'Api UPDATE_COMPLETE',
  'Fresh CREATE_IN_PROGRESS',
  'Fresh CREATE_COMPLETE',
  'Clash CREATE_IN_PROGRESS',
  'Clash CREATE_FAILED',
  `${stack} UPDATE_ROLLBACK_IN_PROGRESS`,
  'Api UPDATE_IN_PROGRESS',
  'Api UPDATE_COMPLETE',
  `${stack} UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS`,
  'Fresh DELETE_IN_PROGRESS',
  'Fresh DELETE_COMPLETE',
  `${stack} UPDATE_ROLLBACK_COMPLETE`,
];
