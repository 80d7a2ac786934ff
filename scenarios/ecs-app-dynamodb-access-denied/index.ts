import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DeregisterTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import {
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListInstanceProfilesForRoleCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolesCommand,
  ListRolePoliciesCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import { GetTemplateCommand, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { parse as parseYaml } from 'yaml';
import type { ArmedResult, ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { runCheck } from '../../checkers/runner';
import { APP_CUSTOMER, APP_ORDER, OrdersAppStack, SEED_ITEMS } from './stack';
import { gatherOrdersApp, OrdersAppSnapshot } from './gather';
import { derivedSymptom, ordersAppSymptom } from './symptom';
import { liveTaskDefinitionHasOwnTaskRole } from './criteria/live-task-definition-has-own-task-role';
import { taskRoleCanReadOrders } from './criteria/task-role-can-read-orders';
import { taskRoleLeastPrivilege } from './criteria/task-role-least-privilege';
import { executionRoleCanPullAndLog } from './criteria/execution-role-can-pull-and-log';
import { deploymentCompletedOnLiveRevision } from './criteria/deployment-completed-on-live-revision';

const criteria = [
  liveTaskDefinitionHasOwnTaskRole,
  taskRoleCanReadOrders,
  taskRoleLeastPrivilege,
  executionRoleCanPullAndLog,
  deploymentCompletedOnLiveRevision,
];

async function afterDeploy(ctx: ScenarioContext): Promise<void> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const [table] = physicalIdsOfType(resources, 'AWS::DynamoDB::Table');
  if (!table) throw new Error(`Stack ${ctx.stackName} lists no DynamoDB table.`);
  for (const item of SEED_ITEMS) {
    await ctx.clients.dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          customerId: { S: item.customerId },
          orderId: { S: item.orderId },
          status: { S: item.status },
          totalCents: { N: String(item.totalCents) },
        },
      }),
    );
  }
}

async function verifyArmed(ctx: ScenarioContext): Promise<ArmedResult> {
  const s: OrdersAppSnapshot = await gatherOrdersApp(ctx);
  const seeded = await ctx.clients.dynamodb.send(
    new GetItemCommand({ TableName: s.tableName, Key: { customerId: { S: APP_CUSTOMER }, orderId: { S: APP_ORDER } } }),
  );
  if (!seeded.Item) return { armed: false, facts: [`Table ${s.tableName} has no item ${APP_CUSTOMER}/${APP_ORDER}.`] };
  const report = await runCheck({ scenario: ctx.scenarioId, target: ctx.target.kind, gather: async () => s, criteria });
  const failing = report.criteria.filter((c) => c.status === 'fail' || c.status === 'error');
  if (failing.length !== 1 || failing[0].id !== taskRoleCanReadOrders.id) {
    return {
      armed: false,
      facts: [
        `Expected only ${taskRoleCanReadOrders.id} to fail; got: ${report.criteria.map((c) => `${c.id}=${c.status} (${c.message})`).join(' ')}`,
      ],
    };
  }
  const facts = [failing[0].message];
  if (ctx.target.kind !== 'aws') {
    const symptom = derivedSymptom(s);
    if (!/AccessDeniedException.*because no identity-based policy allows the dynamodb:GetItem action/.test(symptom.summary)) {
      return { armed: false, facts: [`The derived app log line is not DynamoDB's implicit deny: ${symptom.summary}`] };
    }
    facts.push(`Derived app log line: ${symptom.summary}`);
  }
  facts.push(
    `Table ${s.tableName} holds the seeded orders; the execution role ${s.live?.executionRoleArn} still carries the DynamoDB grant.`,
  );
  return { armed: true, facts };
}

/** What the learner made that the stack does not list, captured before deletion; the stack's own resources are probed by destroy. */
interface Inventory {
  roleNames: string[];
  policyArns: string[];
}
const inventories = new Map<string, Inventory>();
const inventoryKey = (ctx: ScenarioContext) => `${ctx.target.endpoint ?? ctx.target.region}|${ctx.stackName}`;

const isAwsManaged = (arn: string) => /^arn:[^:]+:iam::aws:policy\//.test(arn);

type TemplateResource = { Type?: string; Properties?: Record<string, unknown> };

/** What the deployed template itself puts on one role: inline policy names, and a test for attached policy ARNs. */
interface TemplateGrants {
  readonly inline: Set<string>;
  readonly attached: (arn: string) => boolean;
}

