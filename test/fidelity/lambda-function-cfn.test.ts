/**
 * patch_lambda_function_cfn: a stack update of an AWS::Lambda::Function
 * with inline code changes its configuration in place.
 *
 * AWS sources: "AWS::Lambda::Function" (CloudFormation Template Reference),
 * "GetFunctionConfiguration" (AWS Lambda API Reference).
 */
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { clientConfig, cloneTemplate, Flavour, FLAVOURS, stackOnBothFlavours, Template, waitForStack } from './cfn-harness';

const STACK = 'fidelity-lambda';
const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const TEMPLATE: Template = {
  Resources: {
    Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST } },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: 'fidelity-fn',
        Runtime: 'python3.12',
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Code: { ZipFile: 'def handler(event, context):\n    return 1\n' },
        Timeout: 10,
        MemorySize: 256,
        Environment: { Variables: { MODE: 'safe' } },
      },
    },
  },
};

const UPDATED = cloneTemplate(TEMPLATE);
UPDATED.Resources.Fn.Properties!.Timeout = 30;
UPDATED.Resources.Fn.Properties!.Environment = { Variables: { MODE: 'fast', EXTRA: '1' } };
delete UPDATED.Resources.Fn.Properties!.MemorySize;

describe('AWS::Lambda::Function updates via CloudFormation', () => {
  const { clients } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({ lambda: new LambdaClient(clientConfig(endpoint)) }));
  const seen = {} as Record<Flavour, { status: string; timeout?: number; memory?: number; env?: Record<string, string> }>;

  beforeAll(async () => {
    for (const flavour of FLAVOURS) {
      let status: string;
      try {
        await clients[flavour].cfn.send(new UpdateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify(UPDATED) }));
        status = await waitForStack(clients[flavour].cfn, STACK);
      } catch (err) {
        status = `HTTP ${(err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode}`;
      }
      const fn = await clients[flavour].lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fidelity-fn' }));
      seen[flavour] = { status, timeout: fn.Timeout, memory: fn.MemorySize, env: fn.Environment?.Variables };
    }
  });

  test('stock moto answers the update with HTTP 500 (patch still needed)', () => {
    // The configuration step ran before the code step failed, so the function is half updated.
    expect(seen.stock.status).toBe('HTTP 500');
  });

  test('patched moto applies the new configuration; a removed MemorySize returns to the default', () => {
    expect(seen.patched).toEqual({ status: 'UPDATE_COMPLETE', timeout: 30, memory: 128, env: { MODE: 'fast', EXTRA: '1' } });
  });
});
