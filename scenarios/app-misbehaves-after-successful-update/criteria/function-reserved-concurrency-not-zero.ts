import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { OrdersServiceSnapshot } from '../gather';

/** The orders API function is not throttled to nothing: its reserved concurrency, if any, is above 0. */
export const functionReservedConcurrencyNotZero: Criterion<OrdersServiceSnapshot> = {
  id: 'function-reserved-concurrency-not-zero',
  title: 'The orders API function may run (its reserved concurrency is not 0)',
  rationale:
    'A reserved concurrency of 0 stops a function from running: Lambda throttles every invocation (TooManyRequestsException, HTTP 429 to the caller) until the reservation is raised or removed.',
  references: ['https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html'],
  evaluate(s) {
    const r = s.runtime;
    if (!r) return fail(`Lambda function ${s.config.functionName} does not exist.`);
    if (r.reservedConcurrency === 0) {
      return fail(
        `Lambda function ${s.config.functionName} has ReservedConcurrentExecutions 0 (GetFunctionConcurrency): every invocation is throttled.`,
      );
    }
    if (r.reservedConcurrency === undefined)
      return pass(`Lambda function ${s.config.functionName} reserves no concurrency: it runs on the account's unreserved concurrency.`);
    return pass(`Lambda function ${s.config.functionName} has ReservedConcurrentExecutions ${r.reservedConcurrency}.`);
  },
};