/**
 * Per role, the policies the deployed template puts there (Role Policies and
 * ManagedPolicyArns, AWS::IAM::Policy and AWS::IAM::ManagedPolicy naming the
 * role), so an edited stack keeps its own grants and CloudFormation can still
 * delete the role; anything else is the learner's.
 */
async function templateGrants(ctx: ScenarioContext, resources: StackResourceSummary[]): Promise<(roleName: string) => TemplateGrants> {
  const out = await ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: ctx.stackName }));
  // CloudFormation returns the template as submitted, JSON or YAML (moto answers YAML); YAML parses both.
  const template = (parseYaml(out.TemplateBody ?? '{}', { logLevel: 'silent' }) ?? {}) as { Resources?: Record<string, TemplateResource> };
  const physical = new Map(resources.map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!]));
  const logicalOfRole = new Map(
    resources.filter((r) => r.ResourceType === 'AWS::IAM::Role').map((r) => [r.PhysicalResourceId!, r.LogicalResourceId!]),
  );
  const entries = Object.entries(template.Resources ?? {});
  const refersTo = (value: unknown, logicalId: string) => JSON.stringify(value ?? null).includes(`"${logicalId}"`);
  return (roleName) => {
    const logicalId = logicalOfRole.get(roleName) ?? '';
    const role = template.Resources?.[logicalId]?.Properties ?? {};
    const inline = new Set<string>();
    for (const p of (role.Policies as { PolicyName?: unknown }[] | undefined) ?? [])
      if (typeof p.PolicyName === 'string') inline.add(p.PolicyName);
    const attachedText = [JSON.stringify(role.ManagedPolicyArns ?? [])];
    for (const [id, r] of entries) {
      if (r.Type === 'AWS::IAM::Policy' && refersTo(r.Properties?.Roles, logicalId) && typeof r.Properties?.PolicyName === 'string')
        inline.add(r.Properties.PolicyName);
      if (r.Type === 'AWS::IAM::ManagedPolicy' && refersTo(r.Properties?.Roles, logicalId))
        attachedText.push(JSON.stringify(physical.get(id) ?? ''));
    }
    for (const fragment of (role.ManagedPolicyArns as unknown[] | undefined) ?? []) {
      for (const [id] of entries) if (refersTo(fragment, id) && physical.get(id)) attachedText.push(JSON.stringify(physical.get(id)));
    }
    const text = attachedText.join(' ');
    // An ARN literal, or an ARN built with Fn::Join around the partition: match from ":iam::" on.
    return { inline, attached: (arn) => text.includes(`${arn}"`) || text.includes(`${arn.slice(arn.indexOf(':iam::'))}"`) };
  };
}

/** Empties a role the learner may have changed: policies the stack did not put there come off. */
async function stripRole(
  ctx: ScenarioContext,
  roleName: string,
  keepInline: Set<string>,
  keepAttached: (arn: string) => boolean,
  removed: string[],
  learnerPolicies: Set<string>,
): Promise<void> {
  const iam = ctx.clients.iam;
  const inline = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
  for (const name of inline.filter((n) => !keepInline.has(n))) {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    removed.push(`inline policy ${name} of IAM role ${roleName}`);
  }
  const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
  for (const p of attached.filter((a) => !keepAttached(a.PolicyArn!))) {
    await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: p.PolicyArn }));
    removed.push(`attachment of ${p.PolicyArn} to IAM role ${roleName}`);
    if (!isAwsManaged(p.PolicyArn!)) learnerPolicies.add(p.PolicyArn!);
  }
}

/** Roles named `<stack>-...` that the stack does not own. */
async function learnerNamed(ctx: ScenarioContext, stackRoles: string[]): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.clients.iam.send(new ListRolesCommand({ Marker: marker }));
    names.push(...(page.Roles ?? []).map((r) => r.RoleName!).filter((n) => n.startsWith(`${ctx.stackName}-`) && !stackRoles.includes(n)));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return names;
}

/** Customer managed policies named `<stack>-...`. */
async function learnerNamedPolicies(ctx: ScenarioContext): Promise<string[]> {
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.clients.iam.send(new ListPoliciesCommand({ Scope: 'Local', Marker: marker }));
    arns.push(...(page.Policies ?? []).filter((p) => p.PolicyName?.startsWith(`${ctx.stackName}-`)).map((p) => p.Arn!));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return arns;
}

