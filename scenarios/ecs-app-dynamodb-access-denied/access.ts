/**
 * The requests the criteria and the symptom decide with the IAM engine, each built the way AWS sees it:
 * the caller is the session ECS creates for the task (named after the task ID), the context holds every
 * global key AWS populates (lib/engines/request-context), the request travels the subnet's route to
 * DynamoDB (a gateway endpoint or the internet), and the decision counts the role's identity policies,
 * its permissions boundary, the SCPs, the table's resource policy and the endpoint's policy. Whether ECS
 * can hand the role to the task at all is the trust policy's decision, made with the context ECS supplies.
 */
import {
  canAssumeRole,
  checkAccessNotGranted,
  describeDecision,
  describeStatement,
  destructiveActions,
  evaluate,
  type AccessSpec,
  type AssumeRoleAnswer,
  type CheckResult,
  type EvaluationResult,
  type NamedPolicy,
  type StatedContext,
} from '../../lib/engines/iam';
import {
  buildRequestContext,
  buildServiceCallContext,
  sessionArn,
  workloadRequest,
  type NetworkPath,
  type WorkloadCaller,
  type WorkloadRequestInput,
} from '../../lib/engines/request-context';
import type { RolePolicies } from '../../lib/live-policies';
import type { OrdersAppSnapshot } from './gather';
import { APP_CUSTOMER } from './lab';

/** The service that assumes both roles of the task definition. */
export const ECS_TASKS = 'ecs-tasks.amazonaws.com';

/** The app's two calls (lab.ts appScript), with the DynamoDB keys each request carries. */
export const APP_REQUESTS: readonly {
  readonly action: string;
  readonly operation: string;
  readonly keys: Record<string, string | string[]>;
}[] = [
  // get-item on one key: the partition key value is dynamodb:LeadingKeys; no projection, no Select.
  { action: 'dynamodb:GetItem', operation: 'GetItem', keys: { 'dynamodb:LeadingKeys': [APP_CUSTOMER] } },
  // query --select COUNT with a key condition on the partition key.
  { action: 'dynamodb:Query', operation: 'Query', keys: { 'dynamodb:LeadingKeys': [APP_CUSTOMER], 'dynamodb:Select': 'COUNT' } },
];

/**
 * DynamoDB keys the app's requests do not carry (Service Authorization Reference, Amazon DynamoDB, condition
 * keys): no projection (dynamodb:Attributes), no ReturnValues or ReturnConsumedCapacity parameter, not part
 * of a transaction or a PartiQL statement.
 */
const DYNAMODB_KEYS_NOT_SENT = [
  'dynamodb:Attributes',
  'dynamodb:ReturnValues',
  'dynamodb:ReturnConsumedCapacity',
  'dynamodb:EnclosingOperation',
  'dynamodb:FullTableScan',
  'dynamodb:Select',
];

/** Read-only actions on the orders table and its indexes and streams: what "the app only reads that table" leaves room for. */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PartiQLSelect',
  'dynamodb:Describe*',
  'dynamodb:Get*',
  'dynamodb:List*',
];

/** One way the tasks' requests reach DynamoDB, and the subnets that take it. */
export interface DynamoDbPath {
  readonly network: NetworkPath;
  readonly endpointPolicy?: NamedPolicy;
  readonly subnets: string[];
  /** "through gateway endpoint vpce-1 (subnets a, b)" */
  readonly label: string;
}

/** The distinct routes to DynamoDB of the service's subnets; the internet when the service names none. */
export function dynamodbPaths(s: OrdersAppSnapshot): DynamoDbPath[] {
  const byKey = new Map<string, DynamoDbPath>();
  for (const p of s.paths) {
    const key = p.endpoint?.id ?? 'internet';
    const known = byKey.get(key);
    if (known) {
      known.subnets.push(p.subnetId);
      continue;
    }
    byKey.set(key, {
      network: p.endpoint ? { via: 'vpc-endpoint', vpceId: p.endpoint.id, vpcId: p.endpoint.vpcId } : { via: 'internet' },
      endpointPolicy: p.endpoint?.policy,
      subnets: [p.subnetId],
      label: '',
    });
  }
  if (byKey.size === 0) byKey.set('internet', { network: { via: 'internet' }, subnets: [], label: '' });
  return [...byKey.values()].map((p) => ({
    ...p,
    label:
      (p.network.via === 'vpc-endpoint' ? `through gateway endpoint ${p.network.vpceId}` : 'over the internet') +
      (p.subnets.length ? ` (subnet ${p.subnets.join(', ')})` : ''),
  }));
}

/** " through gateway endpoint vpce-1 (subnet ...)" when the route matters to the reader (an endpoint, or routes that differ), else "". */
export function routeNote(s: OrdersAppSnapshot, path: DynamoDbPath | undefined): string {
  if (!path) return '';
  return path.network.via === 'vpc-endpoint' || dynamodbPaths(s).length > 1 ? ` ${path.label}` : '';
}

