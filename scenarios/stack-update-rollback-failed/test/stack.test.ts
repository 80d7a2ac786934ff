/**
 * The synthesized production stack: a retained orders table and the API's
 * log group, under names the arming step and the checker rely on.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { addScenarioStack } from '../../../lib/app/build-app';
import scenario from '..';
import { OrdersProductionStack } from '../stack';
import { LOG_GROUP_LOGICAL_ID, RETENTION_DAYS, TABLE_LOGICAL_ID } from '../lab';

function synth(learner?: string): { stack: OrdersProductionStack; template: Template } {
  const app = new App();
  const stack = addScenarioStack(app, { scenario, learner, targetKind: 'moto', region: 'us-east-1' }) as OrdersProductionStack;
  return { stack, template: Template.fromStack(stack) };
}

test('holds exactly the orders table and the API log group', () => {
  const { template } = synth();
  template.resourceCountIs('AWS::DynamoDB::Table', 1);
  template.resourceCountIs('AWS::Logs::LogGroup', 1);
  expect(Object.keys(template.toJSON().Resources).sort()).toEqual([LOG_GROUP_LOGICAL_ID, TABLE_LOGICAL_ID].sort());
});

test('the orders table is retained on delete and on replacement', () => {
  const { stack, template } = synth();
  template.hasResource('AWS::DynamoDB::Table', {
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: Match.objectLike({
      TableName: 'stack-update-rollback-failed-orders',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
    }),
  });
  expect(stack.resolve(stack.table.tableName)).toEqual({ Ref: TABLE_LOGICAL_ID });
});

test('the log group has a fixed name and 30-day retention, and goes with the stack', () => {
  const { template } = synth();
  template.hasResource('AWS::Logs::LogGroup', {
    DeletionPolicy: 'Delete',
    Properties: {
      LogGroupName: '/breakfix/stack-update-rollback-failed/orders-api',
      RetentionInDays: RETENTION_DAYS,
      Tags: Match.anyValue(),
    },
  });
});

test('a learner name prefixes every physical name', () => {
  const { template } = synth('ana');
  template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'ana-stack-update-rollback-failed-orders' });
  template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/breakfix/ana-stack-update-rollback-failed/orders-api' });
});

test('resources carry the breakfix tags', () => {
  const { template } = synth();
  template.hasResourceProperties('AWS::DynamoDB::Table', {
    Tags: Match.arrayWith([{ Key: 'breakfix:scenario', Value: 'stack-update-rollback-failed' }]),
  });
});
