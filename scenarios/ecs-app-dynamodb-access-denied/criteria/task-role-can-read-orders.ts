import { Criterion, fail, pass } from '../../../checkers/criterion';
import { decideAs, decidedBy, describeDecision, NEEDED_ACTIONS, trustProblem } from '../access';
import { OrdersAppSnapshot, revisionLabel } from '../gather';
import { unusedNewerRevision } from './live-task-definition-has-own-task-role';

/** The app's GetItem and Query on the orders table, as the live task role's session, per the IAM engine. */
export const taskRoleCanReadOrders: Criterion<OrdersAppSnapshot> = {
  id: 'task-role-can-read-orders',
  title: 'The task role may GetItem and Query the orders table',
  rationale:
    'DynamoDB decides each GetItem and Query on the session of the live task role: a grant on the execution role, or on a revision the service does not run, never reaches the app.',
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html',
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/using-identity-based-policies.html',
  ],
  evaluate(s) {
    const label = revisionLabel(s.live, s.liveRef);
    const newer = unusedNewerRevision(s);
    if (!s.live?.taskRoleArn || !s.taskRole)
      return fail(
        `Task definition ${label}, which ECS service ${s.service.serviceName} runs, has no task role to make the app's DynamoDB calls.${newer}`,
      );
    const role = s.taskRole.policies;
    if (!role) return fail(`Task role ${s.taskRole.arn} of task definition ${label} could not be read: ${s.taskRole.error}.${newer}`);
    const trust = trustProblem('task role', role);
    if (trust) return fail(trust);
    const grants: string[] = [];
    for (const action of NEEDED_ACTIONS) {
      const result = decideAs(s, role, action, s.tableArn);
      if (result.decision !== 'Allowed') {
        return fail(
          `Task role ${role.roleArn} of task definition ${label} (the one ECS service ${s.service.serviceName} runs) may not ${action} table ${s.tableArn}: ${describeDecision(result)}.${newer}`,
        );
      }
      grants.push(`${action} (${decidedBy(result)})`);
    }
    return pass(
      `Per the IAM engine, task role ${role.roleArn} of the live task definition ${label} is allowed ${grants.join(' and ')} on table ${s.tableArn}.`,
    );
  },
};
