/**
 * Variant orders-refused on the kit's moto: the incident's hand-made write
 * mode survives the release (moto, like CloudFormation, updates only the
 * resource whose template changed). Valid remedies revert the parameter to
 * the template; shortcuts fail with the criterion named; restore between
 * cases undoes the change (helpers.ts); destroy leaves nothing.
 */
import { CreateStackCommand, DeleteStackCommand, DetectStackDriftCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { checkScenario } from '../../../lib/ops/check';
import { destroyScenario } from '../../../lib/ops/destroy';
import { awsCli, useLab } from '../../../test/support/lab';
import { criterion, failing } from '../../../test/support/report';
import scenario from '..';
import { TEMPLATE_WRITE_MODE_DESCRIPTION, functionName, tableName, writeModeParameter } from '../lab';
import { ArmedState, captureArmed, editedTemplate, restoreArmed, updateStack } from './helpers';

const lab = useLab(scenario, { variant: 'orders-refused' });
let armed: ArmedState;
const ssm = () => lab.ctx.clients.client(SSMClient);
const putWriteMode = (Value: string) =>
  ssm().send(new PutParameterCommand({ Name: writeModeParameter(lab.ctx.stackName), Value, Overwrite: true, Type: 'String' }));

beforeAll(async () => {
  armed = await captureArmed(lab.ctx);
});

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

describe('valid remedies', () => {
  afterEach(async () => {
    await restoreArmed(lab.ctx, armed);
  });

  test('the parameter put back to the template value with the SDK', async () => {
    await putWriteMode('read-write');
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
  });

  test('the parameter put back with the aws CLI, then drift detected: fixed, and the recorded IN_SYNC is no advice', async () => {
    await awsCli(lab.endpoint, [
      'ssm',
      'put-parameter',
      '--name',
      writeModeParameter(lab.ctx.stackName),
      '--value',
      'read-write',
      '--overwrite',
    ]);
    await awsCli(lab.endpoint, ['cloudformation', 'detect-stack-drift', '--stack-name', lab.ctx.stackName]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('fixed');
    expect(criterion(report, 'drift-detection-recorded-in-sync').status).toBe('pass');
  });

  test('a stack update that touches the parameter (its description) writes the template value back', async () => {
    const body = await editedTemplate(lab.ctx, (t) => {
      t.Resources.OrdersWriteModeParameter.Properties.Description = 'Whether the orders API accepts new orders (read-write / read-only)';
    });
    expect(await updateStack(lab.ctx, body)).toBe('UPDATE_COMPLETE');
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
  });

  test('drift detected with the SDK first, then the parameter reverted', async () => {
    await lab.ctx.clients.cloudformation.send(new DetectStackDriftCommand({ StackName: lab.ctx.stackName }));
    await putWriteMode('read-write');
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('fixed');
    expect(criterion(report, 'drift-detection-recorded-in-sync').status).toBe('fail'); // stale DRIFTED: advice only
  });

  // A parameter's identity is its name (its ARN is built from it), so one put again under the same name with the
  // template's value and description is the template's parameter: the stack keeps managing it and no order is touched.
  // Drift detection compares Description too (AWS::SSM::Parameter's Description property), so both must match.
  test('the parameter deleted and put again with the template value and description', async () => {
    await ssm().send(new DeleteParameterCommand({ Name: writeModeParameter(lab.ctx.stackName) }));
    await ssm().send(
      new PutParameterCommand({
        Name: writeModeParameter(lab.ctx.stackName),
        Value: 'read-write',
        Type: 'String',
        Description: TEMPLATE_WRITE_MODE_DESCRIPTION,
      }),
    );
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
  });
});

describe('shortcuts are rejected', () => {
  afterEach(async () => {
    await restoreArmed(lab.ctx, armed);
  });

  test('drift detected and nothing else', async () => {
    await awsCli(lab.endpoint, ['cloudformation', 'detect-stack-drift', '--stack-name', lab.ctx.stackName]);
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['resources-match-template', 'orders-api-accepts-writes']);
  });

  test('the broken value codified into the template: in sync, still refusing orders', async () => {
    const body = await editedTemplate(lab.ctx, (t) => {
      t.Resources.OrdersWriteModeParameter.Properties.Value = 'read-only';
    });
    expect(await updateStack(lab.ctx, body)).toBe('UPDATE_COMPLETE');
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['orders-api-accepts-writes']);
  });

  // The stack's grant names its own parameters' ARNs (CDK grantRead), so the copy is not readable by the function's role either.
  test('the function pointed at a new parameter by hand: the drift stays, and the role may not read the copy', async () => {
    const copy = `/${lab.ctx.stackName}/orders/write-mode-fixed`;
    await ssm().send(new PutParameterCommand({ Name: copy, Value: 'read-write', Type: 'String' }));
    const env = { ...(armed.fn.Environment?.Variables ?? {}), WRITE_MODE_PARAMETER: copy };
    await lab.ctx.clients
      .client(LambdaClient)
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName(lab.ctx.stackName), Environment: { Variables: env } }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['resources-match-template', 'function-role-can-read-parameters']);
    expect(criterion(report, 'resources-match-template').message).toMatch(
      /OrdersApiFunction \/Environment\/Variables\/WRITE_MODE_PARAMETER/,
    );
    expect(criterion(report, 'function-role-can-read-parameters').message).toContain(
      `may not ssm:GetParameter arn:aws:ssm:us-east-1:123456789012:parameter${copy}`,
    );
    await ssm().send(new DeleteParameterCommand({ Name: copy }));
  });

  test('a value in the wrong case', async () => {
    await putWriteMode('Read-Write');
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['resources-match-template', 'orders-api-accepts-writes']);
  });

  test('the parameter deleted', async () => {
    await ssm().send(new DeleteParameterCommand({ Name: writeModeParameter(lab.ctx.stackName) }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['resources-match-template', 'orders-api-accepts-writes']);
    expect(criterion(report, 'resources-match-template').message).toMatch(/OrdersWriteModeParameter .* was deleted outside CloudFormation/);
  });

  test('reverted, but the function memory raised by hand while debugging', async () => {
    await putWriteMode('read-write');
    await lab.ctx.clients
      .client(LambdaClient)
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName(lab.ctx.stackName), MemorySize: 1024 }));
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['resources-match-template']);
  });

  test('the parameter deleted and put again with the template value but no description: the description differs', async () => {
    await ssm().send(new DeleteParameterCommand({ Name: writeModeParameter(lab.ctx.stackName) }));
    await putWriteMode('read-write');
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['resources-match-template']);
    expect(criterion(report, 'resources-match-template').message).toMatch(/OrdersWriteModeParameter \/Description was removed/);
  });

  // Issue 14: deleting and recreating a resource is a shortcut (new identity, data lost); the table's orders are the data.
  test('the orders table deleted and recreated: in sync, orders lost', async () => {
    await putWriteMode('read-write');
    const ddb = lab.ctx.clients.dynamodb;
    await ddb.send(new DeleteTableCommand({ TableName: tableName(lab.ctx.stackName) }));
    await ddb.send(
      new CreateTableCommand({
        TableName: tableName(lab.ctx.stackName),
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
      }),
    );
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['orders-table-keeps-its-orders']);
  });
});

describe('recreated, then destroyed', () => {
  test('the stack deleted and created again from its template fails on identity and data; destroy then leaves nothing', async () => {
    const cfn = lab.ctx.clients.cloudformation;
    await cfn.send(new DeleteStackCommand({ StackName: lab.ctx.stackName }));
    await cfn.send(new CreateStackCommand({ StackName: lab.ctx.stackName, TemplateBody: armed.template }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['stack-id-matches-armed', 'orders-table-keeps-its-orders']);
    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
  });
});
