/**
 * The emulator's DetectStackDrift (patch_cfn_drift_detection) and breakfix's
 * own drift engine (lib/engines/cfn/drift.ts) agree on the same stacks and
 * the same out-of-band changes: per resource the same IN_SYNC / MODIFIED /
 * DELETED / NOT_CHECKED, and the same PropertyDifferences (path, type,
 * expected and actual value).
 *
 * Both follow the documented semantics, asserted here on the shared results:
 * - "Detect unmanaged configuration changes to stacks and resources with
 *   drift detection" (CloudFormation User Guide): only properties explicitly
 *   set in the template are checked, so a default changed out of band is not
 *   drift; resources that do not support drift detection are NOT_CHECKED.
 * - "PropertyDifference" (CloudFormation API Reference): ADD for a value
 *   added to a list, REMOVE for a property removed, NOT_EQUAL otherwise.
 * - "StackResourceDrift": a deleted resource is DELETED, with no actual
 *   properties.
 * - "DescribeStackResourceDrifts": resources that do not support drift
 *   detection are not included.
 */
import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  StackResourceDrift,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSubnetCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { detectStackDrift, StackDrift } from '../../lib/engines/cfn/drift';
import { startTestMoto, TestMoto } from '../support/moto';
import { cloneTemplate, createStack, physicalIds, Template, waitForStack } from './cfn-harness';
import { DRIFT_TEMPLATE, driftClientsFor, driftEverything } from './drift-template';

interface Verdict {
  status: string;
  differences: { path: string; type: string; expected: unknown; actual: unknown }[];
}

const parsed = (text: string | undefined): unknown => {
  try {
    return JSON.parse(text ?? 'null');
  } catch {
    return text;
  }
};

const byPath = (a: { path: string; type: string }, b: { path: string; type: string }) =>
  `${a.path} ${a.type}`.localeCompare(`${b.path} ${b.type}`);

/** What the emulator says, per checked resource. */
async function emulatorVerdicts(cfn: CloudFormationClient, stack: string): Promise<Record<string, Verdict>> {
  const { StackDriftDetectionId } = await cfn.send(new DetectStackDriftCommand({ StackName: stack }));
  const status = await cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }));
  expect(status.DetectionStatus).toBe('DETECTION_COMPLETE');
  const drifts: StackResourceDrift[] =
    (await cfn.send(new DescribeStackResourceDriftsCommand({ StackName: stack }))).StackResourceDrifts ?? [];
  return Object.fromEntries(
    drifts.map((d) => [
      d.LogicalResourceId!,
      {
        status: d.StackResourceDriftStatus!,
        differences: (d.PropertyDifferences ?? [])
          .map((p) => ({
            path: p.PropertyPath!,
            type: p.DifferenceType!,
            expected: parsed(p.ExpectedValue),
            actual: parsed(p.ActualValue),
          }))
          .sort(byPath),
      },
    ]),
  );
}

/** What the engine says, for the resources it could check. */
function engineVerdicts(drift: StackDrift): Record<string, Verdict> {
  return Object.fromEntries(
    drift.resources
      .filter((r) => r.status !== 'NOT_CHECKED')
      .map((r) => [
        r.logicalId,
        {
          status: r.status,
          differences: r.differences
            .map((d) => ({
              path: d.propertyPath,
              type: d.differenceType,
              expected: parsed(d.expectedValue),
              actual: parsed(d.actualValue),
            }))
            .sort(byPath),
        },
      ]),
  );
}

describe('the emulator and the drift engine on one stack of every supported type', () => {
  const STACK = 'agree';
  let moto: TestMoto;
  let c: ReturnType<typeof driftClientsFor>;
  let ids: Record<string, string>;
  const rounds: Record<string, { emulator: Record<string, Verdict>; engine: Record<string, Verdict>; engineRaw: StackDrift }> = {};

  async function round(name: string): Promise<void> {
    const emulator = await emulatorVerdicts(c.cfn, STACK);
    const engineRaw = await detectStackDrift(c, STACK);
    rounds[name] = { emulator, engine: engineVerdicts(engineRaw), engineRaw };
  }

  beforeAll(async () => {
    moto = await startTestMoto();
    c = driftClientsFor(moto.endpoint);
    const template = cloneTemplate(DRIFT_TEMPLATE);
    // A separate inline policy on the role, as CDK grants write them.
    template.Resources.Grant = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'grant',
        Roles: [{ Ref: 'AppRole' }],
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: '*' }] },
      },
    };
    expect((await createStack(c.cfn, STACK, template)).status).toBe('CREATE_COMPLETE');
    ids = await physicalIds(c.cfn, STACK);
    await round('fresh');

    await driftEverything(c, ids, (await c.ec2.send(new DescribeVpcsCommand({ VpcIds: [ids.Vpc] }))).Vpcs![0].CidrBlock!);
    await c.iam.send(
      new PutRolePolicyCommand({
        RoleName: ids.AppRole,
        PolicyName: 'grant',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:*', Resource: '*' }] }),
      }),
    );
    await round('drifted');

    // One change reverted, one codified in the template (the two valid ways to reconcile).
    await c.logs.send(new PutRetentionPolicyCommand({ logGroupName: '/drift/app', retentionInDays: 30 }));
    template.Resources.Flag.Properties!.Value = 'fast-mode';
    await c.cfn.send(new UpdateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify(template) }));
    expect(await waitForStack(c.cfn, STACK)).toBe('UPDATE_COMPLETE');
    await c.ssm.send(new PutParameterCommand({ Name: '/drift/feature-flag', Value: 'fast-mode', Type: 'String', Overwrite: true }));
    await round('reconciled');
  });

  afterAll(async () => {
    c?.destroy();
    await moto?.stop();
  });

  test.each(['fresh', 'drifted', 'reconciled'])('%s: both give every resource the same status and differences', (name) => {
    expect(rounds[name].engine).toEqual(rounds[name].emulator);
  });

  test('fresh: every checked resource IN_SYNC; the VPC (no drift support) NOT_CHECKED and left out of the drifts', () => {
    expect(new Set(Object.values(rounds.fresh.emulator).map((v) => v.status))).toEqual(new Set(['IN_SYNC']));
    expect(rounds.fresh.emulator).not.toHaveProperty('Vpc');
    expect(rounds.fresh.engineRaw.resources.find((r) => r.logicalId === 'Vpc')!.status).toBe('NOT_CHECKED');
  });

  test('drifted: defaults are not drift, additions are ADD, removals REMOVE, deletions DELETED', () => {
    const v = rounds.drifted.engine;
    expect(v.Fn.differences.map((d) => d.path)).not.toContain('/MemorySize');
    expect(v.AppSg.differences.map((d) => d.type).sort()).toEqual(['ADD', 'REMOVE']);
    expect(v.AppRole.differences.find((d) => d.path === '/ManagedPolicyArns/1')).toMatchObject({ type: 'ADD' });
    expect(v.AuditLogs).toEqual({ status: 'DELETED', differences: [] });
    expect(v.Grant.differences).toEqual([
      { path: '/PolicyDocument/Statement/0/Action', type: 'NOT_EQUAL', expected: 'ssm:GetParameter', actual: 'ssm:*' },
    ]);
    // The grant's inline policy belongs to the Grant resource, not to the role's Policies.
    expect(v.AppRole.differences.map((d) => d.path).filter((p) => p.startsWith('/Policies/'))).toEqual([
      '/Policies/0/PolicyDocument/Statement/0/Action',
      '/Policies/0/PolicyDocument/Statement/0/Resource',
    ]);
  });

  test('reconciled: the reverted log group and the codified parameter are IN_SYNC again for both', () => {
    for (const side of ['emulator', 'engine'] as const) {
      expect(rounds.reconciled[side].AppLogs.status).toBe('IN_SYNC');
      expect(rounds.reconciled[side].Flag.status).toBe('IN_SYNC');
      expect(rounds.reconciled[side].Fn.status).toBe('MODIFIED');
    }
  });
});

