import { Criterion, fail, pass } from '../../../checkers/criterion';
import { appAccess, decidedBy, describeDecision, routeNote } from '../access';
import { OrdersAppSnapshot, revisionLabel } from '../gather';
import { unusedNewerRevision } from './live-task-definition-has-own-task-role';

/**
 * The app's GetItem and Query on the orders table, as the session ECS creates for the task from the live task
 * role, per the IAM engine: the role's trust policy must let ECS assume it, and each call must be allowed on
 * every route the tasks take to DynamoDB.
 */
export const taskRoleCanReadOrders: Criterion<OrdersAppSnapshot> = {
  id: 'task-role-can-read-orders',
  title: 'The task role may GetItem and Query the orders table',
  rationale:
    'DynamoDB decides each GetItem and Query on the session of the live task role: a grant on the execution role, on a revision the service does not run, or on a role ECS cannot assume never reaches the app.',
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html',
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/using-identity-based-policies.html',
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  ],
  evaluate(s) {
    const label = revisionLabel(s.live, s.liveRef);
    const newer = unusedNewerRevision(s);
    const access = appAccess(s);
    switch (access.kind) {
      case 'no-task-role':
        return fail(
          `Task definition ${label}, which ECS service ${s.service.serviceName} runs, has no task role to make the app's DynamoDB calls.${newer}`,
        );
      case 'unreadable':
        return fail(`Task role ${access.roleArn} of task definition ${label} could not be read: ${access.error}.${newer}`);
      case 'untrusted':
        return fail(`${access.problem}${newer}`);
      case 'denied': {
        const { path, result } = access.decision;
        const route = routeNote(s, path);
        return fail(
          `Task role ${access.role.roleArn} of task definition ${label} (the one ECS service ${s.service.serviceName} runs) may not ${result.action} table ${s.tableArn}${route}: ${describeDecision(result)}.${newer}`,
        );
      }
      case 'allowed': {
        const grants = access.decisions.map((d) => `${d.result.action} (${decidedBy(d.result)})`);
        const route = routeNote(s, access.decisions[0]?.path);
        // Without the SCPs the decision may be too generous; say so rather than pass silently on it.
        const scps = s.scps ? '' : ` Not counted: ${s.scpNote ?? 'service control policies'}.`;
        return pass(
          `Per the IAM engine, ECS can assume task role ${access.role.roleArn} of the live task definition ${label}, and its session is allowed ${grants.join(' and ')} on table ${s.tableArn}${route}.${scps}`,
        );
      }
    }
  },
};
