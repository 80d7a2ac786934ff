/**
 * The other causes of the same CannotPullContainerError (guide CHECK 1 and
 * CHECK 4), end to end on the kit's moto: armed, remedies, shortcuts,
 * reset, destroy.
 */
import { BatchGetImageCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  RegisterTaskDefinitionCommandInput,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { AttachRolePolicyCommand, GetRoleCommand, ListRolesCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { CheckReport } from '../../../checkers/criterion';
import { checkScenario } from '../../../lib/ops/check';
import { deployScenario } from '../../../lib/ops/deploy';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { startTestMoto, TestMoto } from '../../../test/support/moto';
import { awsCli, isolateBreakfixHome, labContext } from '../../../test/support/lab';
import scenario from '..';
import { gatherFargatePull } from '../gather';

let moto: TestMoto;

beforeAll(async () => {
  isolateBreakfixHome();
  moto = await startTestMoto();
});
afterAll(async () => {
  await moto?.stop();
});

const failing = (r: CheckReport) => r.criteria.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id);
const message = (r: CheckReport, id: string) => r.criteria.find((c) => c.id === id)!.message;

async function live(ctx: ScenarioContext) {
  const s = await gatherFargatePull(ctx);
  return { s, roleName: s.executionRole!.roleName, cluster: s.service.clusterArn!, service: s.service.serviceName!, repo: s.repository! };
}

/** A new revision of the service's live task definition with one change, as a learner registers it. */
async function registerRevision(
  ctx: ScenarioContext,
  change: (input: RegisterTaskDefinitionCommandInput) => void,
): Promise<{ arn: string; familyRevision: string }> {
  const { s } = await live(ctx);
  const td = (await ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: s.service.taskDefinition }))).taskDefinition!;
  const input: RegisterTaskDefinitionCommandInput = {
    family: td.family!,
    containerDefinitions: td.containerDefinitions!,
    executionRoleArn: td.executionRoleArn,
    taskRoleArn: td.taskRoleArn,
    networkMode: td.networkMode,
    requiresCompatibilities: td.requiresCompatibilities,
    cpu: td.cpu,
    memory: td.memory,
  };
  change(input);
  const out = await ctx.clients.ecs.send(new RegisterTaskDefinitionCommand(input));
  return { arn: out.taskDefinition!.taskDefinitionArn!, familyRevision: `${out.taskDefinition!.family}:${out.taskDefinition!.revision}` };
}

