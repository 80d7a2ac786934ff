/**
 * patch_cfn_drift_detection: DetectStackDrift, DetectStackResourceDrift,
 * DescribeStackResourceDrifts, DescribeStackDriftDetectionStatus and
 * DriftInformation follow CloudFormation's drift detection documentation.
 *
 * AWS sources (CloudFormation User Guide): "Detect unmanaged configuration
 * changes to stacks and resources with drift detection" (only explicitly set
 * properties are compared; defaults are not drift; unsupported types are
 * NOT_CHECKED), "Detect drift on an entire CloudFormation stack", "Detect
 * drift on individual stack resources" (a resource check also updates the
 * stack's drift status). CloudFormation API Reference: "DetectStackDrift",
 * "DescribeStackDriftDetectionStatus", "DescribeStackResourceDrifts"
 * (unsupported resources are not included), "DetectStackResourceDrift",
 * "StackResourceDrift", "PropertyDifference" (ADD / REMOVE / NOT_EQUAL),
 * "StackDriftInformation", "StackResourceDriftInformation".
 */
import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  DetectStackResourceDriftCommand,
  ListStackResourcesCommand,
  PropertyDifference,
  StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { startTestMoto, TestMoto } from '../support/moto';
import { clientConfig, createStack, physicalIds, rejection } from './cfn-harness';
import { BUCKET, DRIFT_TEMPLATE, DriftClients, driftEverything, ORDERS_TABLE } from './drift-template';

const STACK = 'drift';

function clients(endpoint: string): DriftClients & { cfn: CloudFormationClient; destroy(): void } {
  const config = clientConfig(endpoint);
  const all = {
    cfn: new CloudFormationClient(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
    ddb: new DynamoDBClient(config),
    ssm: new SSMClient(config),
    logs: new CloudWatchLogsClient(config),
    lambda: new LambdaClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
  return { ...all, destroy: () => Object.values(all).forEach((c) => c.destroy()) };
}

async function detect(cfn: CloudFormationClient, logicalIds?: string[]) {
  const { StackDriftDetectionId } = await cfn.send(new DetectStackDriftCommand({ StackName: STACK, LogicalResourceIds: logicalIds }));
  return cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }));
}

async function drifts(
  cfn: CloudFormationClient,
  filters?: ('IN_SYNC' | 'MODIFIED' | 'DELETED' | 'NOT_CHECKED')[],
): Promise<StackResourceDrift[]> {
  const out = await cfn.send(new DescribeStackResourceDriftsCommand({ StackName: STACK, StackResourceDriftStatusFilters: filters }));
  return out.StackResourceDrifts ?? [];
}

const diffs = (d: StackResourceDrift | undefined): PropertyDifference[] =>
  (d?.PropertyDifferences ?? []).map((p) => ({
    PropertyPath: p.PropertyPath,
    DifferenceType: p.DifferenceType,
    ExpectedValue: p.ExpectedValue,
    ActualValue: p.ActualValue,
  }));

