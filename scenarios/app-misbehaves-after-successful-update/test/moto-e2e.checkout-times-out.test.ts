/**
 * Variant checkout-times-out on the kit's moto: the release's update of the
 * function gave it the template's timeout back, while the hand-raised payment
 * client timeout survived.
 */
import { checkScenario } from '../../../lib/ops/check';
import { useLab } from '../../../test/support/lab';
import { criterion, failing } from '../../../test/support/report';
import scenario from '..';

const lab = useLab(scenario, { variant: 'checkout-times-out' });

describe('armed', () => {
  test('the payment client timeout differs from the template and outlasts the function, whose timeout the release reset', async () => {
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['resources-match-template', 'function-outlasts-payment-call']);
    expect(criterion(report, 'resources-match-template').message).toMatch(
      /PaymentClientTimeoutParameter \/Value is 12000; the template has 2000\.$/,
    );
    expect(criterion(report, 'function-outlasts-payment-call').message).toMatch(/has Timeout 5 s, not more than the 12000 ms/);
    expect((await scenario.symptom(lab.ctx)).summary).toBe(
      'POST /orders/ord-2003/checkout → 502 {"message":"Internal server error"}; Lambda: Task timed out after 5.00 seconds',
    );
  });
});
