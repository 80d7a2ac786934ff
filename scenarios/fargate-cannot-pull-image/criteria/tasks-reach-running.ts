import { Criterion, fail, notApplicable, pass } from '../../../checkers/criterion';
import { FargatePullSnapshot } from '../gather';

/** On real AWS the service itself says whether its tasks start; emulators run no containers. */
export const tasksReachRunning: Criterion<FargatePullSnapshot> = {
  id: 'tasks-reach-running',
  title: 'The service runs its desired tasks (real AWS only)',
  rationale:
    "On AWS the service's own running count is the final word: the network and IAM criteria explain why a pull fails, the running tasks show that it no longer does.",
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html'],
  evaluate(s) {
    if (s.target !== 'aws') {
      return notApplicable(`${s.target} runs no containers, so there is no real pull to observe; the network-path criteria above decide.`);
    }
    const svc = s.service;
    const desired = svc.desiredCount ?? 0;
    const running = svc.runningCount ?? 0;
    if (desired > 0 && running >= desired) return pass(`ECS service ${svc.serviceName} runs ${running} of ${desired} desired tasks.`);
    const last = s.stoppedTasks[0];
    const reason = last
      ? ` The latest stopped task ${last.taskArn?.split('/').pop()} stopped with: ${last.stoppedReason ?? last.containers?.[0]?.reason ?? 'no reason given'}`
      : '';
    return fail(`ECS service ${svc.serviceName} runs ${running} of ${desired} desired tasks.${reason}`);
  },
};
