import type { Symptom } from '../../lib/scenario/types';
import type { TargetKind } from '../../lib/targets/target';
import { eventsOfLastUpdate, formatEvent } from '../../lib/engines/cfn/stack-events';
import { StackPolicyError } from '../../lib/engines/cfn/stack-policy';
import { RollbackLabSnapshot, releaseDecisions } from './gather';

const EMULATED =
  "moto has no update rollback of its own: these statuses and events come from breakfix's fidelity module (patch_cfn_update_rollback), " +
  "which runs CloudFormation's documented rollback against the emulator's real resources; the reasons are worded as AWS words them.";

const POLICY_DERIVED =
  'CloudFormation shows a stack policy refusal only when an update is submitted: breakfix reads the policy with GetStackPolicy ' +
  'and decides the waiting release against it as the "Prevent updates to stack resources" page documents.';

/**
 * Whether the waiting release would get past the stack policy, from the same
 * decisions the stack-policy-allows-release criterion makes: status and check
 * never disagree about whether the stack accepts the release.
 */
function releaseBlock(s: RollbackLabSnapshot): { summary: string; details: string[] } | undefined {
  try {
    const denied = releaseDecisions(s).filter((d) => !d.allowed);
    if (denied.length === 0) return undefined;
    return { summary: 'its stack policy would refuse the waiting release', details: denied.map((d) => d.sentence) };
  } catch (err) {
    if (!(err instanceof StackPolicyError)) throw err;
    return { summary: 'breakfix cannot read its stack policy', details: [`Stack policy: ${err.message}`] };
  }
}

/**
 * What the console's stack page shows: the status with CloudFormation's
 * reason, and the failed events of the last update (its rollback and any
 * continued rollback included), newest first; first, whether the stack
 * policy would refuse the waiting release.
 */
export function rollbackSymptom(s: RollbackLabSnapshot, target: TargetKind): Symptom {
  const emulated: Pick<Symptom, 'source' | 'derivation'> =
    target === 'moto' ? { source: 'derived', derivation: EMULATED } : { source: 'authentic' };
  if (!s.stack) return { ...emulated, summary: `Stack ${s.stackName} does not exist.`, details: [] };
  const block = releaseBlock(s);
  const origin: Pick<Symptom, 'source' | 'derivation'> = block
    ? { source: 'derived', derivation: [emulated.derivation, POLICY_DERIVED].filter(Boolean).join(' ') }
    : emulated;
  const status = `Stack ${s.stackName} is ${s.stack.status}${s.stack.statusReason ? `: ${s.stack.statusReason}` : ''}`;
  const summary = block ? `${status}; ${block.summary}` : status;
  const telling = eventsOfLastUpdate(s.events).filter((e) => e.status.endsWith('_FAILED') || (e.isStack && e.status.includes('ROLLBACK')));
  const details = [...(block?.details ?? []), ...telling.map(formatEvent)];
  if (telling.length === 0) details.push('No failed events since the last update.');
  return { ...origin, summary, details };
}
