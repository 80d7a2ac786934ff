import { Criterion, fail, pass } from '../../../checkers/criterion';
import { interfacePath } from '../../../lib/engines/network';
import { FargatePullSnapshot, taskSubnets } from '../gather';

/** Fargate platform 1.4+ needs ecr.api and ecr.dkr; the awslogs driver needs logs. */
export const REQUIRED_INTERFACE_SERVICES = ['ecr.api', 'ecr.dkr', 'logs'] as const;

export const ecrEndpointsReachable: Criterion<FargatePullSnapshot> = {
  id: 'ecr-endpoints-reachable',
  title: 'ECR API, ECR Docker and CloudWatch Logs are reachable through interface endpoints',
  rationale:
    "Without internet access, Fargate (platform 1.4 and later) reaches ECR's API and registry and CloudWatch Logs only through interface endpoints with private DNS; without one of them the task stops before its container starts.",
  references: [
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
  ],
  evaluate(s) {
    const subnets = taskSubnets(s);
    if (subnets.length === 0) return fail(`ECS service ${s.service.serviceName} reports no task subnets.`);
    const used = new Set<string>();
    for (const { subnetId, network } of subnets) {
      if (!network) return fail(`Subnet ${subnetId} of ECS service ${s.service.serviceName} was not found in EC2.`);
      for (const svc of REQUIRED_INTERFACE_SERVICES) {
        const path = interfacePath(network, subnetId, svc);
        if (!path.reachable || path.via !== 'interface-endpoint')
          return fail(path.reachable ? `Subnet ${subnetId} reaches ${svc} only over the internet: ${path.reason}` : path.reason);
        used.add(path.resourceId!);
      }
    }
    return pass(
      `Every task subnet reaches ${REQUIRED_INTERFACE_SERVICES.join(', ')} through interface endpoints with private DNS (${[...used].join(', ')}).`,
    );
  },
};
