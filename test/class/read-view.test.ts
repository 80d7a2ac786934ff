/**
 * A round's read view, proved on documented shapes of AWS's responses (no
 * emulator): labs graded through one view read the account-wide collections
 * once between them, give the same verdicts as a check of each lab alone, and
 * still read per lab what has no account-wide read.
 */
import { checkScenario } from '../../lib/ops/check';
import { makeContext } from '../../lib/ops/context';
import { ReadView } from '../../lib/scenario/read-view';
import { AWS_TARGET, stubbedClients } from '../support/stub-clients';
import s3 from '../../scenarios/s3-delete-access-denied';
import { documentedResponder, scpWorld } from '../../scenarios/s3-delete-access-denied/test/documented-shapes';

const LEARNERS = ['ana', 'ben'];
const count = (calls: readonly string[]) => calls.reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>());

/** The scp variant's labs of every learner in one account, checked alone (a view each) or in one round (one shared view). */
async function gradeScpLabs(shared: boolean) {
  const calls: string[] = [];
  const clients = stubbedClients(AWS_TARGET, documentedResponder(scpWorld(), calls));
  const round = new ReadView(clients);
  const verdicts = [];
  for (const learner of LEARNERS) {
    const ctx = makeContext({ scenario: s3, target: AWS_TARGET, learner, variant: 'scp', clients, ...(shared ? { view: round } : {}) });
    const report = await checkScenario(s3, ctx);
    verdicts.push(report.criteria.map((c) => `${c.id}:${c.status}:${c.message}`));
  }
  clients.destroy();
  return { verdicts, calls: count(calls) };
}

describe('one read view per account and round', () => {
  it('labs in one round read IAM, the organization and its SCPs once, and each lab its own stack and bucket', async () => {
    const alone = await gradeScpLabs(false);
    const round = await gradeScpLabs(true);
    // The same verdicts, word for word, as when each lab is checked on its own.
    expect(round.verdicts).toEqual(alone.verdicts);
    expect(round.verdicts[0].some((v) => v.includes(':fail:'))).toBe(true); // the armed lab is graded not fixed
    const perLab = alone.calls.get('GetAccountAuthorizationDetailsCommand')! / LEARNERS.length;
    expect(perLab).toBeGreaterThanOrEqual(1);
    // Account-wide: once for the round, as often as for one lab checked alone.
    for (const op of [
      'GetAccountAuthorizationDetailsCommand',
      'DescribeOrganizationCommand',
      'ListParentsCommand',
      'ListPoliciesForTargetCommand',
      'DescribePolicyCommand',
    ]) {
      expect([op, round.calls.get(op)]).toEqual([op, alone.calls.get(op)! / LEARNERS.length]);
    }
    // Per lab: CloudFormation lists no stack's resources account-wide, and S3 has no account-wide read of bucket settings.
    for (const op of ['ListStackResourcesCommand', 'GetBucketPolicyCommand', 'GetBucketAclCommand', 'ListObjectsV2Command']) {
      expect([op, round.calls.get(op)]).toEqual([op, alone.calls.get(op)]);
    }
  });
});
