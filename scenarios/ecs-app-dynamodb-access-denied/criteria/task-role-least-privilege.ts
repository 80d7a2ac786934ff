import { Criterion, fail, notApplicable, pass } from '../../../checkers/criterion';
import { describeStatement } from '../../../lib/engines/iam';
import { leastPrivilegeFinding, routeNote } from '../access';
import type { OrdersAppSnapshot } from '../gather';

/**
 * Proved over the policies' own patterns and conditions (CheckAccessNotGranted), not by probing a few
 * requests: the task role's session may destroy or expose no table, do nothing but read the orders table,
 * touch no other table and call no other service, whatever Region, resource or request keys it picks.
 */
export const taskRoleLeastPrivilege: Criterion<OrdersAppSnapshot> = {
  id: 'task-role-least-privilege',
  title: 'The task role may do nothing beyond reading the orders table',
  rationale:
    "The task role's credentials are in every container of the service: a grant wider than reading the orders table (writes, deletes, TTL, resource policies, other tables, other services) makes the reads work and lets a compromised app do far more.",
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-custom-policy-checks.html',
    'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html',
  ],
  evaluate(s) {
    const role = s.taskRole?.policies;
    if (!role)
      return notApplicable(
        `The live task definition has no readable task role, so it grants nothing; live-task-definition-has-own-task-role decides.`,
      );
    const found = leastPrivilegeFinding(s, role);
    if (found) {
      const finding = found.check.findings[0];
      const w = finding.witness;
      const grant = finding.allowedBy.find((r) => r.effect === 'Allow' && r.policyType !== 'vpc-endpoint' && r.policyType !== 'scp');
      const by = grant ? describeStatement(grant) : finding.allowedBy.map(describeStatement).join(', ');
      const route = routeNote(s, found.path);
      return fail(
        `Task role ${role.roleArn} is allowed ${w.action} on ${w.resourceArn}${route} by ${by}: it ${found.meaning}, which the app never needs.`,
      );
    }
    return pass(
      `Task role ${role.roleArn} can, per a proof over its policies${s.tablePolicy ? ', the table policy' : ''} and the endpoint policies, only read table ${s.tableName}: no write, delete, TTL, backup or policy action on any table, no other table, no other service.`,
    );
  },
};
