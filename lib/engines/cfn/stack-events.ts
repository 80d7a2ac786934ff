import { CloudFormationClient, StackEvent, paginateDescribeStackEvents } from '@aws-sdk/client-cloudformation';
import { EnvironmentError } from '../../core/errors';
import { collectPages } from '../../core/paging';
import { pollUntil } from '../../core/poll';
import { StackState, describeStack, isBusy } from './stack-state';

/**
 * The reason CloudFormation writes on a resource that ContinueUpdateRollback
 * skipped (ResourcesToSkip or ForceRollback); its status becomes UPDATE_COMPLETE.
 */
export const SKIPPED_DURING_UPDATE_ROLLBACK = 'Resource skipped during UpdateRollback';

/** A stack event with only the fields breakfix reads. */
export interface StackEventView {
  readonly timestamp: Date;
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly resourceType: string;
  readonly status: string;
  readonly reason?: string;
  /** True for the stack's own events (ResourceType AWS::CloudFormation::Stack, logical ID = stack name). */
  readonly isStack: boolean;
}

export function toEventView(e: StackEvent): StackEventView {
  return {
    timestamp: e.Timestamp ?? new Date(0),
    logicalId: e.LogicalResourceId ?? '',
    physicalId: e.PhysicalResourceId || undefined,
    resourceType: e.ResourceType ?? '',
    status: e.ResourceStatus ?? '',
    reason: e.ResourceStatusReason || undefined,
    isStack: e.ResourceType === 'AWS::CloudFormation::Stack' && e.LogicalResourceId === e.StackName,
  };
}

/** Every event of a stack, newest first as CloudFormation returns them. */
export async function listStackEvents(cfn: CloudFormationClient, stackNameOrId: string): Promise<StackEventView[]> {
  const events = await collectPages(paginateDescribeStackEvents({ client: cfn }, { StackName: stackNameOrId }), (p) => p.StackEvents);
  return events.map(toEventView);
}

/**
 * The events since the most recent stack update began (its UPDATE_IN_PROGRESS
 * stack event), newest first; ContinueUpdateRollback attempts belong to that
 * update. Empty when the stack was never updated.
 */
export function eventsOfLastUpdate(events: readonly StackEventView[]): StackEventView[] {
  const start = events.findIndex((e) => e.isStack && e.status === 'UPDATE_IN_PROGRESS');
  return start < 0 ? [] : events.slice(0, start + 1);
}

/** Resources the rollback skipped, newest first, one entry per logical ID. */
export function skippedDuringRollback(events: readonly StackEventView[]): StackEventView[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    if (e.isStack || e.status !== 'UPDATE_COMPLETE' || e.reason !== SKIPPED_DURING_UPDATE_ROLLBACK || seen.has(e.logicalId)) return false;
    seen.add(e.logicalId);
    return true;
  });
}

/** One line, as the console's Events tab shows it. */
export function formatEvent(e: StackEventView): string {
  const parts = [e.timestamp.toISOString(), e.logicalId, e.resourceType, e.status];
  if (e.reason) parts.push(e.reason);
  return parts.join('  ');
}

/**
 * Polls until the stack is no longer *_IN_PROGRESS; resolves with its state,
 * or undefined when it is gone. Rejects when `timeoutMs` passes first.
 */
export async function waitForStackToSettle(
  cfn: CloudFormationClient,
  stackNameOrId: string,
  opts: { pollMs: number; timeoutMs: number; progress?: (m: string) => void },
): Promise<StackState | undefined> {
  let last = '';
  return pollUntil(
    async () => {
      const state = await describeStack(cfn, stackNameOrId);
      if (state && isBusy(state.status) && state.status !== last) opts.progress?.(`${state.stackName}: ${state.status}`);
      last = state?.status ?? '';
      return state;
    },
    (state) => !state || !isBusy(state.status),
    {
      pollMs: opts.pollMs,
      timeoutMs: opts.timeoutMs,
      timedOut: (state) =>
        new EnvironmentError(
          'wait-timed-out',
          `Stack ${stackNameOrId} was still ${state?.status} after ${Math.round(opts.timeoutMs / 1000)}s.`,
        ),
    },
  );
}