describe('the emulator and the drift engine on an ECS service', () => {
  const STACK = 'agree-ecs';
  let moto: TestMoto;
  let c: ReturnType<typeof driftClientsFor>;
  const rounds: Record<string, { emulator: Record<string, Verdict>; engine: Record<string, Verdict> }> = {};
  let addedSubnetIndex = -1;

  const template: Template = {
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.91.0.0/16' } },
      SubnetA: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.91.1.0/24' } },
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'svc', VpcId: { Ref: 'Vpc' } } },
      Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: 'agree' } },
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          Family: 'agree-app',
          Cpu: '256',
          Memory: '512',
          NetworkMode: 'awsvpc',
          RequiresCompatibilities: ['FARGATE'],
          ContainerDefinitions: [{ Name: 'app', Image: 'public.ecr.aws/docker/library/nginx:latest', Essential: true }],
        },
      },
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: {
          Cluster: { Ref: 'Cluster' },
          ServiceName: 'agree-svc',
          LaunchType: 'FARGATE',
          DesiredCount: 1,
          TaskDefinition: { Ref: 'Task' },
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              AssignPublicIp: 'DISABLED',
              Subnets: [{ Ref: 'SubnetA' }],
              SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }],
            },
          },
        },
      },
    },
  };

  beforeAll(async () => {
    moto = await startTestMoto();
    c = driftClientsFor(moto.endpoint);
    expect((await createStack(c.cfn, STACK, template)).status).toBe('CREATE_COMPLETE');
    const ids = await physicalIds(c.cfn, STACK);
    const round = async (name: string) => {
      rounds[name] = { emulator: await emulatorVerdicts(c.cfn, STACK), engine: engineVerdicts(await detectStackDrift(c, STACK)) };
    };
    await round('fresh');
    const other = (await c.ec2.send(new CreateSubnetCommand({ VpcId: ids.Vpc, CidrBlock: '10.91.2.0/24' }))).Subnet!.SubnetId!;
    await c.ecs.send(
      new UpdateServiceCommand({
        cluster: 'agree',
        service: 'agree-svc',
        desiredCount: 3,
        networkConfiguration: {
          awsvpcConfiguration: { assignPublicIp: 'ENABLED', subnets: [ids.SubnetA, other], securityGroups: [ids.Sg] },
        },
      }),
    );
    await round('drifted');
    // Set-like lists are compared in canonical (sorted) order, so the added subnet's index depends on the random IDs.
    addedSubnetIndex = [ids.SubnetA, other].sort().indexOf(other);
  });

  afterAll(async () => {
    c?.destroy();
    await moto?.stop();
  });

  test.each(['fresh', 'drifted'])('%s: both agree', (name) => {
    expect(rounds[name].engine).toEqual(rounds[name].emulator);
  });

  test('drifted: the service is MODIFIED (desired count, public IP, an added subnet); the task definition IN_SYNC', () => {
    expect(rounds.fresh.engine.Service.status).toBe('IN_SYNC');
    expect(rounds.drifted.engine.Task.status).toBe('IN_SYNC');
    expect(rounds.drifted.engine.Service.differences.map((d) => `${d.type} ${d.path}`).sort()).toEqual([
      `ADD /NetworkConfiguration/AwsvpcConfiguration/Subnets/${addedSubnetIndex}`,
      'NOT_EQUAL /DesiredCount',
      'NOT_EQUAL /NetworkConfiguration/AwsvpcConfiguration/AssignPublicIp',
    ]);
  });
});
