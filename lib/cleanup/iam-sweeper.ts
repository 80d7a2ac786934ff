/**
 * What a learner may have done to IAM in a lab, undone before the stack goes:
 * policies put on the lab's roles (IAM refuses DeleteRole while any are
 * attached or inline, and CloudFormation removes only its own), roles and
 * customer managed policies the learner made for the lab (named after the
 * stack, as the solutions name them), and extra versions of the stack's own
 * managed policies (a policy with versions besides its default cannot be
 * deleted). Anything not named after the stack is left alone: it is not the
 * lab's to delete.
 */
import { GetTemplateCommand, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import {
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  paginateListAttachedRolePolicies,
  paginateListInstanceProfiles,
  paginateListInstanceProfilesForRole,
  paginateListPolicies,
  paginateListPolicyVersions,
  paginateListRolePolicies,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { collectPages } from '../core/paging';
import { physicalIdsOfType } from '../engines/cfn/stack-state';
import { NOT_FOUND, exists, ignoring } from '../toolkit/aws-errors';
import type { AwsClients } from '../targets/clients';

type TemplateResource = { Type?: string; Properties?: Record<string, unknown> };

/** What the deployed template itself puts on one role: inline policy names, and a test for attached policy ARNs. */
export interface TemplateGrants {
  readonly inline: ReadonlySet<string>;
  readonly attached: (arn: string) => boolean;
  /** Whether the template gives the role a permissions boundary (the stack's own; a learner's replacement still goes). */
  readonly boundary: (arn: string) => boolean;
}

const isAwsManaged = (arn: string) => /^arn:[^:]+:iam::aws:policy\//.test(arn);

/**
 * Per role, the policies the deployed template puts there (the role's
 * Policies and ManagedPolicyArns, AWS::IAM::Policy and AWS::IAM::ManagedPolicy
 * naming the role), so an edited stack keeps its own grants and CloudFormation
 * can still delete the role; anything else is the learner's.
 */
export async function templateGrants(
  clients: AwsClients,
  stackName: string,
  resources: readonly StackResourceSummary[],
): Promise<(roleName: string) => TemplateGrants> {
  const out = await clients.cloudformation.send(new GetTemplateCommand({ StackName: stackName }));
  // CloudFormation returns the template as submitted, JSON or YAML (moto answers YAML); YAML parses both.
  // yaml loads here, not with the module: scenario modules import their cleanup, and check/status never run it.
  const { parse: parseYaml } = require('yaml') as typeof import('yaml');
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
    const boundaryText = [JSON.stringify(role.PermissionsBoundary ?? null)];
    for (const [id] of entries)
      if (refersTo(role.PermissionsBoundary, id) && physical.get(id)) boundaryText.push(JSON.stringify(physical.get(id)));
    // An ARN literal, or an ARN built with Fn::Join around the partition: match from ":iam::" on.
    const mentions = (t: string, arn: string) => t.includes(`${arn}"`) || t.includes(`${arn.slice(arn.indexOf(':iam::'))}"`);
    const bText = boundaryText.join(' ');
    return { inline, attached: (arn) => mentions(text, arn), boundary: (arn) => mentions(bText, arn) };
  };
}

/** Takes off a role what `keep` does not cover; notes the customer managed policies it detached. */
async function stripRole(iam: IAMClient, roleName: string, keep: TemplateGrants, removed: string[], detached: Set<string>): Promise<void> {
  // A boundary the learner put on the role (or swapped in) holds its policy: IAM refuses DeletePolicy while it is a boundary.
  const role = await ignoring(NOT_FOUND.iamEntity, iam.send(new GetRoleCommand({ RoleName: roleName })));
  const boundaryArn = role?.Role?.PermissionsBoundary?.PermissionsBoundaryArn;
  if (boundaryArn && !keep.boundary(boundaryArn)) {
    await ignoring(NOT_FOUND.iamEntity, iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: roleName })));
    removed.push(`permissions boundary ${boundaryArn} of IAM role ${roleName}`);
    if (!isAwsManaged(boundaryArn)) detached.add(boundaryArn);
  }
  const inline = await collectPages(paginateListRolePolicies({ client: iam }, { RoleName: roleName }), (p) => p.PolicyNames);
  for (const name of inline.filter((n) => !keep.inline.has(n))) {
    await ignoring(NOT_FOUND.iamEntity, iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name })));
    removed.push(`inline policy ${name} of IAM role ${roleName}`);
  }
  const attached = await collectPages(paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }), (p) => p.AttachedPolicies);
  for (const p of attached.filter((a) => !keep.attached(a.PolicyArn!))) {
    await ignoring(NOT_FOUND.iamEntity, iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: p.PolicyArn })));
    removed.push(`attachment of ${p.PolicyArn} to IAM role ${roleName}`);
    if (!isAwsManaged(p.PolicyArn!)) detached.add(p.PolicyArn!);
  }
}

