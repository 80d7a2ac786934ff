import { DeregisterTaskDefinitionCommand, ECSClient, paginateListTaskDefinitions } from '@aws-sdk/client-ecs';
import { collectPages } from '../core/paging';

/** "family:revision" of a task definition ARN. */
export const familyRevisionOf = (arn: string): string => arn.split('/').pop() ?? arn;
/** The family of a task definition ARN or family:revision. */
export const familyOf = (arnOrRef: string): string => familyRevisionOf(arnOrRef).split(':')[0];

/**
 * Deregisters the task-definition revisions a learner registered in a lab's
 * family; CloudFormation deregisters only the revision it created.
 */
export async function sweepLearnerTaskDefinitions(ecs: ECSClient, family: string, stackOwnedArns: ReadonlySet<string>): Promise<string[]> {
  const arns = await collectPages(
    paginateListTaskDefinitions({ client: ecs }, { familyPrefix: family, status: 'ACTIVE' }),
    (p) => p.taskDefinitionArns,
  );
  const removed: string[] = [];
  for (const arn of arns) {
    if (stackOwnedArns.has(arn) || familyOf(arn) !== family) continue;
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    removed.push(`ECS task definition ${familyRevisionOf(arn)} (deregistered)`);
  }
  return removed;
}
