import { Criterion, fail, pass } from '../../../checkers/criterion';
import { appBehaviour, appContainer, HealthCheckSnapshot } from '../gather';
import { trafficPort } from '../symptom';

export const loadBalancerTrafficReachesAppPort: Criterion<HealthCheckSnapshot> = {
  id: 'load-balancer-traffic-reaches-app-port',
  title: "The load balancer sends traffic to the port the release's app listens on",
  rationale:
    'The service maps the target group to a container port; if the app listens elsewhere, requests are refused even when a health check on another port passes.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html'],
  evaluate(s) {
    const port = trafficPort(s);
    const rev = s.release ? `${s.release.family}:${s.release.revision}` : 'the release';
    if (port === undefined)
      return fail(
        `ECS service ${s.service.serviceName} maps no container port to target group ${s.targetGroup?.TargetGroupName ?? s.stackTargetGroupArn}.`,
      );
    const app = appBehaviour(s.release);
    const mapped = (appContainer(s.release)?.portMappings ?? []).some((m) => m.containerPort === port);
    if (!mapped) return fail(`ECS service ${s.service.serviceName} sends traffic to container port ${port}, which ${rev} does not map.`);
    if (port !== app.port)
      return fail(`ECS service ${s.service.serviceName} sends traffic to port ${port}; the app in ${rev} listens on ${app.port}.`);
    return pass(`ECS service ${s.service.serviceName} sends traffic to port ${port}, where the app in ${rev} listens.`);
  },
};
