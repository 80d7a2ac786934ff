import { Criterion, fail, notApplicable, pass } from '../../../checkers/criterion';
import { FargatePullSnapshot } from '../gather';
import { asExecutionRole, overreachRequests } from '../execution-role-access';

/** Granting `*` or `ecr:*` makes the pull work and the role dangerous. */
export const executionRoleLeastPrivilege: Criterion<FargatePullSnapshot> = {
  id: 'execution-role-least-privilege',
  title: 'The execution role is not granted more than pulling images and writing logs',
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
