/**
 * Variant image-tag (guide CHECK 4) of the same CannotPullContainerError, end to end on the kit's
 * moto: armed, remedies, reset, destroy.
 */
import { BatchGetImageCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ListTaskDefinitionsCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { checkScenario } from '../../../lib/ops/check';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import { awsCli, useLab } from '../../../test/support/lab';
import { failing } from '../../../test/support/report';
import scenario from '..';
import { live, message, registerRevision } from './helpers';

describe('variant image-tag (CHECK 4)', () => {
  const lab = useLab(scenario, { learner: 'tag', variant: 'image-tag' });

  test('armed: the task definition asks for v2, which is not in the repository; immutable tags are advice only', async () => {
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['task-image-exists']);
    const c = report.criteria.find((x) => x.id === 'task-image-exists')!;
    expect(c.message).toMatch(/has no image with tag v2, which task definition tag-fargate-cannot-pull-image-app:1 runs/);
    expect(c.advice).toMatch(/mutable tags/);
    expect((await scenario.symptom(lab.ctx)).summary).toMatch(/failed to resolve ref \S+:v2: \S+:v2: not found$/);
  });

  test('remedy: push the missing tag (re-tag v1 as v2 with the aws CLI)', async () => {
    const { repo } = await live(lab.ctx);
    const got = await awsCli(lab.endpoint, [
      'ecr',
      'batch-get-image',
      '--repository-name',
      repo.repositoryName!,
      '--image-ids',
      'imageTag=v1',
    ]);
    await awsCli(lab.endpoint, [
      'ecr',
      'put-image',
      '--repository-name',
      repo.repositoryName!,
      '--image-tag',
      'v2',
      '--image-manifest',
      got.images[0].imageManifest,
    ]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    await resetScenario(scenario, lab.ctx);
  });

  test('remedy: a new revision on v1, and the service moved onto it by family:revision', async () => {
    const { repo, cluster, service } = await live(lab.ctx);
    const rev = await registerRevision(lab.ctx, (input) => {
      input.containerDefinitions![0].image = `${repo.repositoryUri}:v1`;
    });
    await lab.ctx.clients.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: rev.familyRevision }));
    const svc = await lab.ctx.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    // Whatever form moto reports, the checker must resolve the live revision.
    expect([rev.arn, rev.familyRevision]).toContain(svc.services![0].taskDefinition);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(message(report, 'task-image-exists')).toContain(rev.familyRevision);
    await resetScenario(scenario, lab.ctx);
  });

  test('remedy: the same with the revision ARN', async () => {
    const { repo, cluster, service } = await live(lab.ctx);
    const rev = await registerRevision(lab.ctx, (input) => {
      input.containerDefinitions![0].image = `${repo.repositoryUri}:v1`;
    });
    await lab.ctx.clients.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: rev.arn }));
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual([]);
    await resetScenario(scenario, lab.ctx);
  });

  test('shortcut: a fixed revision registered but the service not moved onto it', async () => {
    const { repo } = await live(lab.ctx);
    await registerRevision(lab.ctx, (input) => {
      input.containerDefinitions![0].image = `${repo.repositoryUri}:v1`;
    });
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['task-image-exists']);
    await resetScenario(scenario, lab.ctx);
  });

  test('shortcut: running a public image instead of the private one', async () => {
    const { cluster, service } = await live(lab.ctx);
    const rev = await registerRevision(lab.ctx, (input) => {
      input.containerDefinitions![0].image = 'public.ecr.aws/docker/library/busybox:stable';
    });
    await lab.ctx.clients.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: rev.arn }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['task-image-exists']);
    expect(message(report, 'task-image-exists')).toMatch(
      /is public\.ecr\.aws\/docker\/library\/busybox:stable, not an image in the lab's private repository/,
    );
    await resetScenario(scenario, lab.ctx);
  });

  test("reset re-arms, and destroy deregisters the learner's revisions and leaves nothing", async () => {
    const { repo } = await live(lab.ctx);
    await lab.ctx.clients.ecr.send(
      new PutImageCommand({
        repositoryName: repo.repositoryName,
        imageTag: 'v2',
        imageManifest: (
          await lab.ctx.clients.ecr.send(new BatchGetImageCommand({ repositoryName: repo.repositoryName, imageIds: [{ imageTag: 'v1' }] }))
        ).images![0].imageManifest,
      }),
    );
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
    await resetScenario(scenario, lab.ctx);
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['task-image-exists']);
    const rev = await registerRevision(lab.ctx, (input) => {
      input.containerDefinitions![0].image = `${repo.repositoryUri}:v1`;
    });
    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
    expect(result.removed.join('\n')).toContain(`task definition ${rev.familyRevision}`);
    const active = await lab.ctx.clients.ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'tag-fargate-cannot-pull-image-app', status: 'ACTIVE' }),
    );
    expect(active.taskDefinitionArns ?? []).toEqual([]);
  });
});
