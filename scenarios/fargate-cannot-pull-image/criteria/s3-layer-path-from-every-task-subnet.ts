import { Criterion, fail, pass } from '../../../checkers/criterion';
import { FargatePullSnapshot, taskSubnets } from '../gather';
import { s3Hop } from '../access';

/** ECR serves image layers from S3, so every task subnet needs a private path to S3. */
export const s3LayerPathFromEveryTaskSubnet: Criterion<FargatePullSnapshot> = {
  id: 's3-layer-path-from-every-task-subnet',
  title: 'Every task subnet reaches S3, where ECR keeps image layers, through a VPC endpoint',
  rationale:
    'ECR stores image layers in S3, so a private task also needs a route to S3 (a gateway endpoint on its route table, or an S3 interface endpoint) and security groups that let it out to S3 on 443; a task placed in a subnet without both fails the pull with an i/o timeout.',
  references: [
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
    'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html',
    'https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html',
  ],
  evaluate(s) {
    const subnets = taskSubnets(s);
    if (subnets.length === 0) return fail(`ECS service ${s.service.serviceName} reports no task subnets.`);
    const found: string[] = [];
    for (const { subnetId, network } of subnets) {
      if (!network) return fail(`Subnet ${subnetId} of ECS service ${s.service.serviceName} was not found in EC2.`);
      const hop = s3Hop(s, network, subnetId);
      if (!hop.reachable) return fail(hop.reason);
      if (hop.path.via !== 'gateway-endpoint' && hop.path.via !== 'interface-endpoint')
        return fail(`Subnet ${subnetId} reaches S3 only over the internet: ${hop.path.reason}`);
      found.push(hop.reason);
    }
    return pass(found.join(' '));
  },
};
