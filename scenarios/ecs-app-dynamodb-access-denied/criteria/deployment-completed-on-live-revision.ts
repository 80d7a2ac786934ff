import { Criterion, fail, notApplicable, pass } from '../../../checkers/criterion';
import type { OrdersAppSnapshot } from '../gather';

/** "family:revision" of a task definition ARN or reference. */
const short = (ref: string | undefined) => (ref ?? '').split('/').pop() ?? '';

/**
 * Real AWS only: the service's only deployment is the one for the task
 * definition it names, and it completed. Emulators run no deployments.
 */
export const deploymentCompletedOnLiveRevision: Criterion<OrdersAppSnapshot> = {
  id: 'deployment-completed-on-live-revision',
  title: "The service's deployment completed on its task definition (real AWS only)",
  rationale:
    "A fixed task definition helps only once the service's deployment of it has completed and no older deployment still runs tasks with the old role.",
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html',
  ],
  evaluate(s) {
    if (s.target !== 'aws')
      return notApplicable(`${s.target} runs no tasks or deployments; the criteria above read the service's live task definition instead.`);
    const svc = s.service;
    const deployments = svc.deployments ?? [];
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    if (!primary) return fail(`ECS service ${svc.serviceName} reports no PRIMARY deployment.`);
    if (short(primary.taskDefinition) !== short(svc.taskDefinition)) {
      return fail(
        `ECS service ${svc.serviceName} names ${short(svc.taskDefinition)}, but its PRIMARY deployment ${primary.id} runs ${short(primary.taskDefinition)}.`,
      );
    }
    if (primary.rolloutState !== 'COMPLETED') {
      const reason = primary.rolloutStateReason ? `: ${primary.rolloutStateReason}` : '';
      return fail(
        `Deployment ${primary.id} of ${short(primary.taskDefinition)} on ECS service ${svc.serviceName} is ${primary.rolloutState ?? 'in an unknown state'}${reason}`,
      );
    }
    const others = deployments.filter((d) => d !== primary && d.status !== 'INACTIVE');
    if (others.length) {
      return fail(
        `ECS service ${svc.serviceName} still has deployment ${others[0].id} of ${short(others[0].taskDefinition)} (${others[0].status}, ${others[0].runningCount ?? 0} running) beside the completed one.`,
      );
    }
    const desired = svc.desiredCount ?? 0;
    const running = primary.runningCount ?? svc.runningCount ?? 0;
    if (desired === 0 || running < desired)
      return fail(`Deployment ${primary.id} of ${short(primary.taskDefinition)} runs ${running} of ${desired} desired tasks.`);
    return pass(
      `Deployment ${primary.id} of ${short(primary.taskDefinition)} on ECS service ${svc.serviceName} completed and runs ${running} of ${desired} tasks.`,
    );
  },
};
