import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { OrdersServiceSnapshot } from '../gather';

/** The orders API stores new orders: its write mode parameter, as it reads it live, is read-write. */
export const ordersApiAcceptsWrites: Criterion<OrdersServiceSnapshot> = {
  id: 'orders-api-accepts-writes',
  title: "The orders API's write mode parameter lets it store new orders",
  rationale:
    'The orders API reads its write mode from Parameter Store on every request; any value other than read-write makes it refuse new orders with HTTP 503.',
  references: ['https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-parameter-store.html'],
  evaluate(s) {
    const name = s.config.writeModeName;
    if (s.config.writeMode === undefined)
      return fail(`SSM parameter ${name} does not exist, so the orders API cannot read its write mode.`);
    if (s.config.writeMode !== 'read-write') {
      return fail(`SSM parameter ${name} is "${s.config.writeMode}", so the orders API refuses new orders (HTTP 503).`);
    }
    return pass(`SSM parameter ${name} is "read-write": the orders API stores new orders.`);
  },
};
