import { Criterion, fail, pass } from '../../../checkers/criterion';
import { decideAs, decidedBy, describeDecision, trustProblem } from '../access';
import { OrdersAppSnapshot, revisionLabel } from '../gather';

/** What ECS does with the execution role before the container starts, and while it logs. */
function needs(s: OrdersAppSnapshot): [string, string][] {
  const repo = `arn:${s.partition}:ecr:${s.region}:${s.account}:repository/${s.stackName}-app`;
  const group = s.logGroupName ?? `/breakfix/${s.stackName}/orders-app`;
  const stream = `arn:${s.partition}:logs:${s.region}:${s.account}:log-group:${group}:log-stream:orders-app/app/${s.sessionName}`;
  return [
    ['ecr:GetAuthorizationToken', '*'],
    ['ecr:BatchCheckLayerAvailability', repo],
    ['ecr:GetDownloadUrlForLayer', repo],
    ['ecr:BatchGetImage', repo],
    ['logs:CreateLogStream', stream],
    ['logs:PutLogEvents', stream],
  ];
}

/** ECS still pulls images and ships logs with the execution role of the live task definition. */
export const executionRoleCanPullAndLog: Criterion<OrdersAppSnapshot> = {
  id: 'execution-role-can-pull-and-log',
  title: 'The execution role keeps its ECR pull and CloudWatch Logs permissions',
  rationale:
    'ECS still pulls the image and ships the awslogs output with the execution role; a fix that strips or replaces it stops the task from starting or logging.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html'],
  evaluate(s) {
    const label = revisionLabel(s.live, s.liveRef);
    if (!s.live?.executionRoleArn || !s.executionRole)
      return fail(
        `Task definition ${label}, which ECS service ${s.service.serviceName} runs, sets no execution role, so ECS cannot pull a private image or ship logs with awslogs.`,
      );
    const role = s.executionRole.policies;
    if (!role)
      return fail(`Execution role ${s.executionRole.arn} of task definition ${label} could not be read: ${s.executionRole.error}.`);
    const trust = trustProblem('execution role', role);
    if (trust) return fail(trust);
    for (const [action, resourceArn] of needs(s)) {
      const result = decideAs(s, role, action, resourceArn);
      if (result.decision !== 'Allowed')
        return fail(
          `Execution role ${role.roleArn} of task definition ${label} may not ${action} on ${resourceArn}: ${describeDecision(result)}.`,
        );
    }
    const leftover = decideAs(s, role, 'dynamodb:GetItem', s.tableArn);
    const advice =
      leftover.decision === 'Allowed'
        ? `Execution role ${role.roleArn} is still allowed dynamodb:GetItem on ${s.tableArn} (${decidedBy(leftover)}); ECS never uses it for the app's calls, so that grant can go.`
        : undefined;
    return pass(
      `Execution role ${role.roleArn} of task definition ${label} is allowed the ECR pull actions and logs:CreateLogStream/PutLogEvents on ${s.logGroupName ?? 'the app log group'}.`,
      advice,
    );
  },
};
