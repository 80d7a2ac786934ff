import type { Symptom } from '../../lib/scenario/types';
import { describeDrift } from '../../lib/engines/cfn/drift';
import type { OrdersServiceSnapshot } from './gather';
import { providerP99Ms, simulateApi } from './lab';

/**
 * What the orders API's callers and its logs show, and what CloudFormation
 * shows (a clean last update). The API's answers are derived from the live
 * configuration through the model of assets/orders-api.js, on every target:
 * breakfix does not invoke the function (emulators store it without running
 * it), so the label says so.
 */
export function ordersServiceSymptom(s: OrdersServiceSnapshot): Symptom {
  const outcomes = simulateApi(s.config, providerP99Ms(s.variant));
  const failing = outcomes.find((o) => !o.ok);
  const summary = failing
    ? `${failing.request} → ${failing.response}`
    : `${outcomes.map((o) => `${o.request} → ${o.response.split(' ')[0]}`).join('; ')}: the orders API answers normally.`;
  const details = [
    ...outcomes.flatMap((o) => [`${o.request} → ${o.response}`, ...o.log.map((line) => `  ${s.config.functionName} log: ${line}`)]),
    s.stack ? `CloudFormation: stack ${s.stackName} is ${s.stack.status}.` : `CloudFormation: no stack ${s.stackName}.`,
  ];
  return {
    source: 'derived',
    summary,
    details,
    derivation:
      "breakfix does not invoke the function: each answer is worked out from the function's live configuration (GetFunctionConfiguration) and the parameters it reads (GetParameter), the way its code uses them.",
    explanation: (s.drift?.resources ?? []).flatMap((r) => (r.status === 'MODIFIED' || r.status === 'DELETED' ? describeDrift(r) : [])),
  };
}
