import { FilteredLogEvent, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { collectPages } from '../../lib/core/paging';
import { sessionArnOf } from '../../lib/toolkit/arn';
import { accessDeniedMessage } from '../../lib/live-policies';
import type { ScenarioContext, Symptom } from '../../lib/scenario/types';
import { appAccess, cliError, describeDecision, routeNote } from './access';
import { gatherOrdersApp, OrdersAppSnapshot, revisionLabel } from './gather';
import { APP_CUSTOMER, APP_ORDER } from './lab';

/** What the AWS CLI prints when it finds no credentials (a task definition without a task role). */
const NO_CREDENTIALS = 'Unable to locate credentials. You can configure credentials by running "aws configure".';
/** App log lines worth showing: AWS errors and the app's own status lines. */
const INTERESTING = /AccessDenied|Unable to locate credentials|An error occurred|orders-app:/;

/**
 * The line the app would log next, derived from the same decisions task-role-can-read-orders makes
 * (appAccess), so status and check never disagree about whether the app works.
 */
export function derivedSymptom(s: OrdersAppSnapshot): Symptom {
  const label = revisionLabel(s.live, s.liveRef);
  const derivation = `${s.target} runs no containers and enforces no IAM, so breakfix decided with its IAM engine whether ECS can assume the task role of the live task definition ${label} (read from DescribeServices) and whether that role's session may GetItem, over the role's live policies, its trust policy, the table's resource policy and the route the tasks take to DynamoDB; the session name stands for the ECS task ID.`;
  const details = [
    `ECS service ${s.service.serviceName} runs task definition ${label} (execution role ${s.live?.executionRoleArn ?? 'none'}, task role ${s.live?.taskRoleArn ?? 'none'}).`,
    `Log group: ${s.logGroupName ?? 'none'}.`,
  ];
  const access = appAccess(s);
  switch (access.kind) {
    case 'no-task-role':
      return { source: 'derived', summary: NO_CREDENTIALS, details, derivation };
    case 'unreadable':
      return { source: 'derived', summary: `Task role ${access.roleArn} could not be read: ${access.error}.`, details, derivation };
    case 'untrusted':
      // ECS reports this as a service event and the task's stopped reason; the container never starts.
      details.push(access.problem);
      return {
        source: 'derived',
        summary: `ECS was unable to assume the role '${access.role.roleArn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
        details,
        derivation,
      };
    case 'denied': {
      const { result, path } = access.decision;
      details.push(
        `Request: ${access.operation} ${APP_CUSTOMER}${access.operation === 'GetItem' ? `/${APP_ORDER}` : ''} on ${s.tableArn} as ${sessionArnOf(access.role.roleArn, s.sessionName)}${routeNote(s, path)}; ${describeDecision(result)}.`,
      );
      // DynamoDB names the resource without quotes.
      const message = accessDeniedMessage(result, { quoteResource: false }) ?? describeDecision(result);
      return { source: 'derived', summary: cliError(access.operation, message), details, derivation };
    }
    case 'allowed':
      details.push(
        `Request: GetItem ${APP_CUSTOMER}/${APP_ORDER} on ${s.tableArn} as ${sessionArnOf(access.role.roleArn, s.sessionName)}; ${describeDecision(access.decisions[0].result)}.`,
      );
      return { source: 'derived', summary: `orders-app: GetItem ${APP_ORDER} ok`, details, derivation };
  }
}

/** The app's newest interesting log lines, from CloudWatch Logs (real AWS). */
export function logSymptom(s: OrdersAppSnapshot, events: FilteredLogEvent[]): Symptom {
  const lines = events.filter((e) => INTERESTING.test(e.message ?? '')).sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  const label = revisionLabel(s.live, s.liveRef);
  const head = `ECS service ${s.service.serviceName} runs task definition ${label}; desired ${s.service.desiredCount ?? 0}, running ${s.service.runningCount ?? 0}.`;
  const last = lines[lines.length - 1];
  if (!last)
    return {
      source: 'authentic',
      summary: `No app log lines in ${s.logGroupName ?? 'the app log group'} in the last 15 minutes.`,
      details: [head],
    };
  const denied = lines.filter((e) => /AccessDenied/.test(e.message ?? '')).length;
  return {
    source: 'authentic',
    summary: (last.message ?? '').trim(),
    details: [
      head,
      `Newest line: log stream ${last.logStreamName} at ${new Date(last.timestamp ?? 0).toISOString()}.`,
      `${denied} of the last ${lines.length} app lines are AccessDeniedException.`,
      ...lines.slice(-4, -1).map((e) => `${new Date(e.timestamp ?? 0).toISOString()} ${(e.message ?? '').trim()}`),
    ],
  };
}

/** The app's log lines of the last 15 minutes, at most ten pages of them. */
async function recentAppLines(ctx: ScenarioContext, group: string): Promise<FilteredLogEvent[]> {
  const pages = paginateFilterLogEvents({ client: ctx.clients.logs }, { logGroupName: group, startTime: Date.now() - 15 * 60_000 });
  return collectPages(pages, (p) => p.events, { maxPages: 10 });
}

export async function ordersAppSymptom(ctx: ScenarioContext): Promise<Symptom> {
  const s = await gatherOrdersApp(ctx);
  if (ctx.target.kind !== 'aws') return derivedSymptom(s);
  if (!s.logGroupName)
    return {
      source: 'authentic',
      summary: `Task definition ${revisionLabel(s.live, s.liveRef)} sends no awslogs output, so there is no app log to read.`,
      details: [],
    };
  return logSymptom(s, await recentAppLines(ctx, s.logGroupName));
}
