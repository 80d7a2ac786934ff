import { Criterion, fail, notApplicable, pass } from '../../../checkers/criterion';
import { RollbackLabSnapshot, releaseDecisions } from '../gather';

/**
 * The stack accepts the waiting release only if its stack policy lets every
 * change of that release through: once a policy is set, every update it does
 * not explicitly allow is denied, and a Deny overrides any Allow.
 */
export const stackPolicyAllowsRelease: Criterion<RollbackLabSnapshot> = {
  id: 'stack-policy-allows-release',
  title: "The stack policy lets the waiting release's changes through",
  rationale:
    'A stack policy applies to every stack update: once one is set, any update it does not explicitly allow is denied, so a policy meant to guard one resource can block the release for every other. The stack is not accepting updates if the next release cannot ship.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetStackPolicy.html',
  ],
  evaluate(s) {
    if (!s.stack) return notApplicable(`CloudFormation has no stack ${s.stackName}, so it has no stack policy.`);
    const decisions = releaseDecisions(s);
    const denied = decisions.filter((d) => !d.allowed);
    if (denied.length > 0) return fail(`Stack ${s.stackName} would refuse the waiting release: ${denied.map((d) => d.sentence).join(' ')}`);
    return pass(`Stack ${s.stackName} lets the waiting release through: ${decisions.map((d) => d.sentence).join(' ')}`);
  },
};
