import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { HealthCheckSnapshot } from '../gather';
import { deriveTargetHealth } from '../symptom';

export const releaseTasksPassHealthChecks: Criterion<HealthCheckSnapshot> = {
  id: 'release-tasks-pass-health-checks',
  title: "The release's tasks pass the target group's health check in every task subnet",
  rationale:
    'A task the load balancer marks unhealthy is stopped and replaced; with enough failures the deployment circuit breaker fails the deployment and rolls it back.',
  references: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshoot-service-load-balancers.html',
  ],
  evaluate(s) {
    if (!s.release) return fail(`No registered revision of the service's family is the release; nothing to health-check.`);
    if (!s.targetGroup) return fail(`The service's target group ${s.stackTargetGroupArn} does not exist.`);
    const health = deriveTargetHealth(s);
    if (health.length === 0) return fail(`ECS service ${s.service.serviceName} names no subnets for its tasks.`);
    const bad = health.filter((h) => h.state === 'unhealthy');
    const rev = `${s.release.family}:${s.release.revision}`;
    if (bad.length === 0)
      return pass(
        `Tasks of ${rev} pass the health check of ${s.targetGroup.TargetGroupName} in ${health.map((h) => h.subnetId).join(', ')}.`,
      );
    const first = bad[0];
    return fail(
      `Tasks of ${rev} in ${bad.map((h) => `${h.subnetId} (${h.availabilityZone})`).join(', ')} fail the health check of ${s.targetGroup.TargetGroupName} with ${first.reason}: ${first.because}`,
    );
  },
};
