/**
 * The facts of this lab that the stack, the arming step, the checker and the
 * symptom share: names, the orders the learner must not lose, the incident's
 * hand-made changes, the release, and the small model of the orders API that
 * turns live configuration into what its callers see.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** Variant IDs (scenario.json). */
export const ORDERS_REFUSED = 'orders-refused';
export const CHECKOUT_TIMES_OUT = 'checkout-times-out';

/** Stable logical IDs, so drift output and the learner's edits name the same resources. */
export const FUNCTION_LOGICAL_ID = 'OrdersApiFunction';
export const WRITE_MODE_LOGICAL_ID = 'OrdersWriteModeParameter';
export const PAYMENT_TIMEOUT_LOGICAL_ID = 'PaymentClientTimeoutParameter';
export const TABLE_LOGICAL_ID = 'OrdersTable';
export const LOG_GROUP_LOGICAL_ID = 'OrdersApiLogGroup';

export const functionName = (stackName: string): string => `${stackName}-orders-api`;
export const tableName = (stackName: string): string => `${stackName}-orders`;
export const logGroupName = (stackName: string): string => `/aws/lambda/${functionName(stackName)}`;
export const writeModeParameter = (stackName: string): string => `/${stackName}/orders/write-mode`;
export const paymentTimeoutParameter = (stackName: string): string => `/${stackName}/payments/client-timeout-ms`;

/** The template's configuration (stack.ts). */
export const TEMPLATE_WRITE_MODE = 'read-write';
export const TEMPLATE_WRITE_MODE_DESCRIPTION = 'Whether the orders API accepts new orders: read-write or read-only';
export const TEMPLATE_PAYMENT_TIMEOUT_DESCRIPTION = 'How long the orders API waits for the payment provider, in milliseconds';
export const TEMPLATE_PAYMENT_TIMEOUT_MS = 2000;
export const TEMPLATE_FUNCTION_TIMEOUT_S = 5;
export const LOG_RETENTION_DAYS = 14;

/**
 * The payment provider's slowest answers (p99), per variant. In the checkout
 * story the provider moved to a new region and got slower, a fact the
 * template predates; in the other it answers as it always did.
 */
export const PROVIDER_P99_MS: Readonly<Record<string, number>> = { [ORDERS_REFUSED]: 1200, [CHECKOUT_TIMES_OUT]: 8000 };
export const providerP99Ms = (variant: string): number => PROVIDER_P99_MS[variant] ?? PROVIDER_P99_MS[ORDERS_REFUSED];

/** What the on-call engineer changed by hand during the incident, per variant. */
export const INCIDENT = {
  /** Writes were switched off to stop a runaway writer, and never switched back. */
  [ORDERS_REFUSED]: { writeMode: 'read-only' },
  /** The payment client was given longer to wait for the slower provider, and the function longer to run. */
  [CHECKOUT_TIMES_OUT]: { paymentTimeoutMs: 12000, functionTimeoutS: 20 },
} as const;

/** The release shipped after the incident: one new environment variable on the function, nothing else. */
export const RELEASE_VARIABLE = { name: 'LOG_LEVEL', value: 'info' } as const;

export interface Order {
  readonly orderId: string;
  readonly customer: string;
  readonly totalCents: number;
  readonly status: string;
}

/** Orders already in the table: seeded at deploy, and they must still be there at check. */
export const ORDERS: readonly Order[] = [
  { orderId: 'ord-2001', customer: 'Ada Lovelace', totalCents: 4250, status: 'PAID' },
  { orderId: 'ord-2002', customer: 'Grace Hopper', totalCents: 1999, status: 'SHIPPED' },
  { orderId: 'ord-2003', customer: 'Katherine Johnson', totalCents: 12000, status: 'PENDING' },
];

export function orderItem(o: Order): Record<string, AttributeValue> {
  return { orderId: { S: o.orderId }, customer: { S: o.customer }, totalCents: { N: String(o.totalCents) }, status: { S: o.status } };
}

/** True when a stored item still holds every attribute of the seeded order. */
export function itemMatches(o: Order, item: Record<string, AttributeValue> | undefined): boolean {
  if (!item) return false;
  return (
    item.orderId?.S === o.orderId &&
    item.customer?.S === o.customer &&
    Number(item.totalCents?.N) === o.totalCents &&
    item.status?.S === o.status
  );
}

/** The live configuration the orders API runs with. */
export interface ApiConfig {
  readonly writeMode?: string;
  readonly paymentTimeoutMs?: number;
  readonly functionTimeoutS?: number;
}

/** One request to the orders API as its callers see it. */
export interface ApiOutcome {
  readonly request: string;
  readonly ok: boolean;
  /** The response or the Lambda error line, in the service's words. */
  readonly response: string;
  /** The function's own log lines for that request. */
  readonly log: string[];
}

/**
 * What assets/orders-api.js does with this configuration, for targets that
 * store the function without running it: POST /orders reads the write mode;
 * checkout calls the payment provider (answering in `providerMs` at worst)
 * with the client timeout, inside the function's own timeout.
 */
export function simulateApi(config: ApiConfig, providerMs: number): ApiOutcome[] {
  const create: ApiOutcome =
    config.writeMode === 'read-write'
      ? { request: 'POST /orders', ok: true, response: '201 {"orderId":"ord-2004"}', log: ['INFO order ord-2004 stored'] }
      : {
          request: 'POST /orders',
          ok: false,
          response: '503 {"message":"New orders are not being accepted right now"}',
          log: [`WARN order writes disabled by configuration (write mode ${config.writeMode ?? 'missing'})`],
        };
  const clientMs = config.paymentTimeoutMs ?? 0;
  const functionMs = (config.functionTimeoutS ?? 3) * 1000;
  const started = `INFO payment call started (client timeout ${clientMs} ms)`;
  let checkout: ApiOutcome;
  if (functionMs <= Math.min(clientMs, providerMs)) {
    checkout = {
      request: 'POST /orders/ord-2003/checkout',
      ok: false,
      response: `502 {"message":"Internal server error"}; Lambda: Task timed out after ${(functionMs / 1000).toFixed(2)} seconds`,
      log: [started, `REPORT Duration: ${functionMs.toFixed(2)} ms Status: timeout`],
    };
  } else if (clientMs < providerMs) {
    checkout = {
      request: 'POST /orders/ord-2003/checkout',
      ok: false,
      response: '504 {"message":"Payment provider did not answer in time"}',
      log: [started, `ERROR payment call aborted after ${clientMs} ms`],
    };
  } else {
    checkout = {
      request: 'POST /orders/ord-2003/checkout',
      ok: true,
      response: '200 {"orderId":"ord-2003","status":"PAID"}',
      log: [started, `INFO payment confirmed after ${providerMs} ms`],
    };
  }
  return [create, checkout];
}
