import { Criterion, fail, pass } from '../../../checkers/criterion';
import { roleNameOf } from '../../../lib/toolkit/arn';
import { OrdersAppSnapshot, revisionLabel } from '../gather';

/** A sentence about a newer revision the service does not run, or ''. */
export function unusedNewerRevision(s: OrdersAppSnapshot): string {
  const { live, latest } = s;
  if (!live || !latest || latest.revision === undefined || live.revision === undefined || latest.revision <= live.revision) return '';
  const role = latest.taskRoleArn ? `task role ${latest.taskRoleArn}` : 'no task role';
  return ` Revision ${revisionLabel(latest)} (${role}) is registered, but ECS service ${s.service.serviceName} does not run it.`;
}

/**
 * The application's AWS calls use the task role of the task definition the
 * service actually runs; the execution role is ECS's own.
 */
export const liveTaskDefinitionHasOwnTaskRole: Criterion<OrdersAppSnapshot> = {
  id: 'live-task-definition-has-own-task-role',
  title: "The service's live task definition has a task role distinct from its execution role",
  rationale:
    "The app's AWS calls use the task role of the task definition the service actually runs; without one they have no credentials, and using the execution role as task role hands the app every permission ECS needs to start it.",
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-iam-roles.html',
  ],
  evaluate(s) {
    const svc = s.service.serviceName;
    if (!s.live)
      return fail(`ECS service ${svc} runs task definition ${s.liveRef || '(none)'}, which DescribeTaskDefinition does not find.`);
    const label = revisionLabel(s.live, s.liveRef);
    const newer = unusedNewerRevision(s);
    if (!s.live.taskRoleArn) {
      return fail(
        `Task definition ${label}, which ECS service ${svc} runs, sets no task role, so the app's AWS calls have no credentials of their own.${newer}`,
      );
    }
    if (s.live.executionRoleArn && roleNameOf(s.live.taskRoleArn) === roleNameOf(s.live.executionRoleArn)) {
      return fail(
        `Task definition ${label}, which ECS service ${svc} runs, uses ${s.live.taskRoleArn} as both task role and execution role: the app holds every permission ECS uses to start it.${newer}`,
      );
    }
    return pass(
      `ECS service ${svc} runs task definition ${label}, whose task role ${s.live.taskRoleArn} is distinct from its execution role ${s.live.executionRoleArn ?? '(none)'}.`,
    );
  },
};
