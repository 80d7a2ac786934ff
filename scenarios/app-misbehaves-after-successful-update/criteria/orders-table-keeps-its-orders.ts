import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { OrdersServiceSnapshot } from '../gather';

/** Reconciling the stack must not cost the orders already taken. */
export const ordersTableKeepsItsOrders: Criterion<OrdersServiceSnapshot> = {
  id: 'orders-table-keeps-its-orders',
  title: 'The orders table still holds every order it held when the lab was armed',
  rationale:
    'Replacing the table (deleting and recreating the stack or the resource, or importing a copy) clears drift at the price of the orders it held; a reconciliation keeps the data.',
  references: ['https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html'],
  evaluate(s) {
    const missing = s.table.orders.filter((o) => !o.present).map((o) => o.orderId);
    const changed = s.table.orders.filter((o) => o.present && !o.intact).map((o) => o.orderId);
    if (missing.length || changed.length) {
      const parts = [missing.length ? `missing ${missing.join(', ')}` : '', changed.length ? `changed ${changed.join(', ')}` : ''].filter(
        Boolean,
      );
      return fail(
        `DynamoDB table ${s.table.name}: ${parts.join('; ')} of the ${s.table.orders.length} orders taken before the lab was armed.`,
      );
    }
    return pass(`DynamoDB table ${s.table.name} holds all ${s.table.orders.length} orders taken before the lab was armed.`);
  },
};
