import { baseContext, describeDecision, describeStatement, evaluate, EvaluationResult } from '../../lib/engines/iam';
import type { RolePolicies } from '../../lib/live-policies';
import type { OrdersAppSnapshot } from './gather';
import { sessionArnOf } from '../../lib/toolkit/arn';

/** The actions the app needs, and nothing else. */
export const NEEDED_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/** A table ARN in this account that is not the lab's, to probe for access to other tables. */
export function otherTableArn(s: OrdersAppSnapshot): string {
  return `arn:${s.partition}:dynamodb:${s.region}:${s.account}:table/another-team-payments`;
}

/**
 * The engine's decision for a request made with a role's session. The table's
 * resource policy takes part only for requests on the lab's table.
 */
export function decideAs(s: OrdersAppSnapshot, role: RolePolicies, action: string, resourceArn: string): EvaluationResult {
  // ECS names task-role sessions after the task ID.
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

/** What the AWS CLI in the container prints for a denied call. */
export function cliError(operation: string, message: string): string {
  return `An error occurred (AccessDeniedException) when calling the ${operation} operation: ${message}`;
}

export { describeDecision };
