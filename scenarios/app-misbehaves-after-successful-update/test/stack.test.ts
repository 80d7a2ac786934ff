import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addScenarioStack } from '../../../lib/app/build-app';
import scenario from '..';
import { OrdersServiceStack } from '../stack';
import { previousRelease } from '../arm';
import {
  FUNCTION_LOGICAL_ID,
  PAYMENT_TIMEOUT_LOGICAL_ID,
  RELEASE_VARIABLE,
  TEMPLATE_FUNCTION_TIMEOUT_S,
  TEMPLATE_PAYMENT_TIMEOUT_MS,
  TEMPLATE_WRITE_MODE,
  WRITE_MODE_LOGICAL_ID,
} from '../lab';

function build(variant: string, learner?: string): { stack: OrdersServiceStack; t: Template } {
  const stack = addScenarioStack(new App(), { scenario, targetKind: 'moto', learner, variant, region: 'us-east-1' });
  expect(stack).toBeInstanceOf(OrdersServiceStack);
  return { stack: stack as OrdersServiceStack, t: Template.fromStack(stack) };
}

test('the healthy service: write mode read-write, 2000 ms payment client timeout, 5 s function with the release variable', () => {
  const { t } = build('checkout-times-out');
  const resources = t.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  expect(resources[WRITE_MODE_LOGICAL_ID]).toMatchObject({
    Type: 'AWS::SSM::Parameter',
    Properties: { Name: '/app-misbehaves-after-successful-update/orders/write-mode', Value: TEMPLATE_WRITE_MODE },
  });
  expect(resources[PAYMENT_TIMEOUT_LOGICAL_ID].Properties.Value).toBe(String(TEMPLATE_PAYMENT_TIMEOUT_MS));
  expect(resources[FUNCTION_LOGICAL_ID]).toMatchObject({
    Type: 'AWS::Lambda::Function',
    Properties: {
      FunctionName: 'app-misbehaves-after-successful-update-orders-api',
      Timeout: TEMPLATE_FUNCTION_TIMEOUT_S,
      Environment: { Variables: { [RELEASE_VARIABLE.name]: RELEASE_VARIABLE.value, PAYMENT_PROVIDER_LATENCY_MS: '8000' } },
    },
  });
  t.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  t.resourceCountIs('AWS::Logs::LogGroup', 1);
});

test('the provider is fast in the orders-refused story, so the template works there', () => {
  const { t } = build('orders-refused');
  const fn = t.toJSON().Resources[FUNCTION_LOGICAL_ID] as { Properties: { Environment: { Variables: Record<string, string> } } };
  expect(Number(fn.Properties.Environment.Variables.PAYMENT_PROVIDER_LATENCY_MS)).toBeLessThan(TEMPLATE_PAYMENT_TIMEOUT_MS);
});

test('names carry the stack name, so a learner prefix reaches them', () => {
  const { t } = build('orders-refused', 'ada');
  t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'ada-app-misbehaves-after-successful-update-orders-api' });
  t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/ada-app-misbehaves-after-successful-update/payments/client-timeout-ms' });
});

test('the previous release is the template without the release variable, and nothing else differs', () => {
  const { t } = build('orders-refused');
  const body = JSON.stringify(t.toJSON());
  const previous = JSON.parse(previousRelease(body));
  const current = JSON.parse(body);
  delete current.Resources[FUNCTION_LOGICAL_ID].Properties.Environment.Variables[RELEASE_VARIABLE.name];
  expect(previous).toEqual(current);
});
