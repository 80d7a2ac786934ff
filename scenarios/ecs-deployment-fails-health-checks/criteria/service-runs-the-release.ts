import { Criterion, fail, pass } from '../../../checkers/criterion';
import { appVersionOf } from '../lab';
import { appContainer, HealthCheckSnapshot, isRelease } from '../gather';
import { RELEASE_VERSION } from '../lab';

export const serviceRunsTheRelease: Criterion<HealthCheckSnapshot> = {
  id: 'service-runs-the-release',
  title: 'The ECS service runs the release',
  rationale:
    'The release has to ship: a service left on (or rolled back to) the previous revision is stable but does not run the new version.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html'],
  evaluate(s) {
    const td = s.serviceTaskDefinition;
    const name = td ? `${td.family}:${td.revision}` : s.service.taskDefinition;
    if (isRelease(td)) return pass(`ECS service ${s.service.serviceName} runs ${name}, app version ${RELEASE_VERSION}.`);
    const v = appVersionOf(appContainer(td)?.environment) ?? 'unknown';
    return fail(`ECS service ${s.service.serviceName} runs ${name}, app version ${v}, not the release ${RELEASE_VERSION}.`);
  },
};
