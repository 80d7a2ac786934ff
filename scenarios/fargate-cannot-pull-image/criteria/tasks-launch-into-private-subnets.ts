import { Criterion, fail, pass } from '../../../checkers/criterion';
import { routeTableForSubnet, routeTargetId, defaultRoutes } from '../../../lib/engines/network';
import { FargatePullSnapshot, assignsPublicIp, taskSubnets } from '../gather';

/** Tasks must stay in the lab's private subnets without public IPs. */
export const tasksLaunchIntoPrivateSubnets: Criterion<FargatePullSnapshot> = {
  id: 'tasks-launch-into-private-subnets',
  title: 'Tasks launch into the private subnets without public IPs',
  rationale:
    'Compliance keeps the service off the internet: a task with a public IP, or in a subnet whose default route is an internet gateway, is reachable from outside and pulls over the internet instead of the private path.',
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html',
    'https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html',
  ],
  evaluate(s) {
    const name = s.service.serviceName;
    const awsvpc = s.service.networkConfiguration?.awsvpcConfiguration;
    if (!awsvpc || !awsvpc.subnets?.length)
      return fail(`ECS service ${name} reports no awsvpc network configuration, so its task subnets cannot be read.`);
    if (assignsPublicIp(s)) return fail(`ECS service ${name} has assignPublicIp ENABLED: its tasks get public IP addresses.`);
    for (const { subnetId, network } of taskSubnets(s)) {
      if (!network) return fail(`Subnet ${subnetId} of ECS service ${name} was not found in EC2.`);
      if (network.vpc.VpcId !== s.labVpcId)
        return fail(
          `ECS service ${name} launches tasks into subnet ${subnetId} of VPC ${network.vpc.VpcId}, outside the lab VPC ${s.labVpcId}.`,
        );
      const subnet = network.subnets.find((x) => x.SubnetId === subnetId)!;
      if (subnet.MapPublicIpOnLaunch)
        return fail(`Subnet ${subnetId} of ECS service ${name} auto-assigns public IPv4 addresses (MapPublicIpOnLaunch is true).`);
      const rt = routeTableForSubnet(network, subnetId);
      const igw = rt ? defaultRoutes(rt).find((r) => routeTargetId(r).startsWith('igw-')) : undefined;
      if (rt && igw)
        return fail(
          `Subnet ${subnetId} of ECS service ${name} is public: route table ${rt.RouteTableId} sends ${igw.DestinationCidrBlock ?? igw.DestinationIpv6CidrBlock} to internet gateway ${routeTargetId(igw)}.`,
        );
    }
    return pass(
      `ECS service ${name} launches tasks into private subnets ${awsvpc.subnets.join(', ')} of lab VPC ${s.labVpcId} without public IPs.`,
    );
  },
};
