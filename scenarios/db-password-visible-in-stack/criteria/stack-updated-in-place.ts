import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { OrdersSnapshot } from '../gather';

/** The fix kept the stack and the database: same StackId, same DB instance resource ID as breakfix deployed. */
export const stackUpdatedInPlace: Criterion<OrdersSnapshot> = {
  id: 'stack-updated-in-place',
  title: 'The orders stack and its database are the ones deployed, updated in place',
  rationale:
    'Deleting and recreating the stack gives a new StackId and a new, empty database: the orders data and the app are lost for the time it takes, and the old events go with no audit trail.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-rds-database-instance.html',
  ],
  evaluate(s) {
    if (!s.record)
      return fail(
        `breakfix's record of the deployed lab (Parameter Store) is missing, so stack ${s.stackName} cannot be shown to be the one deployed.`,
      );
    if (s.record.stackId !== s.stackId)
      return fail(`Stack ${s.stackName} is ${s.stackId}, not ${s.record.stackId} as deployed: it was deleted and created again.`);
    if (s.record.dbiResourceId !== s.db.dbiResourceId)
      return fail(
        `DB instance ${s.db.identifier} has resource ID ${s.db.dbiResourceId}, not ${s.record.dbiResourceId} as deployed: the database was replaced.`,
      );
    return pass(`Stack ${s.stackId} and DB instance ${s.db.identifier} (${s.db.dbiResourceId}) are the ones deployed.`);
  },
};