/**
 * Deletes every version of a managed policy but its default one. The default
 * is GetPolicy's DefaultVersionId, the policy's own record, and a version
 * ListPolicyVersions flags as default is kept too: an emulator once lost the
 * flag after set-default-policy-version on the default, and deleting the
 * default is refused (DeleteConflict).
 */
async function dropExtraVersions(iam: IAMClient, policyArn: string, removed: string[]): Promise<void> {
  const policy = await ignoring(NOT_FOUND.iamEntity, iam.send(new GetPolicyCommand({ PolicyArn: policyArn })));
  if (!policy) return;
  const versions = await ignoring(
    NOT_FOUND.iamEntity,
    collectPages(paginateListPolicyVersions({ client: iam }, { PolicyArn: policyArn }), (p) => p.Versions),
    [],
  );
  const defaultId = policy.Policy?.DefaultVersionId;
  for (const v of versions.filter((x) => !x.IsDefaultVersion && x.VersionId !== defaultId)) {
    await ignoring(NOT_FOUND.iamEntity, iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: v.VersionId })));
    removed.push(`version ${v.VersionId} of IAM policy ${policyArn}`);
  }
}

/**
 * Instance profiles a learner made for the lab (named `<stack>-...`, not the
 * stack's own): their roles come out and the profiles go. IAM refuses to
 * delete a role while a profile holds it (DeleteConflict), so this runs
 * before the stack's roles are deleted, and again once the stack is gone.
 */
async function removeLearnerInstanceProfiles(
  iam: IAMClient,
  stackName: string,
  stackProfiles: readonly string[],
  removed: string[],
): Promise<void> {
  const profiles = await collectPages(paginateListInstanceProfiles({ client: iam }, {}), (p) => p.InstanceProfiles);
  for (const profile of profiles) {
    const name = profile.InstanceProfileName!;
    if (!name.startsWith(`${stackName}-`) || stackProfiles.includes(name)) continue;
    for (const role of profile.Roles ?? [])
      await ignoring(
        NOT_FOUND.iamEntity,
        iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: role.RoleName })),
      );
    await ignoring(NOT_FOUND.iamEntity, iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name })));
    removed.push(`IAM instance profile ${name}`);
  }
}

/** Roles named `<stack>-...` that the stack does not own. */
async function learnerNamedRoles(iam: IAMClient, stackName: string, stackRoles: readonly string[]): Promise<string[]> {
  const roles = await collectPages(paginateListRoles({ client: iam }, {}), (p) => p.Roles);
  return roles.map((r) => r.RoleName!).filter((n) => n.startsWith(`${stackName}-`) && !stackRoles.includes(n));
}

/** Customer managed policies named `<stack>-...` that the stack does not own. */
async function learnerNamedPolicies(iam: IAMClient, stackName: string, stackPolicies: readonly string[]): Promise<string[]> {
  const policies = await collectPages(paginateListPolicies({ client: iam }, { Scope: 'Local' }), (p) => p.Policies);
  return policies.filter((p) => p.PolicyName?.startsWith(`${stackName}-`) && !stackPolicies.includes(p.Arn!)).map((p) => p.Arn!);
}

/** Deletes a customer managed policy with all its versions (IAM refuses DeletePolicy while other versions exist). */
export async function deleteManagedPolicy(iam: IAMClient, policyArn: string): Promise<void> {
  await dropExtraVersions(iam, policyArn, []);
  await ignoring(NOT_FOUND.iamEntity, iam.send(new DeletePolicyCommand({ PolicyArn: policyArn })));
}

/** Deletes a customer managed policy the learner made for the lab, once nothing uses it. */
async function deleteLearnerPolicy(iam: IAMClient, stackName: string, arn: string, removed: string[]): Promise<void> {
  if (!(arn.split('/').pop() ?? '').startsWith(`${stackName}-`)) return;
  const users = await ignoring(NOT_FOUND.iamEntity, iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn })));
  if (!users || (users.PolicyRoles ?? []).length || (users.PolicyUsers ?? []).length || (users.PolicyGroups ?? []).length) return;
  await deleteManagedPolicy(iam, arn);
  removed.push(`IAM policy ${arn}`);
}

/**
 * Customer managed policies the sweep took off the lab's roles (attachments or
 * boundaries) that the region listing shows were created during the lab:
 * made by the learner for the lab, so deleted once nothing uses them. A policy
 * that was there before the lab is only detached, never deleted.
 */
