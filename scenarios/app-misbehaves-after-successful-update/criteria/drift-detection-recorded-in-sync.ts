import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { OrdersServiceSnapshot } from '../gather';

/**
 * Advice: CloudFormation's own last drift detection. The verdict never rests
 * on it (resources-match-template computes drift itself); it tells the team
 * whether the stack's recorded drift status is current.
 */
export const driftDetectionRecordedInSync: Criterion<OrdersServiceSnapshot> = {
  id: 'drift-detection-recorded-in-sync',
  kind: 'advice',
  title: "CloudFormation's last drift detection on the orders stack recorded IN_SYNC",
  rationale:
    'DetectStackDrift records its result on the stack (DriftInformation), where the team and any drift alarm see it; a stale or missing result leaves the next person to assume the stack describes reality.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/detect-drift-stack.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackDriftInformation.html',
  ],
  evaluate(s) {
    if (!s.stack) return fail(`CloudFormation has no stack ${s.stackName}.`);
    const status = s.stack.driftStatus;
    if (status === 'IN_SYNC')
      return pass(`Stack ${s.stackName}: last drift detection (${s.stack.lastDriftCheck ?? 'time not given'}) recorded IN_SYNC.`);
    if (!status || status === 'NOT_CHECKED') {
      return fail(
        `Stack ${s.stackName} has no drift detection result recorded.`,
        `Run \`aws cloudformation detect-stack-drift --stack-name ${s.stackName}\` once the stack and its resources agree, so the recorded status is current.`,
      );
    }
    return fail(
      `Stack ${s.stackName}: last drift detection (${s.stack.lastDriftCheck ?? 'time not given'}) recorded ${status}.`,
      `Run \`aws cloudformation detect-stack-drift --stack-name ${s.stackName}\` again after reconciling, so the recorded status is current.`,
    );
  },
};
