/**
 * The SDK deploy of a stored assembly (direct-deploy.ts): which assemblies it
 * takes on (the rest go to the CDK toolkit), what it sends, how it reports,
 * and how a failed stack reads. The comparison with the toolkit's own stack
 * is in test/framework/template-cache.test.ts.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStackEventsCommand, DescribeStacksCommand, GetTemplateCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import { EnvironmentError } from '../core/errors';
import { AwsClients } from '../targets/clients';
import { useMoto } from '../../test/support/lab';
import { TEMPLATE_BODY_LIMIT, deployFailureSentence, deployPlainStack, readPlainStack, type PlainStack } from './direct-deploy';

/** A cloud assembly as aws-cdk-lib writes one for a bootstrapless stack, with `change` applied to its stack artifact and template. */
function assembly(change: { artifact?: object; template?: object; extraArtifacts?: object } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'breakfix-assembly-'));
  const template = { Resources: { Q: { Type: 'AWS::SQS::Queue' } }, ...change.template };
  writeFileSync(join(dir, 'lab.template.json'), JSON.stringify(template));
  const artifact = {
    type: 'aws:cloudformation:stack',
    environment: 'aws://unknown-account/us-east-1',
    properties: { templateFile: 'lab.template.json', terminationProtection: false, tags: { 'breakfix:managed': 'true' } },
    displayName: 'lab',
    ...change.artifact,
  };
  const manifest = {
    version: '55.0.0',
    artifacts: { lab: artifact, Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } }, ...change.extraArtifacts },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('which stored assemblies the SDK path deploys', () => {
  test('a bootstrapless stack without assets: its template, tags and termination protection as the manifest has them', () => {
    const stack = readPlainStack(
      assembly({ artifact: { properties: { templateFile: 'lab.template.json', terminationProtection: true, tags: { a: '1', b: '2' } } } }),
      'lab',
      'us-east-1',
    );
    expect(stack).toMatchObject({
      stackName: 'lab',
      tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ],
      terminationProtection: true,
    });
    expect(JSON.parse(stack!.templateBody)).toEqual(stack!.template);
    expect(
      readPlainStack(assembly({ artifact: { environment: 'aws://unknown-account/unknown-region' } }), 'lab', 'eu-west-1'),
    ).toBeDefined();
    expect(
      readPlainStack(assembly({ template: { Parameters: { P: { Type: 'String', Default: 'x' } } } }), 'lab', 'us-east-1'),
    ).toBeDefined();
  });

  test('anything only the toolkit handles is left to it', () => {
    const toolkitOnly = {
      'another stack name': [assembly(), 'other', 'us-east-1'],
      'a pinned account': [assembly({ artifact: { environment: 'aws://123456789012/us-east-1' } }), 'lab', 'us-east-1'],
      'another region': [assembly(), 'lab', 'eu-west-1'],
      'an asset manifest': [assembly({ extraArtifacts: { 'lab.assets': { type: 'cdk:asset-manifest' } } }), 'lab', 'us-east-1'],
      'legacy asset metadata': [
        assembly({ artifact: { metadata: { '/lab/Fn': [{ type: 'aws:cdk:asset', data: {} }] } } }),
        'lab',
        'us-east-1',
      ],
      'a parameter without a default': [assembly({ template: { Parameters: { P: { Type: 'String' } } } }), 'lab', 'us-east-1'],
      'stack parameters in the manifest': [
        assembly({ artifact: { properties: { templateFile: 'lab.template.json', parameters: { P: 'x' } } } }),
        'lab',
        'us-east-1',
      ],
      'a template over the TemplateBody limit': [
        assembly({ template: { Description: 'x'.repeat(TEMPLATE_BODY_LIMIT) } }),
        'lab',
        'us-east-1',
      ],
      'a second stack': [
        assembly({ extraArtifacts: { other: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/us-east-1' } } }),
        'lab',
        'us-east-1',
      ],
    } as const;
    for (const [why, [dir, name, region]] of Object.entries(toolkitOnly))
      expect([why, readPlainStack(dir, name, region)]).toEqual([why, undefined]);
  });
});

describe('a failed deploy reads as one sentence', () => {
  // Documented shapes: the events CloudFormation writes when a resource fails and the stack rolls back.
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  const ev = (
    s: number,
    LogicalResourceId: string,
    ResourceType: string,
    ResourceStatus: string,
    ResourceStatusReason?: string,
  ): StackEvent => ({
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/lab/1',
    EventId: `${LogicalResourceId}-${s}`,
    StackName: 'lab',
    LogicalResourceId,
    ResourceType,
    ResourceStatus: ResourceStatus as StackEvent['ResourceStatus'],
    ResourceStatusReason,
    Timestamp: at(s),
  });

  test('the status, then each failed resource once with its reason, oldest first', () => {
    const events = [
      ev(6, 'lab', 'AWS::CloudFormation::Stack', 'ROLLBACK_COMPLETE'),
      ev(5, 'Queue', 'AWS::SQS::Queue', 'DELETE_FAILED', 'Resource is in use.'),
      ev(4, 'lab', 'AWS::CloudFormation::Stack', 'ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to create: [Bucket].'),
      ev(3, 'Queue', 'AWS::SQS::Queue', 'CREATE_FAILED', 'Resource creation cancelled'),
      ev(2, 'Bucket', 'AWS::S3::Bucket', 'CREATE_FAILED', 'lab-data already exists.'),
      ev(1, 'lab', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'User Initiated'),
    ];
    expect(deployFailureSentence({ stackName: 'lab', status: 'ROLLBACK_COMPLETE' }, events)).toBe(
      'Deploying stack lab failed: it ended ROLLBACK_COMPLETE; Bucket (AWS::S3::Bucket) CREATE_FAILED: lab-data already exists; Queue (AWS::SQS::Queue) CREATE_FAILED: Resource creation cancelled.',
    );
  });

  test("without a failed resource, the stack's own reason", () => {
    expect(
      deployFailureSentence(
        { stackName: 'lab', status: 'UPDATE_ROLLBACK_FAILED', statusReason: 'Role is invalid or cannot be assumed.' },
        [],
      ),
    ).toBe('Deploying stack lab failed: it ended UPDATE_ROLLBACK_FAILED (Role is invalid or cannot be assumed).');
  });
});

describe('on moto', () => {
  const moto = useMoto();
  const waits = { pollMs: 200, timeoutMs: 120_000 };
  let clients: AwsClients;
  beforeAll(() => {
    clients = new AwsClients({ kind: 'moto', region: 'us-east-1', endpoint: moto.endpoint });
  });
  afterAll(() => clients?.destroy());

  const plain = (stackName: string, template: object, more: Partial<PlainStack> = {}): PlainStack => ({
    stackName,
    template,
    templateBody: JSON.stringify(template),
    tags: [{ Key: 'breakfix:managed', Value: 'true' }],
    terminationProtection: false,
    ...more,
  });
  const queue = (name: string) => ({
    Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: name } } },
    Outputs: { Url: { Value: { Ref: 'Q' } } },
  });
  const describe1 = async (name: string) => (await clients.cloudformation.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0];
  const eventCount = async (name: string) =>
    (await clients.cloudformation.send(new DescribeStackEventsCommand({ StackName: name }))).StackEvents!.length;

  test('create with termination protection, an unchanged redeploy sends nothing, then protection off and a changed template update', async () => {
    const progress: string[] = [];
    const created = await deployPlainStack(clients.cloudformation, plain('dd-one', queue('dd-one-a'), { terminationProtection: true }), {
      ...waits,
      progress: (m) => progress.push(m),
    });
    expect(created.noOp).toBe(false);
    expect(created.outputs.Url).toMatch(/dd-one-a$/);
    expect(await describe1('dd-one')).toMatchObject({ StackStatus: 'CREATE_COMPLETE', EnableTerminationProtection: true });
    expect(progress).toEqual(expect.arrayContaining([expect.stringMatching(/^dd-one \| .* \| CREATE_COMPLETE \| AWS::SQS::Queue \| Q$/)]));
    expect(progress.at(-1)).toMatch(/^dd-one \| .* \| CREATE_COMPLETE \| AWS::CloudFormation::Stack \| dd-one$/);

    const events = await eventCount('dd-one');
    const again = await deployPlainStack(clients.cloudformation, plain('dd-one', queue('dd-one-a'), { terminationProtection: true }), {
      ...waits,
      progress: () => undefined,
    });
    expect(again).toEqual({ ...created, noOp: true });
    expect(await eventCount('dd-one')).toBe(events);

    const updates: string[] = [];
    const updated = await deployPlainStack(clients.cloudformation, plain('dd-one', queue('dd-one-b')), {
      ...waits,
      progress: (m) => updates.push(m),
    });
    expect(updated.noOp).toBe(false);
    // moto keeps the old output value after this update (it mis-stores outputs); the template is what was sent.
    const sent = await clients.cloudformation.send(new GetTemplateCommand({ StackName: 'dd-one' }));
    expect(sent.TemplateBody).toContain('dd-one-b');
    expect(await describe1('dd-one')).toMatchObject({ StackStatus: 'UPDATE_COMPLETE', EnableTerminationProtection: false });
    // Only this update's events: none of the create's.
    expect(updates.some((l) => l.includes('CREATE_'))).toBe(false);
    expect(updates.at(-1)).toMatch(/ \| UPDATE_COMPLETE \| AWS::CloudFormation::Stack \| dd-one$/);
  });

  test('a stack that fails to create rejects with the failed resource and its reason, and the next deploy replaces it', async () => {
    const broken = {
      Resources: { Net: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-0000000000000dead', CidrBlock: '10.9.0.0/24' } } },
    };
    const progress: string[] = [];
    const failed = deployPlainStack(clients.cloudformation, plain('dd-two', broken), { ...waits, progress: (m) => progress.push(m) });
    await expect(failed).rejects.toThrow(EnvironmentError);
    await expect(failed).rejects.toMatchObject({
      code: 'stack-deploy-failed',
      message: expect.stringMatching(
        /^Deploying stack dd-two failed: it ended ROLLBACK_COMPLETE; Net \(AWS::EC2::Subnet\) CREATE_FAILED: .*vpc-0000000000000dead.*\.$/,
      ),
    });
    expect(progress.some((l) => / \| CREATE_FAILED \| AWS::EC2::Subnet \| Net /.test(l))).toBe(true);

    // CloudFormation takes no update of a stack that failed creation: it is deleted and created again, as the toolkit does.
    const firstId = (await describe1('dd-two')).StackId;
    const replaced = await deployPlainStack(clients.cloudformation, plain('dd-two', queue('dd-two')), {
      ...waits,
      progress: () => undefined,
    });
    expect(replaced.stackId).not.toBe(firstId);
    expect(await describe1('dd-two')).toMatchObject({ StackStatus: 'CREATE_COMPLETE' });
  });
});

// Keep the helper's folder layout honest: a stack artifact with no template file is left to the toolkit.
test('a stack artifact without a template file is left to the toolkit', () => {
  const dir = assembly({ artifact: { properties: { tags: {} } } });
  mkdirSync(join(dir, 'unused'), { recursive: true });
  expect(readPlainStack(dir, 'lab', 'us-east-1')).toBeUndefined();
});
