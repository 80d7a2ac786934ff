import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addScenarioStack } from '../../../lib/app/build-app';
import scenario from '..';
import { OrdersStack } from '../stack';
import { EXPOSED_PASSWORD, PASSWORD_PARAMETER, VARIANTS } from '../lab';

function build(variant: string, learner?: string): Template {
  const stack = addScenarioStack(new App(), { scenario, targetKind: 'moto', learner, variant, region: 'us-east-1' });
  expect(stack).toBeInstanceOf(OrdersStack);
  return Template.fromStack(stack);
}

test.each([VARIANTS.plain, VARIANTS.noEcho])(
  '%s: the password parameter has the real value as its Default and reaches the database and the function',
  (variant) => {
    const t = build(variant);
    const param = t.toJSON().Parameters[PASSWORD_PARAMETER];
    expect(param).toMatchObject({ Type: 'String', Default: EXPOSED_PASSWORD });
    expect(param.NoEcho === true).toBe(variant === VARIANTS.noEcho);
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      MasterUserPassword: { Ref: PASSWORD_PARAMETER },
      Engine: 'postgres',
      DBInstanceClass: 'db.t4g.micro',
    });
    t.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Delete' });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { DB_PASSWORD: { Ref: PASSWORD_PARAMETER } } } });
  },
);

test('only noecho-default repeats the password in an output', () => {
  expect(Object.keys(build(VARIANTS.plain).toJSON().Outputs)).toEqual(['OrdersApiFunctionName']);
  const outputs = build(VARIANTS.noEcho).toJSON().Outputs;
  expect(JSON.stringify(outputs.OrdersDbConnection.Value)).toContain(`{"Ref":"${PASSWORD_PARAMETER}"}`);
});

test('the function role can read no secret: only its own logs', () => {
  const t = build(VARIANTS.plain);
  expect(JSON.stringify(t.findResources('AWS::IAM::Role'))).not.toMatch(/secretsmanager|ssm:/);
  t.resourceCountIs('AWS::IAM::Policy', 0);
});

test('physical names carry the stack name, so a learner prefix reaches them', () => {
  const t = build(VARIANTS.plain, 'ada');
  t.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceIdentifier: 'ada-db-password-visible-in-stack-orders-db' });
  t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'ada-db-password-visible-in-stack-orders-api' });
});
