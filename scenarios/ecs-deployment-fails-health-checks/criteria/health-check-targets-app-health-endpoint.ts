import { Criterion, fail, pass } from '../../../checkers/criterion';
import { appBehaviour, HealthCheckSnapshot } from '../gather';
import { APP } from '../lab';

export const healthCheckTargetsAppHealthEndpoint: Criterion<HealthCheckSnapshot> = {
  id: 'health-check-targets-app-health-endpoint',
  title: "The target group's health check asks for the release's health endpoint",
  rationale:
    'A health check against a page that always answers (a landing page, a static file) passes even when the app cannot serve; only the health endpoint says whether it is ready.',
  references: ['https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html'],
  evaluate(s) {
    if (!s.targetGroup) return fail(`The service's target group ${s.stackTargetGroupArn} does not exist.`);
    const app = appBehaviour(s.release);
    const path = s.targetGroup.HealthCheckPath ?? '/';
    const rev = s.release ? `${s.release.family}:${s.release.revision}` : 'the release';
    if (app.healthPath === APP.landingPath)
      return fail(
        `The app in ${rev} serves its health endpoint at ${APP.landingPath}, the landing page, which answers 200 whether or not the app is ready.`,
      );
    if (path === app.healthPath)
      return pass(`Target group ${s.targetGroup.TargetGroupName} checks ${path}, the health endpoint of ${rev}.`);
    return fail(`Target group ${s.targetGroup.TargetGroupName} checks ${path}; the health endpoint of ${rev} is ${app.healthPath}.`);
  },
};
