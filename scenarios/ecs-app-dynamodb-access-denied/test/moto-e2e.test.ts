/**
 * End to end on the kit's own moto: deploy arms the fault, every valid remedy
 * (SDK, AWS CLI, an edited stack) is accepted, every shortcut is rejected
 * with the right criterion named, reset re-arms, destroy leaves nothing.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ecssdk from '@aws-sdk/client-ecs';
import * as iamsdk from '@aws-sdk/client-iam';
import * as iamcdk from 'aws-cdk-lib/aws-iam';
import type { CheckReport } from '../../../checkers/criterion';
import { checkScenario } from '../../../lib/ops/check';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import { openLab } from '../../../lib/ops/lab';
import { EnvironmentError } from '../../../lib/core/errors';
import { awsCli, cdkDeploy, useLab } from '../../../test/support/lab';
import { failing } from '../../../test/support/report';
import scenario from '..';
import { OrdersAppStack } from '../stack';
import { gatherOrdersApp } from '../gather';

interface LabIds {
  cluster: string;
  service: string;
  family: string;
  liveArn: string;
  taskRoleName: string;
  taskRoleArn: string;
  executionRoleName: string;
  executionRoleArn: string;
  tableArn: string;
  account: string;
}

async function labIds(): Promise<LabIds> {
  const s = await gatherOrdersApp(lab.ctx);
  return {
    cluster: s.clusterName,
    service: s.service.serviceName!,
    family: s.live!.family!,
    liveArn: s.live!.taskDefinitionArn!,
    taskRoleName: s.live!.taskRoleArn!.split('/').pop()!,
    taskRoleArn: s.live!.taskRoleArn!,
    executionRoleName: s.live!.executionRoleArn!.split('/').pop()!,
    executionRoleArn: s.live!.executionRoleArn!,
    tableArn: s.tableArn,
    account: s.account,
  };
}

const statusOf = (r: CheckReport, id: string) => r.criteria.find((c) => c.id === id)?.status;
const messageOf = (r: CheckReport, id: string) => r.criteria.find((c) => c.id === id)?.message ?? '';

const ECS_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const readOrders = (tableArn: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'ReadOrders', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: tableArn }],
  });
const allow = (action: string, resource: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

/** RegisterTaskDefinition input that copies the live revision, with changes. */
async function revisionInput(
  ids: LabIds,
  changes: Partial<ecssdk.RegisterTaskDefinitionCommandInput>,
): Promise<ecssdk.RegisterTaskDefinitionCommandInput> {
  const td = (await lab.ctx.clients.ecs.send(new ecssdk.DescribeTaskDefinitionCommand({ taskDefinition: ids.liveArn }))).taskDefinition!;
  return {
    family: td.family,
    taskRoleArn: td.taskRoleArn,
    executionRoleArn: td.executionRoleArn,
    networkMode: td.networkMode,
    containerDefinitions: td.containerDefinitions,
    requiresCompatibilities: td.requiresCompatibilities,
    cpu: td.cpu,
    memory: td.memory,
    ...changes,
  };
}

async function registerRevision(ids: LabIds, changes: Partial<ecssdk.RegisterTaskDefinitionCommandInput>): Promise<ecssdk.TaskDefinition> {
  const out = await lab.ctx.clients.ecs.send(new ecssdk.RegisterTaskDefinitionCommand(await revisionInput(ids, changes)));
  return out.taskDefinition!;
}

async function newRole(name: string, policy?: string): Promise<string> {
  const role = await lab.ctx.clients.iam.send(new iamsdk.CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: ECS_TRUST }));
  if (policy)
    await lab.ctx.clients.iam.send(new iamsdk.PutRolePolicyCommand({ RoleName: name, PolicyName: 'ReadOrders', PolicyDocument: policy }));
  return role.Role!.Arn!;
}

const lab = useLab(scenario);