/** Deletes a customer managed policy the learner made for the lab, once nothing uses it. */
async function deleteLearnerPolicy(ctx: ScenarioContext, arn: string, removed: string[]): Promise<void> {
  const iam = ctx.clients.iam;
  const name = arn.split('/').pop() ?? '';
  if (!name.startsWith(`${ctx.stackName}-`)) return;
  const users = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn })).catch(() => undefined);
  if (!users || (users.PolicyRoles ?? []).length || (users.PolicyUsers ?? []).length || (users.PolicyGroups ?? []).length) return;
  const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions ?? [];
  for (const v of versions.filter((x) => !x.IsDefaultVersion))
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v.VersionId }));
  await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
  removed.push(`IAM policy ${arn}`);
}

/**
 * Before the stack goes: deregister the task-definition revisions the learner
 * registered, take off the policies the learner put on the lab's roles, and
 * delete the roles and customer managed policies the learner made for the lab.
 * Those are identifiable only by name: they start with the stack name, as the
 * solution names them; anything else in the account is left alone.
 */
async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const [stackTaskDef] = physicalIdsOfType(resources, 'AWS::ECS::TaskDefinition');
  const stackRoles = physicalIdsOfType(resources, 'AWS::IAM::Role');
  const family = stackTaskDef?.split('/').pop()?.split(':')[0] ?? `${ctx.stackName}-app`;
  const inv: Inventory = { roleNames: [], policyArns: [] };
  inventories.set(inventoryKey(ctx), inv);
  const removed: string[] = [];
  const ecs = ctx.clients.ecs;

  // Revisions of the lab's family other than the stack's own.
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', nextToken }));
    for (const arn of page.taskDefinitionArns ?? []) {
      if (arn === stackTaskDef || arn.split('/').pop()?.split(':')[0] !== family) continue;
      await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
      removed.push(`ECS task definition ${arn.split('/').pop()} (deregistered)`);
    }
    nextToken = page.nextToken;
  } while (nextToken);

  const learnerPolicies = new Set<string>();
  const grantsOf = await templateGrants(ctx, resources);
  for (const roleName of stackRoles) {
    const exists = await ctx.clients.iam.send(new GetRoleCommand({ RoleName: roleName })).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    const grants = grantsOf(roleName);
    await stripRole(ctx, roleName, grants.inline, grants.attached, removed, learnerPolicies);
  }
  for (const roleName of await learnerNamed(ctx, stackRoles)) {
    await stripRole(ctx, roleName, new Set(), () => false, removed, learnerPolicies);
    const profiles = (await ctx.clients.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: roleName }))).InstanceProfiles ?? [];
    for (const p of profiles)
      await ctx.clients.iam.send(
        new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: p.InstanceProfileName, RoleName: roleName }),
      );
    await ctx.clients.iam.send(new DeleteRoleCommand({ RoleName: roleName }));
    removed.push(`IAM role ${roleName}`);
    inv.roleNames.push(roleName);
  }
  for (const arn of [...learnerPolicies, ...(await learnerNamedPolicies(ctx))]) {
    if (inv.policyArns.includes(arn) || !arn.split('/').pop()?.startsWith(`${ctx.stackName}-`)) continue;
    await deleteLearnerPolicy(ctx, arn, removed);
    inv.policyArns.push(arn);
  }
  return removed;
}

async function leftovers(ctx: ScenarioContext): Promise<string[]> {
  const inv = inventories.get(inventoryKey(ctx)) ?? { roleNames: [], policyArns: [] };
  const left: string[] = [];
  for (const roleName of inv.roleNames) {
    if (
      await ctx.clients.iam.send(new GetRoleCommand({ RoleName: roleName })).then(
        () => true,
        () => false,
      )
    )
      left.push(`IAM role ${roleName}`);
  }
  for (const arn of inv.policyArns) {
    if (
      await ctx.clients.iam.send(new GetPolicyCommand({ PolicyArn: arn })).then(
        () => true,
        () => false,
      )
    )
      left.push(`IAM policy ${arn}`);
  }
  return left;
}

const scenario: ScenarioDefinition<OrdersAppSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new OrdersAppStack(scope, props),
  gather: gatherOrdersApp,
  criteria,
  symptom: ordersAppSymptom,
  verifyArmed,
  afterDeploy,
  sweepLearnerResources,
  leftovers,
});

export default scenario;
