import { Criterion, fail, notApplicable, pass } from '../../../checkers/criterion';
import { aclAllowedCells, aclOfSubnet, rangeText, type AclDirection } from '../../../lib/engines/network';
import type { HealthCheckSnapshot } from '../gather';
import { EPHEMERAL } from '../lab';

/** What the restricted subnet's ACL may let through to or from outside the VPC: TCP replies both ways, and HTTPS out. */
const ALLOWED_OUTSIDE: Record<AclDirection, readonly { from: number; to: number }[]> = {
  ingress: [EPHEMERAL],
  egress: [{ from: 443, to: 443 }, EPHEMERAL],
};

export const restrictedSubnetAclKeepsOutsideOut: Criterion<HealthCheckSnapshot> = {
  id: 'restricted-subnet-acl-keeps-outside-out',
  title: "The restricted app subnet's network ACL lets nothing through to or from outside the VPC but TCP replies and HTTPS out",
  rationale:
    "That subnet's network ACL is a second layer under the security groups; replacing it with the default ACL or an allow-all rule removes the layer for every host in the subnet.",
  references: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html',
    'https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html',
  ],
  variants: ['subnet-acl'],
  evaluate(s) {
    const subnetId = s.restrictedSubnetId;
    if (!subnetId) return fail('The stack lists no third app subnet.');
    const acl = aclOfSubnet(s.acls, subnetId, s.vpcId);
    if (!acl) return fail(`Subnet ${subnetId} has no network ACL that EC2 reports.`);
    if (!s.vpcCidr) return notApplicable(`The VPC ${s.vpcId} reports no IPv4 range.`);
    // A proof over every protocol, port and address outside the VPC (cells cut at the rules' boundaries).
    for (const direction of ['ingress', 'egress'] as const) {
      for (const protocol of ['6', '17', '1'] as const) {
        const cells = aclAllowedCells(acl, direction, { protocol, ports: { from: 0, to: 65535 }, peerCidr: '0.0.0.0/0' }).filter(
          (c) => !insideVpc(s.vpcCidr, c.addresses),
        );
        const bad = cells.find(
          (c) => protocol !== '6' || !ALLOWED_OUTSIDE[direction].some((r) => r.from <= c.ports.from && c.ports.to <= r.to),
        );
        if (bad) {
          const what =
            protocol === '6'
              ? `TCP ${bad.ports.from}-${bad.ports.to}`
              : protocol === '17'
                ? `UDP ${bad.ports.from}-${bad.ports.to}`
                : 'ICMP';
          return fail(
            `Network ACL ${acl.NetworkAclId} on subnet ${subnetId} allows ${direction === 'ingress' ? 'inbound' : 'outbound'} ${what} ${direction === 'ingress' ? 'from' : 'to'} ${rangeText(bad.addresses)}, outside the VPC (rule ${bad.rule}).`,
          );
        }
      }
    }
    return pass(
      `Network ACL ${acl.NetworkAclId} on subnet ${subnetId} lets only TCP replies in and HTTPS and replies out, beyond the VPC ${s.vpcCidr}.`,
    );
  },
};

/** Whether a cell's addresses all lie inside the VPC's range. */
function insideVpc(vpcCidr: string, r: { first: number; last: number }): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(vpcCidr);
  if (!m) return false;
  const base = m
    .slice(1, 5)
    .map(Number)
    .reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - Number(m[5]));
  return base <= r.first && r.last <= base + size - 1;
}