describe('armed', () => {
  test('the deployed lab is broken: only the task role fails to read the table', async () => {
    const ids = await labIds();
    expect(ids.taskRoleName).toBe('ecs-app-dynamodb-access-denied-task');
    expect(ids.executionRoleName).toBe('ecs-app-dynamodb-access-denied-execution');
    const attached = await lab.ctx.clients.iam.send(new iamsdk.ListAttachedRolePoliciesCommand({ RoleName: ids.executionRoleName }));
    expect((attached.AttachedPolicies ?? []).map((p) => p.PolicyArn)).toEqual([
      'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    ]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['task-role-can-read-orders']);
    expect(messageOf(report, 'task-role-can-read-orders')).toMatch(
      /^Task role arn:aws:iam::\d+:role\/ecs-app-dynamodb-access-denied-task of task definition ecs-app-dynamodb-access-denied-app:1 \(the one ECS service ecs-app-dynamodb-access-denied-app runs\) may not dynamodb:GetItem table arn:aws:dynamodb:us-east-1:\d+:table\/ecs-app-dynamodb-access-denied-orders: implicitly denied: no identity-based policy allows dynamodb:GetItem\.$/,
    );
    expect(statusOf(report, 'live-task-definition-has-own-task-role')).toBe('pass');
    expect(statusOf(report, 'deployment-completed-on-live-revision')).toBe('not-applicable');
    const exec = report.criteria.find((c) => c.id === 'execution-role-can-pull-and-log')!;
    expect(exec.status).toBe('pass');
    expect(exec.advice).toMatch(/still allowed dynamodb:GetItem .* ECS never uses it/);
  });

  test("status derives DynamoDB's AccessDeniedException for the task role session, labelled derived", async () => {
    const symptom = await scenario.symptom(lab.ctx);
    expect(symptom.source).toBe('derived');
    expect(symptom.summary).toMatch(
      /^An error occurred \(AccessDeniedException\) when calling the GetItem operation: User: arn:aws:sts::\d+:assumed-role\/ecs-app-dynamodb-access-denied-task\/\S+ is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:\d+:table\/ecs-app-dynamodb-access-denied-orders because no identity-based policy allows the dynamodb:GetItem action$/,
    );
    expect(symptom.derivation).toMatch(/runs no containers/);
    expect(symptom.details.join('\n')).toContain('ecs-app-dynamodb-access-denied-app:1');
  });
});

describe('valid remedies', () => {
  afterEach(async () => {
    await resetScenario(scenario, lab.ctx);
  });

  test('exactly GetItem and Query on the table, put on the task role with the SDK, is fixed', async () => {
    const ids = await labIds();
    await lab.ctx.clients.iam.send(
      new iamsdk.PutRolePolicyCommand({ RoleName: ids.taskRoleName, PolicyName: 'ReadOrders', PolicyDocument: readOrders(ids.tableArn) }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
    expect(messageOf(report, 'task-role-can-read-orders')).toMatch(
      /allowed dynamodb:GetItem \(inline policy ReadOrders statement ReadOrders\) and dynamodb:Query/,
    );
    expect((await scenario.symptom(lab.ctx)).summary).toBe('orders-app: GetItem O-5001 ok');
  });

  test('aws CLI: a new task role, a new revision that uses it, and the service moved with family:revision', async () => {
    const ids = await labIds();
    const roleName = `${lab.ctx.stackName}-orders-reader`;
    const role = await awsCli(lab.endpoint, ['iam', 'create-role', '--role-name', roleName, '--assume-role-policy-document', ECS_TRUST]);
    await awsCli(lab.endpoint, [
      'iam',
      'put-role-policy',
      '--role-name',
      roleName,
      '--policy-name',
      'ReadOrders',
      '--policy-document',
      readOrders(ids.tableArn),
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'breakfix-td-')), 'td.json');
    writeFileSync(file, JSON.stringify(await revisionInput(ids, { taskRoleArn: role.Role.Arn })));
    const registered = await awsCli(lab.endpoint, ['ecs', 'register-task-definition', '--cli-input-json', `file://${file}`]);
    const rev = `${ids.family}:${registered.taskDefinition.revision}`;
    expect(registered.taskDefinition.taskDefinitionArn).not.toBe(ids.liveArn);
    await awsCli(lab.endpoint, ['ecs', 'update-service', '--cluster', ids.cluster, '--service', ids.service, '--task-definition', rev]);
    // moto keeps the family:revision string update-service was given; the checker must follow it.
    const svc = await lab.ctx.clients.ecs.send(new ecssdk.DescribeServicesCommand({ cluster: ids.cluster, services: [ids.service] }));
    expect(svc.services![0].taskDefinition).toBe(rev);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(messageOf(report, 'live-task-definition-has-own-task-role')).toContain(
      `runs task definition ${rev}, whose task role ${role.Role.Arn}`,
    );
  });

  test('SDK: a new revision with a role that has a least-privilege managed policy, the service moved by ARN', async () => {
    const ids = await labIds();
    const roleArn = await newRole(`${lab.ctx.stackName}-orders-reader`);
    const policy = await lab.ctx.clients.iam.send(
      new iamsdk.CreatePolicyCommand({ PolicyName: `${lab.ctx.stackName}-read-orders`, PolicyDocument: readOrders(ids.tableArn) }),
    );
    await lab.ctx.clients.iam.send(
      new iamsdk.AttachRolePolicyCommand({ RoleName: `${lab.ctx.stackName}-orders-reader`, PolicyArn: policy.Policy!.Arn }),
    );
    const td = await registerRevision(ids, { taskRoleArn: roleArn });
    await lab.ctx.clients.ecs.send(
      new ecssdk.UpdateServiceCommand({ cluster: ids.cluster, service: ids.service, taskDefinition: td.taskDefinitionArn }),
    );
    const svc = await lab.ctx.clients.ecs.send(new ecssdk.DescribeServicesCommand({ cluster: ids.cluster, services: [ids.service] }));
    expect(svc.services![0].taskDefinition).toBe(td.taskDefinitionArn);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
  });

  test('an edited stack that grants the task role the two reads, redeployed, is fixed', async () => {
    await cdkDeploy(scenario, lab.ctx, (scope, props) => {
      const stack = new OrdersAppStack(scope, props);
      stack.taskRole.addToPrincipalPolicy(
        new iamcdk.PolicyStatement({
          sid: 'ReadOrders',
          actions: ['dynamodb:GetItem', 'dynamodb:Query'],
          resources: [stack.table.tableArn],
        }),
      );
      return stack;
    });
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
    // The stack's own grants are not the learner's: the sweep leaves them for CloudFormation to delete.
    const ids = await labIds();
    const extra = await lab.ctx.clients.iam.send(
      new iamsdk.CreatePolicyCommand({ PolicyName: 'learner-made-policy', PolicyDocument: allow('dynamodb:Scan', ids.tableArn) }),
    );
    await lab.ctx.clients.iam.send(new iamsdk.AttachRolePolicyCommand({ RoleName: ids.executionRoleName, PolicyArn: extra.Policy!.Arn }));
    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
    // Made during the lab (the region listing before it did not have it) and used only by the lab's role: the learner's, deleted.
    expect(result.removed.filter((r) => /policy/.test(r))).toEqual([
      `attachment of ${extra.Policy!.Arn} to IAM role ${ids.executionRoleName}`,
      `IAM policy ${extra.Policy!.Arn}`,
    ]);
    await expect(lab.ctx.clients.iam.send(new iamsdk.GetPolicyCommand({ PolicyArn: extra.Policy!.Arn }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
  });
});

describe('shortcuts are rejected', () => {
  afterEach(async () => {
    await resetScenario(scenario, lab.ctx);
  });

  test('the execution role as task role too (new revision, service moved)', async () => {
    const ids = await labIds();
    const td = await registerRevision(ids, { taskRoleArn: ids.executionRoleArn });
    await awsCli(lab.endpoint, [
      'ecs',
      'update-service',
      '--cluster',
      ids.cluster,
      '--service',
      ids.service,
      '--task-definition',
      `${ids.family}:${td.revision}`,
    ]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    // The execution role's pull and log grants now ride along as the app's own: the least-privilege proof names them too.
    expect(failing(report)).toEqual(['live-task-definition-has-own-task-role', 'task-role-least-privilege']);
    expect(messageOf(report, 'live-task-definition-has-own-task-role')).toMatch(
      /uses arn:aws:iam::\d+:role\/ecs-app-dynamodb-access-denied-execution as both task role and execution role/,
    );
  });

  test('dynamodb:* on * for the task role', async () => {
    const ids = await labIds();
    await lab.ctx.clients.iam.send(
      new iamsdk.PutRolePolicyCommand({ RoleName: ids.taskRoleName, PolicyName: 'AllDynamo', PolicyDocument: allow('dynamodb:*', '*') }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['task-role-least-privilege']);
    expect(messageOf(report, 'task-role-least-privilege')).toMatch(
      /^Task role \S+ is allowed dynamodb:\w+ on \S+ by inline policy AllDynamo statement \[0\]: it can destroy or expose table data, which the app never needs\.$/,
    );
  });

  test('* on * for the task role (AdministratorAccess attached with the aws CLI)', async () => {
    const ids = await labIds();
    await awsCli(lab.endpoint, [
      'iam',
      'attach-role-policy',
      '--role-name',
      ids.taskRoleName,
      '--policy-arn',
      'arn:aws:iam::aws:policy/AdministratorAccess',
    ]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['task-role-least-privilege']);
    expect(messageOf(report, 'task-role-least-privilege')).toContain('AdministratorAccess');
  });

  test('dynamodb:* on the orders table only', async () => {
    const ids = await labIds();
    await lab.ctx.clients.iam.send(
      new iamsdk.PutRolePolicyCommand({
        RoleName: ids.taskRoleName,
        PolicyName: 'OrdersAll',
        PolicyDocument: allow('dynamodb:*', ids.tableArn),
      }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['task-role-least-privilege']);
    expect(messageOf(report, 'task-role-least-privilege')).toMatch(
      /is allowed dynamodb:\w+ on arn:aws:dynamodb:us-east-1:\d+:table\/ecs-app-dynamodb-access-denied-orders\S* by inline policy OrdersAll statement \[0\]: it can destroy or expose table data/,
    );
  });

  test('GetItem and Query on every table', async () => {
    const ids = await labIds();
    await lab.ctx.clients.iam.send(
      new iamsdk.PutRolePolicyCommand({
        RoleName: ids.taskRoleName,
        PolicyName: 'ReadAllTables',
        PolicyDocument: readOrders(`arn:aws:dynamodb:us-east-1:${ids.account}:table/*`),
      }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['task-role-least-privilege']);
    expect(messageOf(report, 'task-role-least-privilege')).toMatch(
      /is allowed dynamodb:(GetItem|Query|getitem|query) on arn:aws:dynamodb:us-east-1:\d+:table\/\S+ by inline policy ReadAllTables statement ReadOrders: it reaches beyond the orders table/,
    );
  });

  test('a fixed revision registered but the service left on the old one', async () => {
    const ids = await labIds();
    const roleArn = await newRole(`${lab.ctx.stackName}-orders-reader`, readOrders(ids.tableArn));
    const td = await registerRevision(ids, { taskRoleArn: roleArn });
    const live = ids.liveArn.split('/').pop();
    expect(td.taskDefinitionArn).not.toBe(ids.liveArn);
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['task-role-can-read-orders']);
    expect(messageOf(report, 'task-role-can-read-orders')).toContain(
      `of task definition ${live} (the one ECS service ${ids.service} runs) may not dynamodb:GetItem`,
    );
    expect(messageOf(report, 'task-role-can-read-orders')).toContain(
      `Revision ${ids.family}:${td.revision} (task role ${roleArn}) is registered, but ECS service ${ids.service} does not run it.`,
    );
  });

  test('the task role fixed, but the execution role stripped of the managed execution policy', async () => {
    const ids = await labIds();
    await lab.ctx.clients.iam.send(
      new iamsdk.PutRolePolicyCommand({ RoleName: ids.taskRoleName, PolicyName: 'ReadOrders', PolicyDocument: readOrders(ids.tableArn) }),
    );
    await awsCli(lab.endpoint, [
      'iam',
      'detach-role-policy',
      '--role-name',
      ids.executionRoleName,
      '--policy-arn',
      'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    ]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['execution-role-can-pull-and-log']);
    expect(messageOf(report, 'execution-role-can-pull-and-log')).toMatch(
      /may not logs:CreateLogStream on \S+: implicitly denied: no identity-based policy allows logs:CreateLogStream/,
    );
  });
});

describe('reset and destroy', () => {
  test('reset re-arms a fixed lab and removes the learner revision and role', async () => {
    const ids = await labIds();
    const roleArn = await newRole(`${lab.ctx.stackName}-orders-reader`, readOrders(ids.tableArn));
    const td = await registerRevision(ids, { taskRoleArn: roleArn });
    await lab.ctx.clients.ecs.send(
      new ecssdk.UpdateServiceCommand({ cluster: ids.cluster, service: ids.service, taskDefinition: `${ids.family}:${td.revision}` }),
    );
    expect((await checkScenario(scenario, lab.ctx)).verdict).toBe('fixed');
    const result = await resetScenario(scenario, lab.ctx);
    expect(result.removed).toEqual(
      expect.arrayContaining([
        `ECS task definition ${ids.family}:${td.revision} (deregistered)`,
        `IAM role ${lab.ctx.stackName}-orders-reader`,
      ]),
    );
    expect(result.removed.filter((r) => /^inline policy/.test(r))).toEqual([
      `inline policy ReadOrders of IAM role ${lab.ctx.stackName}-orders-reader`,
    ]);
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['task-role-can-read-orders']);
  });

  test('destroy removes the stack, the learner revisions, role and policy, and leaves nothing', async () => {
    const ids = await labIds();
    const roleArn = await newRole(`${lab.ctx.stackName}-orders-reader`);
    const policy = await lab.ctx.clients.iam.send(
      new iamsdk.CreatePolicyCommand({ PolicyName: `${lab.ctx.stackName}-read-orders`, PolicyDocument: readOrders(ids.tableArn) }),
    );
    await lab.ctx.clients.iam.send(
      new iamsdk.AttachRolePolicyCommand({ RoleName: `${lab.ctx.stackName}-orders-reader`, PolicyArn: policy.Policy!.Arn }),
    );
    await lab.ctx.clients.iam.send(
      new iamsdk.PutRolePolicyCommand({
        RoleName: ids.taskRoleName,
        PolicyName: 'Extra',
        PolicyDocument: allow('dynamodb:Scan', ids.tableArn),
      }),
    );
    const td = await registerRevision(ids, { taskRoleArn: roleArn });
    const same = await registerRevision(ids, { taskRoleArn: ids.executionRoleArn });
    await lab.ctx.clients.ecs.send(
      new ecssdk.UpdateServiceCommand({ cluster: ids.cluster, service: ids.service, taskDefinition: td.taskDefinitionArn }),
    );
    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
    expect(result.removed).toEqual(
      expect.arrayContaining([
        `ECS task definition ${ids.family}:${td.revision} (deregistered)`,
        `ECS task definition ${ids.family}:${same.revision} (deregistered)`,
        `IAM role ${lab.ctx.stackName}-orders-reader`,
        `IAM policy ${policy.Policy!.Arn}`,
        `inline policy Extra of IAM role ${ids.taskRoleName}`,
      ]),
    );
    const active = await lab.ctx.clients.ecs.send(new ecssdk.ListTaskDefinitionsCommand({ familyPrefix: ids.family, status: 'ACTIVE' }));
    expect(active.taskDefinitionArns ?? []).toEqual([]);
    const roles = await lab.ctx.clients.iam.send(new iamsdk.ListRolesCommand({}));
    expect((roles.Roles ?? []).map((r) => r.RoleName).filter((n) => n?.startsWith(lab.ctx.stackName))).toEqual([]);
    await expect(openLab(scenario, lab.ctx.target, { clients: lab.ctx.clients })).rejects.toBeInstanceOf(EnvironmentError);
  });
});
