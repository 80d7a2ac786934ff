import { Criterion, fail, pass } from '../../../checkers/criterion';
import { s3Path } from '../../../lib/engines/network';
import { FargatePullSnapshot, assignsPublicIp, taskSubnets } from '../gather';

/** ECR serves image layers from S3, so every task subnet needs a private path to S3. */
export const s3LayerPathFromEveryTaskSubnet: Criterion<FargatePullSnapshot> = {
  id: 's3-layer-path-from-every-task-subnet',
  title: 'Every task subnet reaches S3, where ECR keeps image layers, through a VPC endpoint',
  rationale:
    'ECR stores image layers in S3, so a private task also needs a route to S3 (a gateway endpoint on its route table, or an S3 interface endpoint); a task placed in a subnet without one fails the pull with an i/o timeout.',
  references: [
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
    'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html',
  ],
  evaluate(s) {
    const subnets = taskSubnets(s);
    if (subnets.length === 0) return fail(`ECS service ${s.service.serviceName} reports no task subnets.`);
    const found: string[] = [];
    for (const { subnetId, network } of subnets) {
      if (!network) return fail(`Subnet ${subnetId} of ECS service ${s.service.serviceName} was not found in EC2.`);
      const path = s3Path(network, subnetId, assignsPublicIp(s));
      if (!path.reachable) return fail(path.reason);
      if (path.via !== 'gateway-endpoint' && path.via !== 'interface-endpoint')
        return fail(`Subnet ${subnetId} reaches S3 only over the internet: ${path.reason}`);
      found.push(path.reason);
    }
    return pass(found.join(' '));
  },
};