/** The caller as AWS sees it: the session ECS created for the task, with the role's ID and tags. */
export function callerOf(s: OrdersAppSnapshot, role: RolePolicies): WorkloadCaller {
  return {
    roleArn: role.roleArn,
    sessionName: s.sessionName, // ECS names task-role sessions after the task ID
    origin: { by: 'service', service: ECS_TASKS },
    roleId: role.roleId,
    roleTags: role.tags,
    principalOrgId: s.scps && s.scps.length === 0 ? null : undefined,
  };
}

/** The policies that decide a request of the role's session, but for the resource policy and endpoint. */
function policiesOf(s: OrdersAppSnapshot, role: RolePolicies) {
  return { identity: role.identity, permissionsBoundary: role.permissionsBoundary, scps: s.scps?.length ? s.scps : undefined };
}

const onTable = (s: OrdersAppSnapshot, resourceArn: string) => resourceArn === s.tableArn || resourceArn.startsWith(`${s.tableArn}/`);

export interface PathDecision {
  readonly path?: DynamoDbPath;
  readonly result: EvaluationResult;
}

/**
 * The engine's decision for a request of the role's session. DynamoDB requests are decided on every route
 * the tasks take (a task may land in any of the service's subnets), with the table's resource policy for the
 * lab's table and the endpoint's policy on an endpoint route; the first route that denies is the answer.
 * Requests to other services go over the internet.
 */
export function decideAs(
  s: OrdersAppSnapshot,
  role: RolePolicies,
  action: string,
  resourceArn: string,
  keys: { sent?: Record<string, string | string[]>; notSent?: readonly string[] } = {},
): PathDecision {
  const dynamodb = action.toLowerCase().startsWith('dynamodb:');
  const paths: (DynamoDbPath | undefined)[] = dynamodb ? dynamodbPaths(s) : [undefined];
  let first: PathDecision | undefined;
  for (const path of paths) {
    const request: WorkloadRequestInput = {
      action,
      resourceArn,
      region: s.region,
      resourceTags: onTable(s, resourceArn) ? s.tableTags : undefined,
      serviceKeys: keys.sent,
      serviceKeysNotSent: keys.notSent,
    };
    const result = evaluate(workloadRequest({ caller: callerOf(s, role), request, network: path?.network ?? { via: 'internet' } }), {
      ...policiesOf(s, role),
      resource: onTable(s, resourceArn) ? s.tablePolicy : undefined,
      vpcEndpoint: path?.endpointPolicy,
    });
    const decision = { path, result };
    if (result.decision !== 'Allowed') return decision;
    first ??= decision;
  }
  return first!;
}

/** The app's own call, decided as the container makes it. */
export function decideAppCall(s: OrdersAppSnapshot, role: RolePolicies, call: (typeof APP_REQUESTS)[number]): PathDecision {
  return decideAs(s, role, call.action, s.tableArn, {
    sent: call.keys,
    notSent: DYNAMODB_KEYS_NOT_SENT.filter((k) => !(k in call.keys)),
  });
}

/**
 * Whether ECS can assume the role for the task. ECS calls sts:AssumeRole as ecs-tasks.amazonaws.com on behalf
 * of the task, with aws:SourceAccount (the task's account) and aws:SourceArn (the task's ARN) in the context:
 * the keys the ECS Developer Guide's task IAM role page uses in its confused-deputy trust example
 * (ArnLike aws:SourceArn "arn:aws:ecs:<region>:<account>:*", StringEquals aws:SourceAccount "<account>").
 */
export function trustOf(s: OrdersAppSnapshot, role: RolePolicies): AssumeRoleAnswer | undefined {
  if (!role.trustPolicy) return undefined;
  return canAssumeRole({
    roleArn: role.roleArn,
    trustPolicy: role.trustPolicy,
    caller: ECS_TASKS,
    context: buildServiceCallContext({ service: ECS_TASKS, region: s.region, sourceAccount: s.account, sourceArn: s.taskArn }),
  });
}

/** A sentence when ECS cannot assume the role for the task, undefined when it can. */
export function trustProblem(s: OrdersAppSnapshot, label: string, role: RolePolicies): string | undefined {
  const trust = trustOf(s, role);
  if (!trust) return `IAM returned no trust policy for ${label} ${role.roleArn}, so ECS cannot assume it for the task.`;
  if (trust.allowed) return undefined;
  return `The trust policy of ${label} ${role.roleArn} does not let ${ECS_TASKS} assume it for task ${s.taskArn} (${describeDecision(trust.results.find((r) => r.decision !== 'Allowed')!)}), so ECS cannot start the task with it.`;
}

/** What the app's reads come to, decided once for the criterion and the symptom alike. */
export type AppAccess =
  | { readonly kind: 'no-task-role' }
  | { readonly kind: 'unreadable'; readonly roleArn: string; readonly error: string }
  | { readonly kind: 'untrusted'; readonly role: RolePolicies; readonly problem: string }
  | { readonly kind: 'denied'; readonly role: RolePolicies; readonly operation: string; readonly decision: PathDecision }
  | { readonly kind: 'allowed'; readonly role: RolePolicies; readonly decisions: readonly PathDecision[] };

