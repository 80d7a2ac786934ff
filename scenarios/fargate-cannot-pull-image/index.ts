import { DescribeImagesCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { createHash } from 'node:crypto';
import type { ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { sweepLearnerVpcResources } from '../../lib/cleanup/vpc-sweeper';
import { sweepLearnerRolePolicies } from '../../lib/cleanup/iam-sweeper';
import { sweepLearnerTaskDefinitions } from '../../lib/cleanup/task-definition-sweeper';
import { FargatePullStack, APP_IMAGE_TAG, FargatePullVariant } from './stack';
import { FargatePullSnapshot, gatherFargatePull } from './gather';
import { deriveStoppedReason, fargatePullSymptom } from './symptom';
import { tasksLaunchIntoPrivateSubnets } from './criteria/tasks-launch-into-private-subnets';
import { noInternetEgress } from './criteria/no-internet-egress';
import { ecrEndpointsReachable } from './criteria/ecr-endpoints-reachable';
import { s3LayerPathFromEveryTaskSubnet } from './criteria/s3-layer-path-from-every-task-subnet';
import { s3EndpointPolicyAllowsLayerBucket } from './criteria/s3-endpoint-policy-allows-layer-bucket';
import { tasksReachRunning } from './criteria/tasks-reach-running';
import { executionRoleCanPullImage } from './criteria/execution-role-can-pull-image';
import { executionRoleLeastPrivilege } from './criteria/execution-role-least-privilege';
import { taskImageExists } from './criteria/task-image-exists';

/**
 * A synthetic but well-formed image manifest for emulators, which store
 * manifests without fetching layers. Digests are derived, not random, so
 * re-seeding is idempotent.
 */
function emulatorManifest(repositoryName: string): string {
  const digest = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1469, digest: digest(`${repositoryName}:config`) },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 2155323, digest: digest(`${repositoryName}:layer0`) }],
  });
}

async function seedEmulatorImage(ctx: ScenarioContext): Promise<void> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const [repositoryName] = physicalIdsOfType(resources, 'AWS::ECR::Repository');
  if (!repositoryName) throw new Error(`Stack ${ctx.stackName} lists no ECR repository.`);
  await ctx.clients.ecr
    .send(
      new PutImageCommand({
        repositoryName,
        imageTag: APP_IMAGE_TAG,
        imageManifest: emulatorManifest(repositoryName),
        imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      }),
    )
    .catch((err: { name?: string }) => {
      if (err.name !== 'ImageAlreadyExistsException') throw err;
    });
}

/** What the first broken hop must be for each variant to count as armed. */
const ARMED_BY: Record<FargatePullVariant, { reason: RegExp; what: string }> = {
  'no-s3-path': { reason: /starport-layer-bucket.*i\/o timeout/, what: 'the S3 layer download' },
  'execution-role-ecr': { reason: /AccessDeniedException: .*ecr:GetAuthorizationToken/, what: 'ECR registry auth with the execution role' },
  'image-tag': { reason: /failed to resolve ref .*: not found$/, what: 'the image manifest' },
};

async function verifyArmed(ctx: ScenarioContext): Promise<{ armed: boolean; facts: string[] }> {
  const s: FargatePullSnapshot = await gatherFargatePull(ctx);
  const td = s.taskDefinition;
  if (!td?.executionRoleArn || td.networkMode !== 'awsvpc' || !td.requiresCompatibilities?.includes('FARGATE')) {
    return {
      armed: false,
      facts: [
        `Task definition ${s.service.taskDefinition} does not show a Fargate awsvpc task with an execution role (executionRoleArn=${td?.executionRoleArn ?? 'missing'}, networkMode=${td?.networkMode ?? 'missing'}).`,
      ],
    };
  }
  if (!s.service.networkConfiguration?.awsvpcConfiguration?.subnets?.length)
    return { armed: false, facts: [`ECS service ${s.service.serviceName} shows no awsvpc subnets.`] };
  const seeded = await ctx.clients.ecr
    .send(new DescribeImagesCommand({ repositoryName: s.repositoryName }))
    .then((o) => (o.imageDetails ?? []).flatMap((d) => d.imageTags ?? []));
  if (!seeded.includes(APP_IMAGE_TAG))
    return { armed: false, facts: [`ECR repository ${s.repositoryName} holds no image tagged ${APP_IMAGE_TAG}.`] };
  const expected = ARMED_BY[ctx.variant as FargatePullVariant];
  if (!expected) return { armed: false, facts: [`Unknown variant ${ctx.variant}.`] };
  const derived = await deriveStoppedReason(s);
  if (!derived || !expected.reason.test(derived.reason)) {
    const found = derived
      ? `the first broken hop is different: ${derived.because}`
      : 'every hop of the image pull works; nothing is broken';
    return { armed: false, facts: [`Variant ${ctx.variant} should break ${expected.what}, but ${found}`] };
  }
  return { armed: true, facts: [derived.because] };
}

/** CDK names an AWS::IAM::Policy after its logical ID; CloudFormation's physical ID differs. */
function stackInlinePolicyNames(
  resources: { ResourceType?: string; LogicalResourceId?: string; PhysicalResourceId?: string }[],
): Set<string> {
  return new Set(
    resources
      .filter((r) => r.ResourceType === 'AWS::IAM::Policy')
      .flatMap((r) => [r.LogicalResourceId!, r.PhysicalResourceId!])
      .filter(Boolean),
  );
}

async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const [vpcId] = physicalIdsOfType(resources, 'AWS::EC2::VPC');
  const stackOwned = new Set(resources.map((r) => r.PhysicalResourceId!).filter(Boolean));
  const removed: string[] = [];
  const [taskDefinitionArn] = physicalIdsOfType(resources, 'AWS::ECS::TaskDefinition');
  if (taskDefinitionArn) {
    const family = taskDefinitionArn.split('/').pop()!.split(':')[0];
    removed.push(...(await sweepLearnerTaskDefinitions(ctx.clients.ecs, family, stackOwned)));
  }
  removed.push(
    ...(await sweepLearnerRolePolicies(ctx.clients.iam, physicalIdsOfType(resources, 'AWS::IAM::Role'), stackInlinePolicyNames(resources))),
  );
  if (vpcId)
    removed.push(
      ...(await sweepLearnerVpcResources(ctx.clients.ec2, vpcId, {
        stackOwned,
        progress: ctx.progress,
        pollMs: ctx.target.kind === 'aws' ? 10000 : 200,
      })),
    );
  return removed;
}

const scenario: ScenarioDefinition<FargatePullSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new FargatePullStack(scope, { ...props, sourceDir: scenario.dir }),
  gather: gatherFargatePull,
  criteria: [
    tasksLaunchIntoPrivateSubnets,
    noInternetEgress,
    ecrEndpointsReachable,
    s3LayerPathFromEveryTaskSubnet,
    s3EndpointPolicyAllowsLayerBucket,
    executionRoleCanPullImage,
    executionRoleLeastPrivilege,
    taskImageExists,
    tasksReachRunning,
  ],
  symptom: async (ctx) => fargatePullSymptom(await gatherFargatePull(ctx)),
  verifyArmed,
  afterDeploy: async (ctx) => {
    if (ctx.target.kind !== 'aws') await seedEmulatorImage(ctx);
  },
  sweepLearnerResources,
});

export default scenario;
