import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { HealthCheckSnapshot } from '../gather';

export const circuitBreakerRollsBack: Criterion<HealthCheckSnapshot> = {
  id: 'circuit-breaker-rolls-back',
  title: "The service's deployment circuit breaker is on, with rollback",
  rationale:
    'Without the circuit breaker a failing deployment keeps replacing tasks forever; without rollback it stops but leaves the failed revision in place.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html'],
  evaluate(s) {
    const cb = s.service.deploymentConfiguration?.deploymentCircuitBreaker;
    const name = s.service.serviceName;
    if (!cb?.enable) return fail(`ECS service ${name} has its deployment circuit breaker off.`);
    if (!cb.rollback) return fail(`ECS service ${name} has its deployment circuit breaker on without rollback.`);
    return pass(`ECS service ${name} has its deployment circuit breaker on, with rollback.`);
  },
};
