import { Criterion, fail, notApplicable, pass } from '../../../checkers/criterion';
import { decideAs, decidedBy, otherTableArn } from '../access';
import type { OrdersAppSnapshot } from '../gather';

/** Requests the app never makes; an Allow for any of them is wider than reading the orders table. */
function probes(s: OrdersAppSnapshot): [string, string, string][] {
  const other = otherTableArn(s);
  return [
    ['dynamodb:GetItem', other, 'reads another table'],
    ['dynamodb:Query', other, 'reads another table'],
    ['dynamodb:Scan', other, 'reads another table'],
    ['dynamodb:PutItem', s.tableArn, 'writes the orders table'],
    ['dynamodb:UpdateItem', s.tableArn, 'writes the orders table'],
    ['dynamodb:DeleteItem', s.tableArn, 'writes the orders table'],
    ['dynamodb:BatchWriteItem', s.tableArn, 'writes the orders table'],
    ['dynamodb:DeleteTable', s.tableArn, 'administers the orders table'],
    ['dynamodb:UpdateTable', s.tableArn, 'administers the orders table'],
    ['dynamodb:CreateTable', other, 'creates tables'],
    ['s3:GetObject', `arn:${s.partition}:s3:::any-bucket/any-key`, 'reaches beyond DynamoDB'],
    ['iam:PassRole', `arn:${s.partition}:iam::${s.account}:role/any-role`, 'reaches beyond DynamoDB'],
    ['ec2:RunInstances', '*', 'reaches beyond DynamoDB'],
  ];
}

/** No dynamodb:* or * grants, and no access to any other table. */
export const taskRoleLeastPrivilege: Criterion<OrdersAppSnapshot> = {
  id: 'task-role-least-privilege',
  title: 'The task role may do nothing beyond reading the orders table',
  rationale:
    "The task role's credentials are in every container of the service: dynamodb:*, * or access to other tables makes the reads work and lets a compromised app write, delete or read far more.",
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/using-identity-based-policies.html',
  ],
  evaluate(s) {
    const role = s.taskRole?.policies;
    if (!role)
      return notApplicable(
        `The live task definition has no readable task role, so it grants nothing; live-task-definition-has-own-task-role decides.`,
      );
    for (const [action, resourceArn, meaning] of probes(s)) {
      const result = decideAs(s, role, action, resourceArn);
      if (result.decision === 'Allowed') {
        return fail(
          `Task role ${role.roleArn} is allowed ${action} on ${resourceArn} by ${decidedBy(result)}: it ${meaning}, which the app never does.`,
        );
      }
    }
    return pass(
      `Task role ${role.roleArn} may not write or administer table ${s.tableName}, read another table (probed with ${otherTableArn(s)}) or act outside DynamoDB.`,
    );
  },
};
