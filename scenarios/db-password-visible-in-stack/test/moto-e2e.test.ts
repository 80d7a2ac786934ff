/**
 * End to end on the kit's moto, variant plain-parameter: deploy arms the
 * fault (the exposed password visible where AWS shows it, the checker says
 * not fixed).
 */
import { checkScenario } from '../../../lib/ops/check';
import { useLab } from '../../../test/support/lab';
import { failing } from '../../../test/support/report';
import scenario from '..';
import { ARMED_FAILING } from '../arm';
import { VARIANTS } from '../lab';

const lab = useLab(scenario, { variant: VARIANTS.plain });

describe('armed', () => {
  test('the exposed password shows in the parameters, the template and the environment, and the database takes it', async () => {
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report).sort()).toEqual([...ARMED_FAILING[VARIANTS.plain]].sort());
    expect((await scenario.verifyArmed(lab.ctx)).armed).toBe(true);
    const symptom = await scenario.symptom(lab.ctx);
    expect(symptom.details).toEqual(
      expect.arrayContaining([
        'Stack parameter DbPassword (DescribeStacks) shows the exposed database password',
        'The stack template (GetTemplate) shows the exposed database password',
      ]),
    );
    expect(JSON.stringify(report)).not.toContain('OrdersLaunch-2024!');
  });
});