describe('stock moto', () => {
  let moto: TestMoto;
  let c: ReturnType<typeof clients>;

  beforeAll(async () => {
    moto = await startTestMoto({ stock: true });
    c = clients(moto.endpoint);
  });

  afterAll(async () => {
    c?.destroy();
    await moto?.stop();
  });

  test('answers the drift operations with HTTP 500 and reports no DriftInformation (patch still needed)', async () => {
    await createStack(c.cfn, STACK, { Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/stock/drift' } } } });
    // One call at a time: a rejection must not be left unobserved while another is awaited.
    const calls = [
      () => c.cfn.send(new DetectStackDriftCommand({ StackName: STACK })),
      () => c.cfn.send(new DetectStackResourceDriftCommand({ StackName: STACK, LogicalResourceId: 'Logs' })),
      () => c.cfn.send(new DescribeStackResourceDriftsCommand({ StackName: STACK })),
    ];
    for (const call of calls) {
      expect((await rejection(call())).$metadata?.httpStatusCode).toBe(500);
    }
    expect((await c.cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0].DriftInformation).toBeUndefined();
  });
});

describe('patched moto', () => {
  let moto: TestMoto;
  let c: ReturnType<typeof clients>;
  let ids: Record<string, string>;
  let vpcCidr: string;

  beforeAll(async () => {
    moto = await startTestMoto();
    c = clients(moto.endpoint);
    expect((await createStack(c.cfn, STACK, DRIFT_TEMPLATE)).status).toBe('CREATE_COMPLETE');
    ids = await physicalIds(c.cfn, STACK);
    vpcCidr = '10.90.0.0/16';
  });

  afterAll(async () => {
    c?.destroy();
    await moto?.stop();
  });

  test('before any detection, the stack and its resources are NOT_CHECKED', async () => {
    const stack = (await c.cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0];
    expect(stack.DriftInformation).toEqual({ StackDriftStatus: 'NOT_CHECKED' });
    const listed = await c.cfn.send(new ListStackResourcesCommand({ StackName: STACK }));
    expect(new Set(listed.StackResourceSummaries!.map((r) => r.DriftInformation?.StackResourceDriftStatus))).toEqual(
      new Set(['NOT_CHECKED']),
    );
  });

  test('a freshly created stack is IN_SYNC; unsupported types are NOT_CHECKED and left out of the drifts', async () => {
    const status = await detect(c.cfn);
    expect(status).toMatchObject({ DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: 'IN_SYNC', DriftedStackResourceCount: 0 });
    expect(status.StackId).toMatch(/^arn:aws:cloudformation:/);
    const all = await drifts(c.cfn);
    expect(all.map((d) => d.LogicalResourceId).sort()).toEqual(
      ['AppLogs', 'AppRole', 'AppSg', 'Assets', 'AssetsPolicy', 'AuditLogs', 'Flag', 'Fn', 'LogsPolicy', 'Orders'].sort(),
    );
    expect(new Set(all.map((d) => d.StackResourceDriftStatus))).toEqual(new Set(['IN_SYNC']));
    const vpc = await c.cfn.send(new DescribeStackResourceCommand({ StackName: STACK, LogicalResourceId: 'Vpc' }));
    expect(vpc.StackResourceDetail!.DriftInformation!.StackResourceDriftStatus).toBe('NOT_CHECKED');
    const fn = all.find((d) => d.LogicalResourceId === 'Fn')!;
    expect(JSON.parse(fn.ExpectedProperties!)).toMatchObject({
      Timeout: 10,
      Environment: { Variables: { TABLE: ORDERS_TABLE, MODE: 'strict' } },
    });
    expect(JSON.parse(fn.ExpectedProperties!)).not.toHaveProperty('MemorySize');
  });

  test('after out-of-band changes: the stack is DRIFTED, with the documented property differences', async () => {
    await driftEverything(c, ids, vpcCidr);
    const status = await detect(c.cfn);
    expect(status).toMatchObject({ DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: 'DRIFTED', DriftedStackResourceCount: 8 });
    const all = await drifts(c.cfn);
    const by = Object.fromEntries(all.map((d) => [d.LogicalResourceId, d]));
    expect(Object.fromEntries(all.map((d) => [d.LogicalResourceId, d.StackResourceDriftStatus]))).toEqual({
      AppSg: 'MODIFIED',
      AppRole: 'MODIFIED',
      LogsPolicy: 'IN_SYNC',
      Orders: 'MODIFIED',
      Flag: 'MODIFIED',
      AppLogs: 'MODIFIED',
      AuditLogs: 'DELETED',
      Fn: 'MODIFIED',
      Assets: 'IN_SYNC',
      AssetsPolicy: 'DELETED',
    });
    expect(diffs(by.AppSg)).toEqual([
      {
        PropertyPath: '/SecurityGroupIngress/0',
        DifferenceType: 'REMOVE',
        ExpectedValue: JSON.stringify({
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          CidrIp: vpcCidr,
          Description: 'https from the VPC',
        }),
        ActualValue: 'null',
      },
      {
        PropertyPath: '/SecurityGroupIngress/0',
        DifferenceType: 'ADD',
        ExpectedValue: 'null',
        ActualValue: JSON.stringify({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0', Description: 'debug' }),
      },
    ]);
    const tableArn = `arn:aws:dynamodb:us-east-1:123456789012:table/${ORDERS_TABLE}`;
    expect(diffs(by.AppRole)).toEqual([
      {
        PropertyPath: '/AssumeRolePolicyDocument/Statement/0/Principal/Service',
        DifferenceType: 'NOT_EQUAL',
        ExpectedValue: 'lambda.amazonaws.com',
        ActualValue: 'ecs-tasks.amazonaws.com',
      },
      {
        PropertyPath: '/Policies/0/PolicyDocument/Statement/0/Action',
        DifferenceType: 'NOT_EQUAL',
        ExpectedValue: '["dynamodb:GetItem","dynamodb:Query"]',
        ActualValue: 'dynamodb:*',
      },
      {
        PropertyPath: '/Policies/0/PolicyDocument/Statement/0/Resource',
        DifferenceType: 'NOT_EQUAL',
        ExpectedValue: tableArn,
        ActualValue: '*',
      },
      {
        PropertyPath: '/ManagedPolicyArns/1',
        DifferenceType: 'ADD',
        ExpectedValue: 'null',
        ActualValue: 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess',
      },
    ]);
    expect(diffs(by.Flag)).toEqual([
      { PropertyPath: '/Value', DifferenceType: 'NOT_EQUAL', ExpectedValue: 'safe-mode', ActualValue: 'fast-mode' },
    ]);
    expect(diffs(by.AppLogs)).toEqual([
      { PropertyPath: '/RetentionInDays', DifferenceType: 'NOT_EQUAL', ExpectedValue: '30', ActualValue: '1' },
    ]);
    // MemorySize changed too, but the template leaves it to its default: not drift.
    expect(diffs(by.Fn)).toEqual([
      { PropertyPath: '/Timeout', DifferenceType: 'NOT_EQUAL', ExpectedValue: '10', ActualValue: '60' },
      { PropertyPath: '/Environment/Variables/MODE', DifferenceType: 'NOT_EQUAL', ExpectedValue: 'strict', ActualValue: 'lenient' },
      { PropertyPath: '/Environment/Variables/DEBUG', DifferenceType: 'ADD', ExpectedValue: 'null', ActualValue: '1' },
    ]);
    expect(diffs(by.Orders)).toEqual([
      { PropertyPath: '/ProvisionedThroughput/ReadCapacityUnits', DifferenceType: 'NOT_EQUAL', ExpectedValue: '5', ActualValue: '1' },
      { PropertyPath: '/TimeToLiveSpecification/Enabled', DifferenceType: 'NOT_EQUAL', ExpectedValue: 'true', ActualValue: 'false' },
    ]);
    // DELETED resources carry neither property structure.
    expect(by.AuditLogs.ActualProperties).toBeUndefined();
    expect(by.AssetsPolicy.PropertyDifferences ?? []).toEqual([]);
    expect(JSON.parse(by.Assets.ExpectedProperties!)).toEqual({ BucketName: BUCKET });

    const stack = (await c.cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0];
    expect(stack.DriftInformation!.StackDriftStatus).toBe('DRIFTED');
    expect(stack.DriftInformation!.LastCheckTimestamp).toBeInstanceOf(Date);
    const fn = await c.cfn.send(new DescribeStackResourceCommand({ StackName: STACK, LogicalResourceId: 'Fn' }));
    expect(fn.StackResourceDetail!.DriftInformation!.StackResourceDriftStatus).toBe('MODIFIED');
  });

  test('DescribeStackResourceDrifts filters by status and pages', async () => {
    expect((await drifts(c.cfn, ['DELETED'])).map((d) => d.LogicalResourceId).sort()).toEqual(['AssetsPolicy', 'AuditLogs']);
    expect((await drifts(c.cfn, ['IN_SYNC'])).map((d) => d.LogicalResourceId).sort()).toEqual(['Assets', 'LogsPolicy']);
    const first = await c.cfn.send(new DescribeStackResourceDriftsCommand({ StackName: STACK, MaxResults: 3 }));
    expect(first.StackResourceDrifts).toHaveLength(3);
    const rest = await c.cfn.send(
      new DescribeStackResourceDriftsCommand({ StackName: STACK, MaxResults: 100, NextToken: first.NextToken }),
    );
    expect((rest.StackResourceDrifts ?? []).length + 3).toBe(10);
  });

  test('LogicalResourceIds limits a detection to those resources', async () => {
    const status = await detect(c.cfn, ['Flag', 'Assets']);
    expect(status).toMatchObject({ DetectionStatus: 'DETECTION_COMPLETE', DriftedStackResourceCount: 1 });
  });

  test('DetectStackResourceDrift checks one resource and updates the stack drift status', async () => {
    const one = await c.cfn.send(new DetectStackResourceDriftCommand({ StackName: STACK, LogicalResourceId: 'AppLogs' }));
    expect(one.StackResourceDrift).toMatchObject({
      LogicalResourceId: 'AppLogs',
      PhysicalResourceId: '/drift/app',
      StackResourceDriftStatus: 'MODIFIED',
    });
    await c.logs.send(new PutRetentionPolicyCommand({ logGroupName: '/drift/app', retentionInDays: 30 }));
    const again = await c.cfn.send(new DetectStackResourceDriftCommand({ StackName: STACK, LogicalResourceId: 'AppLogs' }));
    expect(again.StackResourceDrift!.StackResourceDriftStatus).toBe('IN_SYNC');
    expect(again.StackResourceDrift!.PropertyDifferences ?? []).toEqual([]);
    // Still DRIFTED: other resources' latest results are drifted.
    expect((await c.cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0].DriftInformation!.StackDriftStatus).toBe(
      'DRIFTED',
    );
  });

  test('DetectStackResourceDrift refuses an unknown resource and a type without drift support', async () => {
    const unknown = await rejection(c.cfn.send(new DetectStackResourceDriftCommand({ StackName: STACK, LogicalResourceId: 'Nope' })));
    expect([unknown.name, unknown.message]).toEqual(['ValidationError', `Resource Nope does not exist for stack ${STACK}`]);
    const vpc = await rejection(c.cfn.send(new DetectStackResourceDriftCommand({ StackName: STACK, LogicalResourceId: 'Vpc' })));
    expect(vpc.name).toBe('ValidationError');
    expect(vpc.message).toMatch(/not supported for resource type AWS::EC2::VPC/);
  });
});
