import { Criterion, fail, pass } from '../../../checkers/criterion';
import { exposuresIn, type OrdersSnapshot } from '../gather';

export const passwordNotInStackOutputs: Criterion<OrdersSnapshot> = {
  id: 'password-not-in-stack-outputs',
  title: 'No stack output shows the database password',
  rationale: 'NoEcho does not mask outputs: DescribeStacks returns every output value in clear.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html',
  ],
  evaluate(s) {
    const found = exposuresIn(s.outputs, s.passwords);
    if (found.length > 0) return fail(`${found.join('; ')}.`);
    return pass(`None of the ${s.outputs.length} output(s) of stack ${s.stackName} shows the database password.`);
  },
};
