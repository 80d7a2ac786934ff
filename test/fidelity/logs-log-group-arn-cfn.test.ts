/**
 * patch_logs_log_group_arn_cfn: Fn::GetAtt LogGroup.Arn ends in ":*".
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { clientConfig, createStack, Flavour, FLAVOURS, MotoPair, startMotoPair, Template } from './cfn-harness';

const STACK = 'fidelity-log-group-arn';
const TEMPLATE = {
  Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'fidelity-app-logs' } } },
  Outputs: { LogsArn: { Value: { 'Fn::GetAtt': ['Logs', 'Arn'] } } },
} as unknown as Template;

describe('AWS::Logs::LogGroup Arn attribute', () => {
  let motos: MotoPair;
  const arn = {} as Record<Flavour, string | undefined>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const cfn = new CloudFormationClient(clientConfig(motos[flavour].endpoint));
      expect((await createStack(cfn, STACK, TEMPLATE)).status).toBe('CREATE_COMPLETE');
      const out = await cfn.send(new DescribeStacksCommand({ StackName: STACK }));
      arn[flavour] = out.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'LogsArn')?.OutputValue;
      cfn.destroy();
    }
  });

  afterAll(async () => {
    await motos?.stop();
  });

  test('stock moto drops the trailing ":*" (patch still needed)', () => {
    expect(arn.stock).toBe('arn:aws:logs:us-east-1:123456789012:log-group:fidelity-app-logs');
  });

  test('patched moto returns the documented form', () => {
    expect(arn.patched).toBe('arn:aws:logs:us-east-1:123456789012:log-group:fidelity-app-logs:*');
  });
});
