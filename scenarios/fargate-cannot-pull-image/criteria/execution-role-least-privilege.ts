import { Criterion, fail, notApplicable, pass } from '../../../checkers/criterion';
import { FargatePullSnapshot } from '../gather';
import { asExecutionRole, overreachRequests } from '../access';

/** Granting `*` or `ecr:*` makes the pull work and the role dangerous. */
export const executionRoleLeastPrivilege: Criterion<FargatePullSnapshot> = {
  id: 'execution-role-least-privilege',
  title: 'The execution role is not granted more than pulling images and writing logs',
  rationale:
    "The execution role's credentials reach every task of the service; a broad grant there (ecr:*, *, IAM) makes the pull work at the price of letting anything that obtains them push images or change IAM.",
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
  ],
  evaluate(s) {
    if (!s.executionRole) return notApplicable('The execution role could not be read; see execution-role-can-pull-image.');
    const allowed = overreachRequests(s).filter((req) => asExecutionRole(s, req).decision === 'Allowed');
    if (allowed.length) {
      const by = asExecutionRole(s, allowed[0]).decidingStatements[0];
      const where = by
        ? ` (${by.policyKind ?? by.policyType} ${by.policyName}${by.sid ? ` statement ${by.sid}` : ` statement #${by.index}`})`
        : '';
      return fail(
        `Execution role ${s.executionRole.roleName} is also allowed ${allowed.map((r) => `${r.action} on ${r.resource}`).join(', ')}${where}.`,
      );
    }
    return pass(
      `Execution role ${s.executionRole.roleName} is not allowed image pushes, repository deletion, IAM, S3 or DynamoDB actions.`,
    );
  },
};