export function appAccess(s: OrdersAppSnapshot): AppAccess {
  if (!s.live?.taskRoleArn || !s.taskRole) return { kind: 'no-task-role' };
  const role = s.taskRole.policies;
  if (!role) return { kind: 'unreadable', roleArn: s.taskRole.arn, error: s.taskRole.error ?? 'unknown error' };
  const problem = trustProblem(s, 'task role', role);
  if (problem) return { kind: 'untrusted', role, problem };
  const decisions: PathDecision[] = [];
  for (const call of APP_REQUESTS) {
    const decision = decideAppCall(s, role, call);
    if (decision.result.decision !== 'Allowed') return { kind: 'denied', role, operation: call.operation, decision };
    decisions.push(decision);
  }
  return { kind: 'allowed', role, decisions };
}

/** "identity-based policy X statement Y" for the first statement that decided. */
export function decidedBy(result: EvaluationResult): string {
  const first = result.decidingStatements[0];
  return first ? describeStatement(first) : describeDecision(result);
}

/** A context with `keys` freed: any value or none, as a compromised app could choose them. */
function freed(context: StatedContext, keys: readonly string[]): StatedContext {
  const lower = keys.map((k) => k.toLowerCase());
  const matches = (k: string) => lower.some((p) => (p.endsWith('*') ? k.toLowerCase().startsWith(p.slice(0, -1)) : k.toLowerCase() === p));
  return {
    values: Object.fromEntries(Object.entries(context.values).filter(([k]) => !matches(k))),
    unknown: [...context.unknown, ...keys],
    absent: (context.absent ?? []).filter((k) => !matches(k)),
  };
}

/**
 * Keys the holder of the task's credentials chooses on each request: the Region, the time, HTTP or HTTPS,
 * which resource (so its tags), and every service's own request keys. The caller's identity (role, tags,
 * user ID, account) and the network path are fixed by the task and stay as AWS states them.
 */
const CHOSEN_BY_CALLER = [
  'aws:RequestedRegion',
  'aws:CurrentTime',
  'aws:EpochTime',
  'aws:SecureTransport',
  'aws:ResourceTag/*',
  'aws:RequestTag/*',
  'aws:TagKeys',
];

/** The forbidden regions, most harmful first: destroying or exposing any table, anything but reads on this one, any other table, any other service. */
export function forbiddenAccess(s: OrdersAppSnapshot): AccessSpec[] {
  const table = [s.tableArn, `${s.tableArn}/*`];
  return [
    { actions: destructiveActions('dynamodb-table'), resources: ['*'] },
    { actions: ['dynamodb:*'], exceptActions: TABLE_READ_ACTIONS, resources: table },
    { actions: ['dynamodb:*'], resources: ['*'], exceptResources: table },
    { actions: ['*'], exceptActions: ['dynamodb:*'], resources: ['*'] },
  ];
}

const REGION_MEANING = [
  'can destroy or expose table data',
  'does more than read the orders table',
  'reaches beyond the orders table',
  'reaches beyond DynamoDB',
];

export interface LeastPrivilegeFinding {
  readonly path: DynamoDbPath;
  readonly check: CheckResult;
  readonly meaning: string;
}

/**
 * CheckAccessNotGranted over the role's policies, the table's resource policy and the endpoint policy, per
 * route, with the context every request of the task carries and the caller-chosen keys free. Undefined when
 * nothing forbidden is granted on any route.
 */
export function leastPrivilegeFinding(s: OrdersAppSnapshot, role: RolePolicies): LeastPrivilegeFinding | undefined {
  for (const path of dynamodbPaths(s)) {
    const context = freed(
      buildRequestContext({
        caller: callerOf(s, role),
        request: { action: 'dynamodb:GetItem', resourceArn: s.tableArn, region: s.region },
        network: path.network,
      }),
      CHOSEN_BY_CALLER,
    );
    // Service keys of every service are free too: the context builder leaves only DynamoDB's unknown.
    const check = checkAccessNotGranted({
      principalArn: sessionArn(role.roleArn, s.sessionName),
      ...policiesOf(s, role),
      vpcEndpoint: path.endpointPolicy,
      resourcePolicies: s.tablePolicy ? [{ resources: [s.tableArn, `${s.tableArn}/*`], policy: s.tablePolicy }] : [],
      context: { ...context, unknown: [...context.unknown, '*'] },
      resourceAccount: s.account,
      access: forbiddenAccess(s),
    });
    if (check.result === 'FAIL') return { path, check, meaning: REGION_MEANING[check.findings[0]?.accessIndex ?? 0] ?? '' };
  }
  return undefined;
}

/** What the AWS CLI in the container prints for a denied call. */
export function cliError(operation: string, message: string): string {
  return `An error occurred (AccessDeniedException) when calling the ${operation} operation: ${message}`;
}

export { describeDecision };
