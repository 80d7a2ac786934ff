import { DeregisterTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';

/**
 * Deregisters task-definition revisions a learner registered in a lab's
 * family; CloudFormation only deregisters the revision it created.
 */
export async function sweepLearnerTaskDefinitions(ecs: ECSClient, family: string, stackOwnedArns: ReadonlySet<string>): Promise<string[]> {
  const removed: string[] = [];
  let nextToken: string | undefined;
  const arns: string[] = [];
  do {
    const page = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', nextToken }));
    arns.push(...(page.taskDefinitionArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  for (const arn of arns) {
    if (stackOwnedArns.has(arn) || arn.split('/').pop()!.split(':')[0] !== family) continue;
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    removed.push(`task definition ${arn.split('/').pop()} (registered outside the stack)`);
  }
  return removed;
}
