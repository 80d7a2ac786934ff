import { Criterion, fail, pass } from '../../../checkers/criterion';
import { HealthCheckSnapshot, taskSecurityGroupIds } from '../gather';

export const taskSecurityGroupsAdmitOnlyLoadBalancer: Criterion<HealthCheckSnapshot> = {
  id: 'task-security-groups-admit-only-load-balancer',
  title: "The tasks' security groups admit traffic only from the load balancer's security group",
  rationale:
    "Rules that reference the load balancer's security group follow its nodes wherever they are; a CIDR rule (let alone 0.0.0.0/0) admits every other host in that range as well.",
  references: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html',
    'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
  ],
  evaluate(s) {
    const lbSgs = new Set(s.loadBalancer?.SecurityGroups ?? []);
    const ids = taskSecurityGroupIds(s);
    if (ids.length === 0) return fail(`ECS service ${s.service.serviceName} puts no security group on its tasks.`);
    // Every ingress rule, not a sample: a rule admits only what its peers name.
    for (const id of ids) {
      const group = s.securityGroups.find((g) => g.GroupId === id);
      if (!group) return fail(`Security group ${id} on the tasks does not exist.`);
      for (const rule of group.IpPermissions ?? []) {
        const cidr = [...(rule.IpRanges ?? []).map((r) => r.CidrIp), ...(rule.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)][0];
        if (cidr)
          return fail(
            `Security group ${id} on the tasks admits ${rule.IpProtocol === '-1' ? 'all traffic' : `${rule.IpProtocol} ${rule.FromPort}-${rule.ToPort}`} from ${cidr}, not only the load balancer.`,
          );
        const pl = rule.PrefixListIds?.[0]?.PrefixListId;
        if (pl) return fail(`Security group ${id} on the tasks admits traffic from prefix list ${pl}, not only the load balancer.`);
        const other = (rule.UserIdGroupPairs ?? []).find((p) => !p.GroupId || !lbSgs.has(p.GroupId));
        if (other)
          return fail(
            `Security group ${id} on the tasks admits traffic from security group ${other.GroupId}, which is not the load balancer's.`,
          );
      }
    }
    return pass(`The tasks' security groups ${ids.join(', ')} admit only the load balancer's security group ${[...lbSgs].join(', ')}.`);
  },
};
