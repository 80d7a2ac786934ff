import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { HealthCheckSnapshot } from '../gather';
import { DEPLOYMENT } from '../lab';

export const deploymentKeepsHealthyCapacity: Criterion<HealthCheckSnapshot> = {
  id: 'deployment-keeps-healthy-capacity',
  title: `The service keeps at least ${DEPLOYMENT.minimumHealthyFloor}% of its tasks healthy during a deployment`,
  rationale:
    'minimumHealthyPercent is the floor of running, healthy tasks a rolling deployment keeps; at 0 ECS may stop every old task before a new one is healthy.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html'],
  evaluate(s) {
    const min = s.service.deploymentConfiguration?.minimumHealthyPercent;
    const name = s.service.serviceName;
    if (min === undefined) return fail(`ECS service ${name} reports no minimumHealthyPercent.`);
    if (min < DEPLOYMENT.minimumHealthyFloor)
      return fail(`ECS service ${name} has minimumHealthyPercent ${min}, below ${DEPLOYMENT.minimumHealthyFloor}.`);
    return pass(`ECS service ${name} has minimumHealthyPercent ${min}.`);
  },
};
