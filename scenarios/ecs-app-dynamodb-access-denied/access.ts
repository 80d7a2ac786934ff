import { baseContext, describeDecision, describeStatement, evaluate, EvaluationResult } from '../../lib/engines/iam';
import type { RolePolicies } from '../../lib/live-policies';
import type { OrdersAppSnapshot } from './gather';

/** The actions the app needs, and nothing else. */
export const NEEDED_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/** The ARN a role's session has: ECS names task-role sessions after the task ID. */
export function sessionArnOf(roleArn: string, session: string): string {
  const [, partition, , , account, resource] = roleArn.split(':');
  return `arn:${partition}:sts::${account}:assumed-role/${resource.slice(resource.lastIndexOf('/') + 1)}/${session}`;
}

/** A table ARN in this account that is not the lab's, to probe for access to other tables. */
export function otherTableArn(s: OrdersAppSnapshot): string {
  return `arn:${s.partition}:dynamodb:${s.region}:${s.account}:table/another-team-payments`;
}

/**
 * The engine's decision for a request made with a role's session. The table's
 * resource policy takes part only for requests on the lab's table.
 */
export function decideAs(s: OrdersAppSnapshot, role: RolePolicies, action: string, resourceArn: string): EvaluationResult {
  const principalArn = sessionArnOf(role.roleArn, s.sessionName);
  const onTable = resourceArn === s.tableArn || resourceArn.startsWith(`${s.tableArn}/`);
  return evaluate(
    { principalArn, action, resourceArn, resourceAccount: s.account, context: baseContext({ principalArn, roleArn: role.roleArn }) },
    { identity: role.identity, permissionsBoundary: role.permissionsBoundary, resource: onTable ? s.tablePolicy : undefined },
  );
}

/** Whether ECS tasks may assume the role, per its trust policy; undefined when IAM returned none. */
export function trustsEcsTasks(role: RolePolicies): EvaluationResult | undefined {
  if (!role.trustPolicy) return undefined;
  return evaluate(
    { principalArn: 'ecs-tasks.amazonaws.com', action: 'sts:AssumeRole', resourceArn: role.roleArn },
    { resource: { name: role.roleName, kind: 'trust policy', document: role.trustPolicy } },
  );
}

/** A sentence when ECS tasks cannot assume the role, undefined when they can. */
export function trustProblem(label: string, role: RolePolicies): string | undefined {
  const trust = trustsEcsTasks(role);
  if (!trust) return `IAM returned no trust policy for ${label} ${role.roleArn}.`;
  if (trust.decision === 'Allowed') return undefined;
  return `The trust policy of ${label} ${role.roleArn} does not let ecs-tasks.amazonaws.com assume it (${describeDecision(trust)}), so ECS cannot hand its credentials to the task.`;
}

/** "identity-based policy X statement Y" for the first statement that decided. */
export function decidedBy(result: EvaluationResult): string {
  const first = result.decidingStatements[0];
  return first ? describeStatement(first) : describeDecision(result);
}

const DENY_IN: Record<string, string> = {
  identity: 'an identity-based policy',
  resource: 'a resource-based policy',
  'permissions-boundary': 'a permissions boundary',
  scp: 'a service control policy',
  session: 'a session policy',
  'vpc-endpoint': 'a VPC endpoint policy',
};

const NO_ALLOW_IN: Record<string, string> = {
  'permissions-boundary': 'permissions boundary',
  scp: 'service control policy',
  session: 'session policy',
  'vpc-endpoint': 'VPC endpoint policy',
  resource: 'resource-based policy',
};

/**
 * DynamoDB's AccessDeniedException message for a denied request, in AWS's
 * format (the resource ARN is not quoted); undefined when it is allowed.
 */
export function dynamoDbDeniedMessage(result: EvaluationResult): string | undefined {
  if (result.decision === 'Allowed') return undefined;
  const head = `User: ${result.principalArn} is not authorized to perform: ${result.action} on resource: ${result.resourceArn}`;
  if (result.decision === 'ExplicitlyDenied')
    return `${head} with an explicit deny in ${DENY_IN[result.decidingStatements[0]?.policyType] ?? 'an identity-based policy'}`;
  const noun = NO_ALLOW_IN[result.implicitDeny?.gate ?? ''] ?? 'identity-based policy';
  return `${head} because no ${noun} allows the ${result.action} action`;
}

/** What the AWS CLI in the container prints for a denied call. */
export function cliError(operation: string, message: string): string {
  return `An error occurred (AccessDeniedException) when calling the ${operation} operation: ${message}`;
}

export { describeDecision };
