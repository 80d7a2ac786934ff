/**
 * patch_cfn_stack_resources_skip_unsupported: DescribeStackResource answers
 * (detail, or ValidationError for an unknown logical ID) in a stack holding
 * a resource type moto skips, such as every CDK stack's AWS::CDK::Metadata.
 */
import { CloudFormationClient, DescribeStackResourceCommand, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { clientConfig, createStack, Flavour, FLAVOURS, MotoPair, rejection, stackResources, startMotoPair, Template } from './cfn-harness';

const STACK = 'fidelity-describe-resource';

const TEMPLATE: Template = {
  Resources: {
    // Unsupported by moto, and first, so it precedes the resource we ask for.
    CDKMetadata: {
      Type: 'AWS::CDK::Metadata',
      Properties: {
        Analytics: 'v2:deflate64:H4sIAAAAAAAA/zPSMzQ00DNQTCwv1k1OydbNyUzSqw4uSUzO1kksS8wvLc5MSdVJzs9L0S1NLS5JTQEAK2n8aCsAAAA=',
      },
    },
    AppConfig: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/fidelity/app/mode', Type: 'String', Value: 'blue' } },
  },
};

describe('DescribeStackResource in a stack with a resource moto skips', () => {
  let motos: MotoPair;
  const clients = {} as Record<Flavour, CloudFormationClient>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      clients[flavour] = new CloudFormationClient(clientConfig(motos[flavour].endpoint));
      expect((await createStack(clients[flavour], STACK, TEMPLATE)).status).toBe('CREATE_COMPLETE');
    }
  });

  afterAll(async () => {
    for (const c of Object.values(clients)) c.destroy();
    await motos?.stop();
  });

  test('stock moto fails with HTTP 500 and lists a blank resource (patch still needed)', async () => {
    const cfn = clients.stock;
    const known = await rejection(cfn.send(new DescribeStackResourceCommand({ StackName: STACK, LogicalResourceId: 'AppConfig' })));
    expect(known.$metadata?.httpStatusCode).toBe(500);
    const unknown = await rejection(cfn.send(new DescribeStackResourceCommand({ StackName: STACK, LogicalResourceId: 'NoSuchThing' })));
    expect(unknown.$metadata?.httpStatusCode).toBe(500);
    const summaries = await stackResources(cfn, STACK);
    expect(summaries.some((s) => !s.LogicalResourceId)).toBe(true);
  });

  test('patched moto returns the resource detail', async () => {
    const out = await clients.patched.send(new DescribeStackResourceCommand({ StackName: STACK, LogicalResourceId: 'AppConfig' }));
    expect(out.StackResourceDetail).toMatchObject({
      StackName: STACK,
      LogicalResourceId: 'AppConfig',
      PhysicalResourceId: '/fidelity/app/mode',
      ResourceType: 'AWS::SSM::Parameter',
      ResourceStatus: 'CREATE_COMPLETE',
    });
  });

  test('patched moto answers an unknown logical ID with ValidationError, as AWS does', async () => {
    const err = await rejection(
      clients.patched.send(new DescribeStackResourceCommand({ StackName: STACK, LogicalResourceId: 'NoSuchThing' })),
    );
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe(`Resource NoSuchThing does not exist for stack ${STACK}`);
  });

  test('patched moto lists no blank resources', async () => {
    const cfn = clients.patched;
    const summaries = await stackResources(cfn, STACK);
    expect(summaries.map((s) => s.LogicalResourceId)).toEqual(['AppConfig']);
    const described = await cfn.send(new DescribeStackResourcesCommand({ StackName: STACK }));
    expect(described.StackResources?.map((r) => r.LogicalResourceId)).toEqual(['AppConfig']);
  });
});
