/**
 * Variant execution-role-ecr (guide CHECK 1) of the same CannotPullContainerError, end to end on the
 * kit's moto: armed, remedies, shortcuts, reset, destroy.
 */
import { AttachRolePolicyCommand, GetRoleCommand, ListRolesCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { checkScenario } from '../../../lib/ops/check';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import { awsCli, useLab } from '../../../test/support/lab';
import { failing } from '../../../test/support/report';
import scenario from '..';
import { live, message } from './helpers';

describe('variant execution-role-ecr (CHECK 1)', () => {
  const lab = useLab(scenario, { learner: 'role', variant: 'execution-role-ecr' });

  test('armed: the network is complete, the execution role cannot pull', async () => {
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['execution-role-can-pull-image']);
    expect(message(report, 'execution-role-can-pull-image')).toMatch(
      /is not allowed ecr:GetAuthorizationToken, ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer, ecr:BatchGetImage \(ecr:GetAuthorizationToken from subnet subnet-[0-9a-f]+: implicitly denied: no identity-based policy allows ecr:GetAuthorizationToken\)/,
    );
    const symptom = await scenario.symptom(lab.ctx);
    expect(symptom.summary).toMatch(
      /unable to retrieve ecr registry auth: .*AccessDeniedException: User: arn:aws:sts::\d+:assumed-role\/role-fargate-cannot-pull-image-ExecutionRole\S+ is not authorized to perform: ecr:GetAuthorizationToken on resource: \* because no identity-based policy allows the ecr:GetAuthorizationToken action/,
    );
  });

  test('remedy: attaching the AWS managed execution policy with the aws CLI', async () => {
    const { roleName } = await live(lab.ctx);
    await awsCli(lab.endpoint, [
      'iam',
      'attach-role-policy',
      '--role-name',
      roleName,
      '--policy-arn',
      'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    ]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
    await resetScenario(scenario, lab.ctx);
  });

  test('remedy: an inline policy with exactly the four pull actions', async () => {
    const { roleName, repo } = await live(lab.ctx);
    await lab.ctx.clients.iam.send(
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
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
    await resetScenario(scenario, lab.ctx);
  });

  test('shortcut: AdministratorAccess on the execution role', async () => {
    const { roleName } = await live(lab.ctx);
    await lab.ctx.clients.iam.send(
      new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['execution-role-least-privilege']);
    expect(message(report, 'execution-role-least-privilege')).toMatch(
      /may do more than pull images and write logs: ecr:BatchDeleteImage on arn:aws:ecr:\S+ \(granted by managed policy AdministratorAccess statement \[0\]\)/,
    );
    await resetScenario(scenario, lab.ctx);
  });

  test('shortcut: ecr:* on *', async () => {
    const { roleName } = await live(lab.ctx);
    await lab.ctx.clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'EcrAll',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'AllEcr', Effect: 'Allow', Action: 'ecr:*', Resource: '*' }],
        }),
      }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['execution-role-least-privilege']);
    expect(message(report, 'execution-role-least-privilege')).toMatch(/inline policy EcrAll statement AllEcr/);
    await resetScenario(scenario, lab.ctx);
  });

  test('reset re-arms, and destroy removes the stack with the learner-attached policy', async () => {
    const { roleName } = await live(lab.ctx);
    await lab.ctx.clients.iam.send(
      new AttachRolePolicyCommand({
        RoleName: roleName,
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
      }),
    );
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
    await resetScenario(scenario, lab.ctx);
    expect(failing(await checkScenario(scenario, lab.ctx))).toEqual(['execution-role-can-pull-image']);
    const { roleName: fresh } = await live(lab.ctx);
    await lab.ctx.clients.iam.send(
      new AttachRolePolicyCommand({ RoleName: fresh, PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }),
    );
    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
    expect(result.removed.join('\n')).toContain(
      `attachment of arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy to IAM role ${fresh}`,
    );
    await expect(lab.ctx.clients.iam.send(new GetRoleCommand({ RoleName: fresh }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
    const roles = await lab.ctx.clients.iam.send(new ListRolesCommand({}));
    expect((roles.Roles ?? []).map((r) => r.RoleName).filter((n) => n?.startsWith('role-fargate'))).toEqual([]);
  });
});
