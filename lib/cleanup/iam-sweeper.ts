import {
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';

/**
 * Before CloudFormation deletes a stack's roles, removes what a learner
 * attached or added to them: IAM refuses DeleteRole while managed policies
 * are attached or inline policies exist (DeleteConflict), and CloudFormation
 * only cleans up the policies it created. Managed policies are detached
 * (CloudFormation tolerates its own being gone); inline policies are deleted
 * unless the stack owns them (AWS::IAM::Policy physical IDs).
 */
export async function sweepLearnerRolePolicies(
  iam: IAMClient,
  roleNames: readonly string[],
  stackInlinePolicyNames: ReadonlySet<string>,
): Promise<string[]> {
  const removed: string[] = [];
  for (const roleName of roleNames) {
    const exists = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })).catch((err: { name?: string }) => {
      if (err.name === 'NoSuchEntityException' || err.name === 'NoSuchEntity') return undefined;
      throw err;
    });
    if (!exists) continue;
    for (const p of exists.AttachedPolicies ?? []) {
      await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: p.PolicyArn }));
      removed.push(`managed policy ${p.PolicyArn} detached from role ${roleName}`);
    }
    const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
    for (const name of inline.PolicyNames ?? []) {
      if (stackInlinePolicyNames.has(name)) continue;
      await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
      removed.push(`inline policy ${name} of role ${roleName} (added outside the stack)`);
    }
  }
  return removed;
}
