import type { Symptom } from '../../lib/scenario/types';
import type { TargetKind } from '../../lib/targets/target';
import { eventsOfLastUpdate, formatEvent } from '../../lib/engines/cfn/stack-events';
import type { RollbackLabSnapshot } from './gather';

const EMULATED =
  "moto has no update rollback of its own: these statuses and events come from breakfix's fidelity module (patch_cfn_update_rollback), " +
  "which runs CloudFormation's documented rollback against the emulator's real resources; the reasons are worded as AWS words them.";

/**
 * What the console's stack page shows: the status with CloudFormation's
 * reason, and the failed events of the last update (its rollback and any
 * continued rollback included), newest first.
 */
export function rollbackSymptom(s: RollbackLabSnapshot, target: TargetKind): Symptom {
  const origin: Pick<Symptom, 'source' | 'derivation'> =
    target === 'moto' ? { source: 'derived', derivation: EMULATED } : { source: 'authentic' };
  if (!s.stack) return { ...origin, summary: `Stack ${s.stackName} does not exist.`, details: [] };
  const summary = `Stack ${s.stackName} is ${s.stack.status}${s.stack.statusReason ? `: ${s.stack.statusReason}` : ''}`;
  const telling = eventsOfLastUpdate(s.events).filter((e) => e.status.endsWith('_FAILED') || (e.isStack && e.status.includes('ROLLBACK')));
  const details = telling.map(formatEvent);
  if (details.length === 0) details.push('No failed events since the last update.');
  return { ...origin, summary, details };
}
