import { Criterion, fail, pass } from '../../../checkers/criterion';
import { ORDERS } from '../lab';
import type { RollbackLabSnapshot } from '../gather';

export const ordersTableItemsIntact: Criterion<RollbackLabSnapshot> = {
  id: 'orders-table-items-intact',
  title: `The orders table still holds all ${ORDERS.length} production orders, unchanged`,
  rationale:
    'The orders are production data: a recovery that loses or alters them is worse than the stuck stack. The table is retained on delete, so it survives even a deleted stack, but not a deleted table.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html',
    'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html',
  ],
  evaluate(s) {
    const t = s.table;
    if (!t.exists) return fail(`DynamoDB table ${t.name} does not exist: the ${ORDERS.length} production orders are gone.`);
    const missing = t.orders.filter((o) => !o.present).map((o) => o.orderId);
    const altered = t.orders.filter((o) => o.present && !o.intact).map((o) => o.orderId);
    if (missing.length || altered.length) {
      const parts = [
        missing.length ? `lacks ${missing.join(', ')}` : '',
        altered.length ? `holds altered ${altered.join(', ')}` : '',
      ].filter(Boolean);
      return fail(`DynamoDB table ${t.name} ${parts.join(' and ')}.`);
    }
    return pass(`DynamoDB table ${t.name} holds all ${ORDERS.length} production orders unchanged.`);
  },
};
