import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { HealthCheckSnapshot } from '../gather';

export const serviceRegistersWithLoadBalancer: Criterion<HealthCheckSnapshot> = {
  id: 'service-registers-with-load-balancer',
  title: "The service registers its tasks with a target group of the lab's load balancer",
  rationale: 'Without the load balancer there is no health check to fail, and no traffic to serve either.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html'],
  evaluate(s) {
    const name = s.service.serviceName;
    const lbs = s.service.loadBalancers ?? [];
    if (lbs.length === 0) return fail(`ECS service ${name} registers its tasks with no load balancer.`);
    if (!s.targetGroup) return fail(`ECS service ${name} names target group ${lbs[0].targetGroupArn}, which does not exist.`);
    if (!s.loadBalancer) return fail(`Target group ${s.targetGroup.TargetGroupName} is not attached to any load balancer.`);
    return pass(`ECS service ${name} registers its tasks with ${s.targetGroup.TargetGroupName} behind ${s.loadBalancer.LoadBalancerName}.`);
  },
};
