import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { OrdersServiceSnapshot } from '../gather';
import { providerP99Ms } from '../lab';

/** The payment client's timeout covers the provider's slowest answers. */
export const paymentClientWaitsForProvider: Criterion<OrdersServiceSnapshot> = {
  id: 'payment-client-waits-for-provider',
  title: "The payment client timeout parameter covers the payment provider's slowest answers",
  rationale:
    'A client timeout shorter than the provider takes to answer aborts payments the provider would have accepted: the customer sees a failure while the charge may still go through.',
  references: ['https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-parameter-store.html'],
  evaluate(s) {
    const name = s.config.paymentTimeoutName;
    const p99 = providerP99Ms(s.variant);
    const ms = s.config.paymentTimeoutMs;
    if (ms === undefined) return fail(`SSM parameter ${name} does not exist, so the orders API has no payment client timeout.`);
    if (!Number.isFinite(ms)) return fail(`SSM parameter ${name} is not a number of milliseconds.`);
    if (ms < p99) {
      return fail(
        `SSM parameter ${name} is ${ms} ms; the payment provider takes up to ${p99} ms, so slower payments are aborted (HTTP 504).`,
      );
    }
    return pass(`SSM parameter ${name} is ${ms} ms, covering the payment provider's ${p99} ms.`);
  },
};
