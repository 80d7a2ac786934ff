import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { OrdersServiceSnapshot } from '../gather';

/** The function's own timeout exceeds the payment client's, so the API always gets to answer. */
export const functionOutlastsPaymentCall: Criterion<OrdersServiceSnapshot> = {
  id: 'function-outlasts-payment-call',
  title: "The orders API function's timeout exceeds the payment client timeout",
  rationale:
    'Lambda stops a function when its timeout is reached ("Task timed out"), whatever it is waiting for; a function that may wait on the payment provider longer than it may run fails checkout with HTTP 502 and never records the outcome.',
  references: ['https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html'],
  evaluate(s) {
    const fn = s.config.functionName;
    const timeout = s.config.functionTimeoutS;
    if (timeout === undefined) return fail(`Lambda function ${fn} does not exist.`);
    const clientMs = s.config.paymentTimeoutMs;
    if (clientMs === undefined || !Number.isFinite(clientMs)) {
      return fail(
        `Lambda function ${fn} has Timeout ${timeout} s, but SSM parameter ${s.config.paymentTimeoutName} gives no client timeout to compare.`,
      );
    }
    if (timeout * 1000 <= clientMs) {
      return fail(
        `Lambda function ${fn} has Timeout ${timeout} s, not more than the ${clientMs} ms payment client timeout (${s.config.paymentTimeoutName}): a slow payment ends in "Task timed out".`,
      );
    }
    return pass(`Lambda function ${fn} has Timeout ${timeout} s, more than the ${clientMs} ms payment client timeout.`);
  },
};
