import { Criterion, fail, pass } from '../../../checkers/criterion';
import { FargatePullSnapshot } from '../gather';
import { decideCalls, ECS_TASKS, executionRoleTrust, logRequests, pullRequests } from '../access';

/** ECS pulls the image and ships logs with the execution role, not the task role. */
export const executionRoleCanPullImage: Criterion<FargatePullSnapshot> = {
  id: 'execution-role-can-pull-image',
  title: 'ECS can assume the execution role, and the role may pull from ECR and write the container logs',
  rationale:
    "ECS pulls the image and ships the awslogs output with the task execution role, not the task role: ecs-tasks.amazonaws.com must be able to assume it, and its session must be allowed ECR's pull actions and the log writes (identity policies, boundary, repository policy and endpoint policy together); otherwise the task never starts.",
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html',
  ],
  evaluate(s) {
    const td = s.taskDefinition;
    if (!td?.executionRoleArn) return fail(`Task definition ${s.service.taskDefinition} names no execution role.`);
    if (!s.executionRole) return fail(`Execution role ${td.executionRoleArn} could not be read: ${s.executionRoleError}.`);
    const where = `task definition ${td.family}:${td.revision}`;
    const trust = executionRoleTrust(s);
    if (!trust.allowed) return fail(`${ECS_TASKS} cannot assume execution role ${s.executionRole.roleName} of ${where}: ${trust.sentence}`);
    const decisions = decideCalls(s, [...pullRequests(s), ...logRequests(s)]);
    const denied = decisions.filter((d) => !d.allowed);
    if (denied.length) {
      const actions = [...new Set(denied.map((d) => d.call.action))];
      const first = denied[0];
      return fail(
        `The session ECS creates with execution role ${s.executionRole.roleName} of ${where} is not allowed ${actions.join(', ')} (${first.call.action}${first.subnetId ? ` from subnet ${first.subnetId}` : ''}: ${first.because}).`,
      );
    }
    return pass(
      `${ECS_TASKS} can assume execution role ${s.executionRole.roleName} of ${where}, and its session is allowed the four ECR pull actions and the awslogs writes from every task subnet.`,
    );
  },
};
