/**
 * After the CDK deploy: on emulators, which cannot run the seeding Lambda,
 * put the app's image into the lab repository; then prove the lab is armed,
 * by deriving the stopped reason from live state and checking that the first
 * broken hop of the pull is the one this variant breaks.
 */
import { createHash } from 'node:crypto';
import { DescribeImagesCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import type { ArmedResult, ScenarioContext } from '../../lib/scenario/types';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { isEmulator } from '../../lib/targets/target';
import { ignoring } from '../../lib/toolkit/aws-errors';
import { gatherFargatePull } from './gather';
import { APP_IMAGE_TAG, ARMED_BY, FargatePullVariant } from './lab';
import { deriveStoppedReason } from './symptom';

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

/** Emulators: the image the seeding Lambda copies on AWS, as a manifest only. */
export async function seedEmulatorImage(ctx: ScenarioContext): Promise<void> {
  if (!isEmulator(ctx.target)) return;
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const [repositoryName] = physicalIdsOfType(resources, 'AWS::ECR::Repository');
  if (!repositoryName) throw new Error(`Stack ${ctx.stackName} lists no ECR repository.`);
  await ignoring(
    ['ImageAlreadyExistsException'],
    ctx.clients.ecr.send(
      new PutImageCommand({
        repositoryName,
        imageTag: APP_IMAGE_TAG,
        imageManifest: emulatorManifest(repositoryName),
        imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      }),
    ),
  );
}

export async function verifyArmed(ctx: ScenarioContext): Promise<ArmedResult> {
  const s = await gatherFargatePull(ctx);
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
