import { Criterion, fail, notApplicable, pass } from '../../../checkers/criterion';
import { FargatePullSnapshot } from '../gather';
import { describeOverGrant, executionRoleOverGrant } from '../access';

/** Granting `*` or `ecr:*` makes the pull work and the role dangerous. */
export const executionRoleLeastPrivilege: Criterion<FargatePullSnapshot> = {
  id: 'execution-role-least-privilege',
  title: 'The execution role is not granted more than pulling images and writing logs',
  rationale:
    "The execution role's credentials reach every task of the service; a broad grant there (ecr:*, *, IAM, or a repository policy granting the role more) makes the pull work at the price of letting anything that obtains them push or delete images, rewrite repository policies or reach other services.",
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-custom-policy-checks.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
  ],
  evaluate(s) {
    if (!s.executionRole) return notApplicable('The execution role could not be read; see execution-role-can-pull-image.');
    const check = executionRoleOverGrant(s);
    if (check.result === 'FAIL') {
      return fail(`Execution role ${s.executionRole.roleName} may do more than pull images and write logs: ${describeOverGrant(check)}.`);
    }
    return pass(
      `Execution role ${s.executionRole.roleName} (identity policies, boundary and repository policy together) grants nothing beyond pulling and reading ECR images and writing logs, proved over the policies' own patterns and conditions.`,
    );
  },
};
