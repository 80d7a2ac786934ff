import { Criterion, fail, pass } from '../../../checkers/criterion';
import { exposuresIn, type OrdersSnapshot } from '../gather';

export const passwordNotInStackParameters: Criterion<OrdersSnapshot> = {
  id: 'password-not-in-stack-parameters',
  title: 'No stack parameter shows the database password',
  rationale:
    'Anyone allowed cloudformation:DescribeStacks reads parameter values that are not NoEcho, in the Parameters tab of the console and the API.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds',
  ],
  evaluate(s) {
    const found = exposuresIn(s.parameters, s.passwords);
    if (found.length > 0) return fail(`${found.join('; ')}.`);
    return pass(`DescribeStacks for stack ${s.stackName} shows the database password in none of its ${s.parameters.length} parameter(s).`);
  },
};