describe('variant execution-role-ecr (CHECK 1)', () => {
  let ctx: ScenarioContext;
  beforeAll(async () => {
    ctx = labContext(scenario, moto.endpoint, { learner: 'role', variant: 'execution-role-ecr' });
    await deployScenario(scenario, ctx);
  });
  afterAll(() => ctx.clients.destroy());

  test('armed: the network is complete, the execution role cannot pull', async () => {
    const report = await checkScenario(scenario, ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['execution-role-can-pull-image']);
    expect(message(report, 'execution-role-can-pull-image')).toMatch(
      /is not allowed ecr:GetAuthorizationToken, ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer, ecr:BatchGetImage \(implicitly denied: no identity-based policy allows ecr:GetAuthorizationToken\)/,
    );
    const symptom = await scenario.symptom(ctx);
    expect(symptom.summary).toMatch(
      /unable to retrieve ecr registry auth: .*AccessDeniedException: User: arn:aws:sts::\d+:assumed-role\/role-fargate-cannot-pull-image-ExecutionRole\S+ is not authorized to perform: ecr:GetAuthorizationToken on resource: \* because no identity-based policy allows the ecr:GetAuthorizationToken action/,
    );
  });

  test('remedy: attaching the AWS managed execution policy with the aws CLI', async () => {
    const { roleName } = await live(ctx);
    await awsCli(moto.endpoint, [
      'iam',
      'attach-role-policy',
      '--role-name',
      roleName,
      '--policy-arn',
      'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    ]);
    const report = await checkScenario(scenario, ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
    await resetScenario(scenario, ctx);
  });

  test('remedy: an inline policy with exactly the four pull actions', async () => {
    const { roleName, repo } = await live(ctx);
    await ctx.clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'EcrPull',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
            {
              Effect: 'Allow',
              Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
              Resource: repo.repositoryArn,
            },
          ],
        }),
      }),
    );
    expect((await checkScenario(scenario, ctx)).verdict).toBe('fixed');
    await resetScenario(scenario, ctx);
  });

  test('shortcut: AdministratorAccess on the execution role', async () => {
    const { roleName } = await live(ctx);
    await ctx.clients.iam.send(
      new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    );
    const report = await checkScenario(scenario, ctx);
    expect(failing(report)).toEqual(['execution-role-least-privilege']);
    expect(message(report, 'execution-role-least-privilege')).toMatch(/is also allowed ecr:PutImage on arn:aws:ecr:/);
    await resetScenario(scenario, ctx);
  });

  test('shortcut: ecr:* on *', async () => {
    const { roleName } = await live(ctx);
    await ctx.clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'EcrAll',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'AllEcr', Effect: 'Allow', Action: 'ecr:*', Resource: '*' }],
        }),
      }),
    );
    const report = await checkScenario(scenario, ctx);
    expect(failing(report)).toEqual(['execution-role-least-privilege']);
    expect(message(report, 'execution-role-least-privilege')).toMatch(/inline policy EcrAll statement AllEcr/);
    await resetScenario(scenario, ctx);
  });

  test('reset re-arms, and destroy removes the stack with the learner-attached policy', async () => {
    const { roleName } = await live(ctx);
    await ctx.clients.iam.send(
      new AttachRolePolicyCommand({
        RoleName: roleName,
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
      }),
    );
    expect((await checkScenario(scenario, ctx)).verdict).toBe('fixed');
    await resetScenario(scenario, ctx);
    expect(failing(await checkScenario(scenario, ctx))).toEqual(['execution-role-can-pull-image']);
    const { roleName: fresh } = await live(ctx);
    await ctx.clients.iam.send(
      new AttachRolePolicyCommand({ RoleName: fresh, PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }),
    );
    const result = await destroyScenario(scenario, ctx);
    expect(result.leftovers).toEqual([]);
    expect(result.removed.join('\n')).toContain(`AmazonECSTaskExecutionRolePolicy detached from role ${fresh}`);
    await expect(ctx.clients.iam.send(new GetRoleCommand({ RoleName: fresh }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    const roles = await ctx.clients.iam.send(new ListRolesCommand({}));
    expect((roles.Roles ?? []).map((r) => r.RoleName).filter((n) => n?.startsWith('role-fargate'))).toEqual([]);
  });
});

describe('variant image-tag (CHECK 4)', () => {
  let ctx: ScenarioContext;
  beforeAll(async () => {
    ctx = labContext(scenario, moto.endpoint, { learner: 'tag', variant: 'image-tag' });
    await deployScenario(scenario, ctx);
  });
  afterAll(() => ctx.clients.destroy());

  test('armed: the task definition asks for v2, which is not in the repository; immutable tags are advice only', async () => {
    const report = await checkScenario(scenario, ctx);
    expect(failing(report)).toEqual(['task-image-exists']);
    const c = report.criteria.find((x) => x.id === 'task-image-exists')!;
    expect(c.message).toMatch(/has no image tagged v2, which task definition tag-fargate-cannot-pull-image-app:1 runs/);
    expect(c.advice).toMatch(/mutable tags/);
    expect((await scenario.symptom(ctx)).summary).toMatch(/failed to resolve ref \S+:v2: \S+:v2: not found$/);
  });

  test('remedy: push the missing tag (re-tag v1 as v2 with the aws CLI)', async () => {
    const { repo } = await live(ctx);
    const got = await awsCli(moto.endpoint, [
      'ecr',
      'batch-get-image',
      '--repository-name',
      repo.repositoryName!,
      '--image-ids',
      'imageTag=v1',
    ]);
    await awsCli(moto.endpoint, [
      'ecr',
      'put-image',
      '--repository-name',
      repo.repositoryName!,
      '--image-tag',
      'v2',
      '--image-manifest',
      got.images[0].imageManifest,
    ]);
    const report = await checkScenario(scenario, ctx);
    expect(failing(report)).toEqual([]);
    await resetScenario(scenario, ctx);
  });

  test('remedy: a new revision on v1, and the service moved onto it by family:revision', async () => {
    const { repo, cluster, service } = await live(ctx);
    const rev = await registerRevision(ctx, (input) => {
      input.containerDefinitions![0].image = `${repo.repositoryUri}:v1`;
    });
    await ctx.clients.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: rev.familyRevision }));
    const svc = await ctx.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    // Whatever form moto reports, the checker must resolve the live revision.
    expect([rev.arn, rev.familyRevision]).toContain(svc.services![0].taskDefinition);
    const report = await checkScenario(scenario, ctx);
    expect(failing(report)).toEqual([]);
    expect(message(report, 'task-image-exists')).toContain(rev.familyRevision);
    await resetScenario(scenario, ctx);
  });

  test('remedy: the same with the revision ARN', async () => {
    const { repo, cluster, service } = await live(ctx);
    const rev = await registerRevision(ctx, (input) => {
      input.containerDefinitions![0].image = `${repo.repositoryUri}:v1`;
    });
    await ctx.clients.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: rev.arn }));
    expect(failing(await checkScenario(scenario, ctx))).toEqual([]);
    await resetScenario(scenario, ctx);
  });

  test('shortcut: a fixed revision registered but the service not moved onto it', async () => {
    const { repo } = await live(ctx);
    await registerRevision(ctx, (input) => {
      input.containerDefinitions![0].image = `${repo.repositoryUri}:v1`;
    });
    expect(failing(await checkScenario(scenario, ctx))).toEqual(['task-image-exists']);
    await resetScenario(scenario, ctx);
  });

  test('shortcut: running a public image instead of the private one', async () => {
    const { cluster, service } = await live(ctx);
    const rev = await registerRevision(ctx, (input) => {
      input.containerDefinitions![0].image = 'public.ecr.aws/docker/library/busybox:stable';
    });
    await ctx.clients.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: rev.arn }));
    const report = await checkScenario(scenario, ctx);
    expect(failing(report)).toEqual(['task-image-exists']);
    expect(message(report, 'task-image-exists')).toMatch(
      /is public\.ecr\.aws\/docker\/library\/busybox:stable, not an image in the lab's private repository/,
    );
    await resetScenario(scenario, ctx);
  });

  test("reset re-arms, and destroy deregisters the learner's revisions and leaves nothing", async () => {
    const { repo } = await live(ctx);
    await ctx.clients.ecr.send(
      new PutImageCommand({
        repositoryName: repo.repositoryName,
        imageTag: 'v2',
        imageManifest: (
          await ctx.clients.ecr.send(new BatchGetImageCommand({ repositoryName: repo.repositoryName, imageIds: [{ imageTag: 'v1' }] }))
        ).images![0].imageManifest,
      }),
    );
    expect((await checkScenario(scenario, ctx)).verdict).toBe('fixed');
    await resetScenario(scenario, ctx);
    expect(failing(await checkScenario(scenario, ctx))).toEqual(['task-image-exists']);
    const rev = await registerRevision(ctx, (input) => {
      input.containerDefinitions![0].image = `${repo.repositoryUri}:v1`;
    });
    const result = await destroyScenario(scenario, ctx);
    expect(result.leftovers).toEqual([]);
    expect(result.removed.join('\n')).toContain(`task definition ${rev.familyRevision}`);
    const active = await ctx.clients.ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'tag-fargate-cannot-pull-image-app', status: 'ACTIVE' }),
    );
    expect(active.taskDefinitionArns ?? []).toEqual([]);
  });
});
