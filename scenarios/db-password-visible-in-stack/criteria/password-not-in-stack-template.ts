import { Criterion, fail, pass } from '../../../checkers/criterion';
import { exposuresIn, type OrdersSnapshot } from '../gather';

export const passwordNotInStackTemplate: Criterion<OrdersSnapshot> = {
  id: 'password-not-in-stack-template',
  title: 'The stack template holds no database password',
  rationale:
    'GetTemplate returns the template as submitted to anyone allowed to read it, NoEcho or not: a password in a Default, a property or Metadata is in clear.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html',
  ],
  evaluate(s) {
    const found = exposuresIn([s.template], s.passwords);
    if (found.length > 0) return fail(`${found.join('; ')}.`);
    return pass(`The template of stack ${s.stackName} (GetTemplate) contains no database password.`);
  },
};
