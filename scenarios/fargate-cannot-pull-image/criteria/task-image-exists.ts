import { Criterion, fail, pass } from '../../../checkers/criterion';
import { FargatePullSnapshot, imageSelector } from '../gather';

/** The image the live task definition asks for, by tag or digest, must be in the lab's private repository (guide CHECK 4). */
export const taskImageExists: Criterion<FargatePullSnapshot> = {
  id: 'task-image-exists',
  title: "The task's image (by tag or digest) exists in the lab's private ECR repository",
  rationale:
    'A task definition that names a tag or digest the repository does not hold fails with CannotPullContainerError: not found, however good the network and the role are.',
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image',
  ],
  evaluate(s) {
    const td = s.taskDefinition;
    if (!td || !s.imageRef)
      return fail(`Task definition ${s.service.taskDefinition} of ECS service ${s.service.serviceName} names no container image.`);
    const where = `task definition ${td.family}:${td.revision}`;
    if (!s.imageFromLabRepository) {
      return fail(
        `The container image of ${where} is ${s.imageRef.ref}, not an image in the lab's private repository ${s.repository?.repositoryUri ?? s.repositoryName}.`,
      );
    }
    const selector = imageSelector(s.imageRef);
    // A digest pins the manifest, so only a reference by tag can be moved by a later push.
    const advice =
      s.repository?.imageTagMutability === 'MUTABLE' && !s.imageRef.digest
        ? `Repository ${s.repositoryName} has mutable tags: a push can silently replace what ${s.imageRef.tag} points at; the guide recommends immutable tags.`
        : undefined;
    if (!s.image) return fail(`Repository ${s.repositoryName} has no image with ${selector}, which ${where} runs.`, advice);
    return pass(
      `Repository ${s.repositoryName} holds the image with ${selector} (${s.image.imageDigest ?? 'digest unknown'}), which ${where} runs.`,
      advice,
    );
  },
};
