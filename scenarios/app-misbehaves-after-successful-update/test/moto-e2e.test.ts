/**
 * Variant orders-refused on the kit's moto: the incident's hand-made write
 * mode survives the release (moto, like CloudFormation, updates only the
 * resource whose template changed), and the lab is armed with exactly that.
 */
import { checkScenario } from '../../../lib/ops/check';
import { useLab } from '../../../test/support/lab';
import { criterion, failing } from '../../../test/support/report';
import scenario from '..';

const lab = useLab(scenario, { variant: 'orders-refused' });

describe('armed', () => {
  test('the write mode differs from the template and new orders are refused; the release updated the function only', async () => {
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['resources-match-template', 'orders-api-accepts-writes']);
    expect(criterion(report, 'resources-match-template').message).toMatch(
      /OrdersWriteModeParameter \/Value is read-only; the template has read-write\.$/,
    );
    const symptom = await scenario.symptom(lab.ctx);
    expect(symptom).toMatchObject({
      source: 'derived',
      summary: 'POST /orders → 503 {"message":"New orders are not being accepted right now"}',
    });
    expect(symptom.details).toContain(`CloudFormation: stack ${lab.ctx.stackName} is UPDATE_COMPLETE.`);
  });
});
