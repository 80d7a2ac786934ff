import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { HealthCheckSnapshot } from '../gather';

export const tasksHaveNoPublicIp: Criterion<HealthCheckSnapshot> = {
  id: 'tasks-have-no-public-ip',
  title: "The service's tasks get no public IP",
  rationale: 'The tasks are reached through the load balancer only; a public IP exposes each task directly (and costs by the hour).',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html'],
  evaluate(s) {
    const name = s.service.serviceName;
    if (s.service.networkConfiguration?.awsvpcConfiguration?.assignPublicIp === 'ENABLED')
      return fail(`ECS service ${name} assigns public IPs to its tasks.`);
    return pass(`ECS service ${name} assigns no public IP to its tasks.`);
  },
};
