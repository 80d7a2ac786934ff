import { Criterion, fail, pass } from '../../../checkers/criterion';
import { FargatePullSnapshot, taskSubnets } from '../gather';
import { interfaceHop } from '../access';

/** Fargate platform 1.4+ needs ecr.api and ecr.dkr; the awslogs driver needs logs. */
export const REQUIRED_INTERFACE_SERVICES = ['ecr.api', 'ecr.dkr', 'logs'] as const;

export const ecrEndpointsReachable: Criterion<FargatePullSnapshot> = {
  id: 'ecr-endpoints-reachable',
  title: 'ECR API, ECR Docker and CloudWatch Logs are reachable on 443 through interface endpoints',
  rationale:
    "Without internet access, Fargate (platform 1.4 and later) reaches ECR's API and registry and CloudWatch Logs only through interface endpoints with private DNS, and only if the task's security groups let it out to the endpoints on 443 and the endpoints' security groups let it in; without that the task stops before its container starts.",
  references: [
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
    'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
  ],
  evaluate(s) {
    const subnets = taskSubnets(s);
    if (subnets.length === 0) return fail(`ECS service ${s.service.serviceName} reports no task subnets.`);
    const used = new Set<string>();
    for (const { subnetId, network } of subnets) {
      if (!network) return fail(`Subnet ${subnetId} of ECS service ${s.service.serviceName} was not found in EC2.`);
      for (const svc of REQUIRED_INTERFACE_SERVICES) {
        const hop = interfaceHop(s, network, subnetId, svc);
        if (!hop.reachable) return fail(hop.reason);
        if (hop.path.via !== 'interface-endpoint')
          return fail(`Subnet ${subnetId} reaches ${svc} only over the internet: ${hop.path.reason}`);
        used.add(hop.path.resourceId!);
      }
    }
    return pass(
      `Every task subnet reaches ${REQUIRED_INTERFACE_SERVICES.join(', ')} on 443 through interface endpoints with private DNS (${[...used].join(', ')}), and the security groups on both sides allow it.`,
    );
  },
};
