import { Criterion, fail, pass } from '../../../checkers/criterion';
import { exposuresIn, type OrdersSnapshot } from '../gather';

export const passwordNotInTags: Criterion<OrdersSnapshot> = {
  id: 'password-not-in-tags',
  title: 'No tag of the stack, the database or the function holds the database password',
  rationale: 'Tags are metadata, readable by anyone with list or describe access and copied into billing reports.',
  references: ['https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html'],
  evaluate(s) {
    const found = exposuresIn(s.tags, s.passwords);
    if (found.length > 0) return fail(`${found.join('; ')}.`);
    return pass(`No tag of stack ${s.stackName}, DB instance ${s.db.identifier} or function ${s.app.name} holds the database password.`);
  },
};
