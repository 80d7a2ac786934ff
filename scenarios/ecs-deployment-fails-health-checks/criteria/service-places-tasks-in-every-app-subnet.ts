import { Criterion, fail, pass } from '../../../checkers/criterion';
import { HealthCheckSnapshot, taskSubnetIds } from '../gather';

export const servicePlacesTasksInEveryAppSubnet: Criterion<HealthCheckSnapshot> = {
  id: 'service-places-tasks-in-every-app-subnet',
  title: 'The service places its tasks in all three app subnets (one per AZ), where the release deploys it',
  rationale:
    "The release spreads the service over three Availability Zones, and ECS spreads a service's tasks over the subnets it is given; a service taken out of one AZ survives one AZ fewer, and whatever failed its tasks there is still in that subnet.",
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html',
  ],
  evaluate(s) {
    const name = s.service.serviceName;
    if (s.appSubnetIds.length < 3) return fail(`Stack ${s.stackName} lists ${s.appSubnetIds.length} app subnets, not three.`);
    const used = new Set(taskSubnetIds(s));
    const az = (id: string) => s.subnets.find((x) => x.SubnetId === id)?.AvailabilityZone ?? 'unknown AZ';
    const missing = s.appSubnetIds.filter((id) => !used.has(id));
    if (missing.length)
      return fail(
        `ECS service ${name} places no tasks in ${missing.map((id) => `${id} (${az(id)})`).join(', ')}, of the app subnets the release deploys it to.`,
      );
    return pass(`ECS service ${name} places its tasks in ${s.appSubnetIds.map((id) => `${id} (${az(id)})`).join(', ')}.`);
  },
};
