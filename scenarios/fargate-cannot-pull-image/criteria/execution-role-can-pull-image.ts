import { Criterion, fail, pass } from '../../../checkers/criterion';
import { describeDecision } from '../../../lib/engines/iam';
import { FargatePullSnapshot } from '../gather';
import { asExecutionRole, logRequests, pullRequests } from '../access';

/** ECS pulls the image and ships logs with the execution role, not the task role. */
export const executionRoleCanPullImage: Criterion<FargatePullSnapshot> = {
  id: 'execution-role-can-pull-image',
  title: 'The execution role may pull from ECR and write the container logs',
  rationale:
    "ECS pulls the image and ships the awslogs output with the task execution role, not the task role; without ECR's pull actions and the log writes on it the task never starts.",
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
  ],
  evaluate(s) {
    const td = s.taskDefinition;
    if (!td?.executionRoleArn) return fail(`Task definition ${s.service.taskDefinition} names no execution role.`);
    if (!s.executionRole) return fail(`Execution role ${td.executionRoleArn} could not be read: ${s.executionRoleError}.`);
    const denied = [...pullRequests(s), ...logRequests(s)]
      .map((req) => ({ req, result: asExecutionRole(s, req) }))
      .filter((x) => x.result.decision !== 'Allowed');
    if (denied.length) {
      const first = denied[0];
      return fail(
        `Execution role ${s.executionRole.roleName} of task definition ${td.family}:${td.revision} is not allowed ${denied.map((d) => d.req.action).join(', ')} (${describeDecision(first.result)}).`,
      );
    }
    return pass(
      `Execution role ${s.executionRole.roleName} of task definition ${td.family}:${td.revision} is allowed the four ECR pull actions and the awslogs writes.`,
    );
  },
};