export async function deletePoliciesMadeDuringLab(
  iam: IAMClient,
  sweptLines: readonly string[],
  addedPolicyArns: readonly string[],
): Promise<string[]> {
  const removed: string[] = [];
  const swept = sweptLines.filter((l) => l.startsWith('attachment of ') || l.startsWith('permissions boundary '));
  for (const arn of addedPolicyArns.filter((a) => swept.some((l) => l.includes(`${a} `)))) {
    const users = await ignoring(NOT_FOUND.iamEntity, iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn })));
    if (!users || (users.PolicyRoles ?? []).length || (users.PolicyUsers ?? []).length || (users.PolicyGroups ?? []).length) continue;
    const policy = await ignoring(NOT_FOUND.iamEntity, iam.send(new GetPolicyCommand({ PolicyArn: arn })));
    if (!policy || (policy.Policy?.PermissionsBoundaryUsageCount ?? 0) > 0) continue;
    await deleteManagedPolicy(iam, arn);
    removed.push(`IAM policy ${arn}`);
  }
  return removed;
}

/**
 * Before the stack is deleted: strips what the learner put on the stack's
 * roles, deletes the roles and customer managed policies the learner made
 * for the lab, and drops extra versions of the stack's own managed policies.
 * `resources` is the stack's resource list. Returns one line per change.
 */
export async function sweepLearnerIam(
  clients: AwsClients,
  stackName: string,
  resources: readonly StackResourceSummary[],
): Promise<string[]> {
  const iam = clients.iam;
  const removed: string[] = [];
  const stackRoles = physicalIdsOfType(resources, 'AWS::IAM::Role');
  const stackPolicies = physicalIdsOfType(resources, 'AWS::IAM::ManagedPolicy');
  const detached = new Set<string>();
  const grantsOf = await templateGrants(clients, stackName, resources);
  await removeLearnerInstanceProfiles(iam, stackName, physicalIdsOfType(resources, 'AWS::IAM::InstanceProfile'), removed);
  for (const roleName of stackRoles) {
    if (!(await exists(NOT_FOUND.iamEntity, iam.send(new GetRoleCommand({ RoleName: roleName }))))) continue;
    await stripRole(iam, roleName, grantsOf(roleName), removed, detached);
  }
  const nothing: TemplateGrants = { inline: new Set(), attached: () => false, boundary: () => false };
  for (const roleName of await learnerNamedRoles(iam, stackName, stackRoles)) {
    await stripRole(iam, roleName, nothing, removed, detached);
    const profiles = await collectPages(
      paginateListInstanceProfilesForRole({ client: iam }, { RoleName: roleName }),
      (p) => p.InstanceProfiles,
    );
    for (const p of profiles)
      await ignoring(
        NOT_FOUND.iamEntity,
        iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: p.InstanceProfileName, RoleName: roleName })),
      );
    await ignoring(NOT_FOUND.iamEntity, iam.send(new DeleteRoleCommand({ RoleName: roleName })));
    removed.push(`IAM role ${roleName}`);
  }
  for (const arn of stackPolicies) await dropExtraVersions(iam, arn, removed);
  const done = new Set<string>();
  for (const arn of [...detached, ...(await learnerNamedPolicies(iam, stackName, stackPolicies))]) {
    if (done.has(arn) || stackPolicies.includes(arn)) continue;
    done.add(arn);
    await deleteLearnerPolicy(iam, stackName, arn, removed);
  }
  return removed;
}

/**
 * After the stack is gone: roles and customer managed policies named after
 * the stack that are still there (a learner's boundary policy is free only
 * once CloudFormation deleted the role it bounded), removed. Returns one line
 * per resource removed.
 */
export async function sweepLearnerIamAfterStack(clients: AwsClients, stackName: string): Promise<string[]> {
  const iam = clients.iam;
  const removed: string[] = [];
  const detached = new Set<string>();
  const nothing: TemplateGrants = { inline: new Set(), attached: () => false, boundary: () => false };
  await removeLearnerInstanceProfiles(iam, stackName, [], removed);
  for (const roleName of await learnerNamedRoles(iam, stackName, [])) {
    await stripRole(iam, roleName, nothing, removed, detached);
    await ignoring(NOT_FOUND.iamEntity, iam.send(new DeleteRoleCommand({ RoleName: roleName })));
    removed.push(`IAM role ${roleName}`);
  }
  for (const arn of new Set([...detached, ...(await learnerNamedPolicies(iam, stackName, []))]))
    await deleteLearnerPolicy(iam, stackName, arn, removed);
  return removed;
}

/**
 * After the stack is gone: roles and customer managed policies named after
 * it that are still there, one line each. Found by listing, so anything the
 * sweep missed shows, whoever made it.
 */
export async function learnerIamLeftovers(clients: AwsClients, stackName: string): Promise<string[]> {
  const [roles, policies] = await Promise.all([
    learnerNamedRoles(clients.iam, stackName, []),
    learnerNamedPolicies(clients.iam, stackName, []),
  ]);
  return [...roles.map((r) => `IAM role ${r}`), ...policies.map((p) => `IAM policy ${p}`)];
}
