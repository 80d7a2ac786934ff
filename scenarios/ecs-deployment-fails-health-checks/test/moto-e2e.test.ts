/**
 * End to end on the kit's moto, default variant (health-path): deploy ships
 * the release and arms the fault; valid remedies are accepted; shortcuts fail
 * with the criterion named; reset re-arms; destroy leaves nothing.
 */
import { checkScenario } from '../../../lib/ops/check';
import { useLab } from '../../../test/support/lab';
import { failing } from '../../../test/support/report';
import scenario from '..';

const lab = useLab(scenario, { variant: 'health-path' });

describe('armed', () => {
  test('the release fails the health check with a 404 and the health path differs; status derives ELB reason', async () => {
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report).sort()).toEqual(['health-check-targets-app-health-endpoint', 'release-tasks-pass-health-checks']);
    const symptom = await scenario.symptom(lab.ctx);
    expect(symptom.source).toBe('derived');
    expect(symptom.summary).toMatch(
      /^3 of 3 new tasks of .*-orders:2 unhealthy in arn:aws:elasticloadbalancing:.*: Target\.ResponseCodeMismatch \(Health checks failed with these codes: \[404\]\)$/,
    );
  });
});
