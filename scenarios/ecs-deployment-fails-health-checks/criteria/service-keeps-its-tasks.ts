import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { HealthCheckSnapshot } from '../gather';
import { DESIRED_COUNT } from '../lab';

export const serviceKeepsItsTasks: Criterion<HealthCheckSnapshot> = {
  id: 'service-keeps-its-tasks',
  title: `The service keeps at least ${DESIRED_COUNT} tasks running (its desired count)`,
  rationale:
    'A service scaled down to no tasks has nothing to health-check and nothing to serve: the release never runs. Fewer tasks than the service had also leaves AZs without the app.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html'],
  evaluate(s) {
    const name = s.service.serviceName;
    const desired = s.service.desiredCount;
    if (desired === undefined) return fail(`ECS service ${name} reports no desired count.`);
    if (desired < DESIRED_COUNT)
      return fail(`ECS service ${name} has a desired count of ${desired}, below the ${DESIRED_COUNT} tasks it runs.`);
    return pass(`ECS service ${name} has a desired count of ${desired}.`);
  },
};
