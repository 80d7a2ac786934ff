import { Criterion, fail, pass } from '../../../checkers/criterion';
import { TABLE_WRITES, decideTableWrite, decidedBy, describeDecision, scpCaveat } from '../access';
import type { OrdersServiceSnapshot } from '../gather';

/** The execution role's session may PutItem and UpdateItem on the orders table, counting the table's resource policy. */
export const functionRoleCanWriteOrders: Criterion<OrdersServiceSnapshot> = {
  id: 'function-role-can-write-orders',
  title: 'The orders API function may store and update orders in its table',
  rationale:
    "DynamoDB decides the function's PutItem (a new order) and UpdateItem (a paid checkout) on the execution role's session: identity policies, permissions boundary, SCPs and the table's resource policy all count, and an explicit Deny in any of them wins.",
  references: [
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/using-identity-based-policies.html',
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  ],
  evaluate(s) {
    const r = s.runtime;
    if (!r) return fail(`Lambda function ${s.config.functionName} does not exist.`);
    if (!r.role) return fail(`Execution role ${r.roleArn} of Lambda function ${s.config.functionName} could not be read: ${r.roleError}.`);
    const grants: string[] = [];
    for (const action of TABLE_WRITES) {
      const result = decideTableWrite(r, action);
      if (result.decision !== 'Allowed') {
        return fail(
          `Execution role ${r.roleArn} of Lambda function ${s.config.functionName} may not ${action} table ${r.tableArn}: ${describeDecision(result)}.`,
        );
      }
      grants.push(`${action} (${decidedBy(result)})`);
    }
    return pass(`Per the IAM engine, execution role ${r.roleArn} may ${grants.join(' and ')} on table ${r.tableArn}.${scpCaveat(r)}`);
  },
};
