import type { Symptom } from '../../lib/scenario/types';
import { eventsOfLastUpdate, formatEvent } from '../../lib/engines/cfn/stack-events';
import type { RollbackLabSnapshot } from './gather';

/**
 * What the console's stack page shows: the status with CloudFormation's
 * reason, and the failed events of the last update (its rollback and any
 * continued rollback included), newest first.
 */
export function rollbackSymptom(s: RollbackLabSnapshot): Symptom {
  if (!s.stack) return { source: 'authentic', summary: `Stack ${s.stackName} does not exist.`, details: [] };
  const summary = `Stack ${s.stackName} is ${s.stack.status}${s.stack.statusReason ? `: ${s.stack.statusReason}` : ''}`;
  const telling = eventsOfLastUpdate(s.events).filter((e) => e.status.endsWith('_FAILED') || (e.isStack && e.status.includes('ROLLBACK')));
  const details = telling.map(formatEvent);
  if (details.length === 0) details.push('No failed events since the last update.');
  return { source: 'authentic', summary, details };
}
