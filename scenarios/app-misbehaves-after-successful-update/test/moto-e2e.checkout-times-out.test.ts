/**
 * Variant checkout-times-out on the kit's moto: the release's update of the
 * function gave it the template's timeout back, while the hand-raised payment
 * client timeout survived. Valid remedies codify the incident's values (or
 * other working ones) in the template; shortcuts fail with the criterion named.
 */
import { LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkScenario } from '../../../lib/ops/check';
import { awsCli, useLab } from '../../../test/support/lab';
import { criterion, failing } from '../../../test/support/report';
import scenario from '..';
import { functionName, paymentTimeoutParameter } from '../lab';
import { ArmedState, captureArmed, editedTemplate, restoreArmed, updateStack } from './helpers';

const lab = useLab(scenario, { variant: 'checkout-times-out' });
let armed: ArmedState;

beforeAll(async () => {
  armed = await captureArmed(lab.ctx);
});

const codify = (clientMs: string, timeoutS: number) =>
  editedTemplate(lab.ctx, (t) => {
    t.Resources.PaymentClientTimeoutParameter.Properties.Value = clientMs;
    t.Resources.OrdersApiFunction.Properties.Timeout = timeoutS;
  });
const setFunctionTimeout = (Timeout: number) =>
  lab.ctx.clients
    .client(LambdaClient)
    .send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName(lab.ctx.stackName), Timeout }));

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

describe('valid remedies', () => {
  afterEach(async () => {
    await restoreArmed(lab.ctx, armed);
  });

  test("the incident's values codified with the aws CLI (get-template, edit, update-stack)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amasu-'));
    writeFileSync(join(dir, 'fixed.json'), await codify('12000', 20));
    await awsCli(lab.endpoint, [
      'cloudformation',
      'update-stack',
      '--stack-name',
      lab.ctx.stackName,
      '--template-body',
      `file://${join(dir, 'fixed.json')}`,
    ]);
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
  });

  test('other working values codified with the SDK: 10000 ms and 15 s', async () => {
    expect(await updateStack(lab.ctx, await codify('10000', 15))).toBe('UPDATE_COMPLETE');
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
  });

  test('the smallest values that work: 8000 ms and 9 s', async () => {
    expect(await updateStack(lab.ctx, await codify('8000', 9))).toBe('UPDATE_COMPLETE');
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
  });

  test('the function timeout raised by hand first, then both codified', async () => {
    await setFunctionTimeout(20);
    expect(await updateStack(lab.ctx, await codify('12000', 20))).toBe('UPDATE_COMPLETE');
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
  });

  test('codified, then drift detection recorded IN_SYNC: no advice either', async () => {
    expect(await updateStack(lab.ctx, await codify('12000', 20))).toBe('UPDATE_COMPLETE');
    await awsCli(lab.endpoint, ['cloudformation', 'detect-stack-drift', '--stack-name', lab.ctx.stackName]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('fixed');
    expect(criterion(report, 'drift-detection-recorded-in-sync').status).toBe('pass');
  });
});

describe('shortcuts are rejected', () => {
  afterEach(async () => {
    await restoreArmed(lab.ctx, armed);
  });

  test('drift detected and nothing else', async () => {
    await awsCli(lab.endpoint, ['cloudformation', 'detect-stack-drift', '--stack-name', lab.ctx.stackName]);
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['resources-match-template', 'function-outlasts-payment-call']);
  });

  test("the parameter reverted to the template's 2000 ms: in sync, slow payments aborted", async () => {
    await lab.ctx.clients
      .client(SSMClient)
      .send(new PutParameterCommand({ Name: paymentTimeoutParameter(lab.ctx.stackName), Value: '2000', Overwrite: true, Type: 'String' }));
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['payment-client-waits-for-provider']);
  });

  test('the function timeout raised by hand only: the app works, the drift stays', async () => {
    await setFunctionTimeout(20);
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['resources-match-template']);
  });

  test('only the parameter codified: the broken state in sync', async () => {
    expect(await updateStack(lab.ctx, await codify('12000', 5))).toBe('UPDATE_COMPLETE');
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['function-outlasts-payment-call']);
  });

  test('the function timeout codified equal to the client timeout (12 s, 12000 ms)', async () => {
    expect(await updateStack(lab.ctx, await codify('12000', 12))).toBe('UPDATE_COMPLETE');
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['function-outlasts-payment-call']);
  });

  test('codified, but the function timeout set by hand afterwards to a value the template does not have', async () => {
    expect(await updateStack(lab.ctx, await codify('12000', 20))).toBe('UPDATE_COMPLETE');
    await setFunctionTimeout(30);
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['resources-match-template']);
  });

  test('codified values that cannot cover the provider (6000 ms, 7 s)', async () => {
    expect(await updateStack(lab.ctx, await codify('6000', 7))).toBe('UPDATE_COMPLETE');
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['payment-client-waits-for-provider']);
  });

  test('a non-numeric client timeout codified', async () => {
    expect(await updateStack(lab.ctx, await codify('12s', 20))).toBe('UPDATE_COMPLETE');
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual([
      'payment-client-waits-for-provider',
      'function-outlasts-payment-call',
    ]);
  });
});
