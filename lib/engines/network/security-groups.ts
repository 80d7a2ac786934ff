/**
 * Security groups on a path: does a group's egress let an ENI open a connection to a peer, and does a
 * group's ingress admit it? Security groups are stateful and allow-only (VPC User Guide, "Security group
 * rules"): a connection is allowed when some rule of some group on the ENI matches its protocol, port and
 * peer; replies need no rule. A rule's peer is a CIDR, a prefix list, or another security group, which
 * matches traffic from (or to) any ENI that carries that group.
 */
import {
  DescribePrefixListsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  IpPermission,
  PrefixList,
  SecurityGroup,
} from '@aws-sdk/client-ec2';

/** A peer as the rules see it: the addresses it may use, its security groups, and the prefix lists naming it. */
export interface SgPeer {
  /** IPv4 CIDRs any of whose addresses the peer may use (an ENI's subnet, an AWS service's prefix-list ranges); empty when unknown (any address). */
  readonly cidrs: readonly string[];
  /** Security groups the peer's ENI carries. */
  readonly groupIds?: readonly string[];
  /** Prefix lists that name the peer (the S3 prefix list for S3 through a gateway endpoint). */
  readonly prefixListIds?: readonly string[];
  /** How the sentence names the peer. */
  readonly label: string;
}

export interface SgDecision {
  readonly allowed: boolean;
  /** The group and rule that allowed it, or why none did: one sentence. */
  readonly reason: string;
}

/** An IPv4 range as first and last address (numbers). */
export interface Ipv4Range {
  readonly first: number;
  readonly last: number;
}

/** The addresses of an IPv4 CIDR; undefined when it is not one (IPv6, malformed). */
export function ipv4Range(cidr: string): Ipv4Range | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const first = Math.floor(address / size) * size;
  return { first, last: first + size - 1 };
}

/** Whether every address of `inner` lies in `outer` (IPv4 only; anything unparsable is not contained). */
export function cidrContains(outer: string, inner: string): boolean {
  const o = ipv4Range(outer);
  const i = ipv4Range(inner);
  return Boolean(o && i && o.first <= i.first && i.last <= o.last);
}

/** A rule's protocol and port range cover TCP on `port` ("-1" is every protocol and port). */
function coversTcpPort(rule: IpPermission, port: number): boolean {
  const protocol = String(rule.IpProtocol ?? '').toLowerCase();
  if (protocol === '-1' || protocol === 'all') return true;
  if (protocol !== 'tcp' && protocol !== '6') return false;
  const from = rule.FromPort ?? -1;
  const to = rule.ToPort ?? -1;
  // FromPort/ToPort -1 on TCP is not valid in AWS; read it as no port.
  return from >= 0 && from <= port && port <= to;
}

function decide(
  direction: 'egress' | 'ingress',
  groups: readonly SecurityGroup[],
  groupIds: readonly string[],
  port: number,
  peer: SgPeer,
): SgDecision {
  const verb = direction === 'egress' ? `to ${peer.label}` : `from ${peer.label}`;
  if (groupIds.length === 0) return { allowed: false, reason: `No security group is attached, so nothing is allowed ${verb}.` };
  const rules = groupIds.flatMap((id) => {
    const group = groups.find((g) => g.GroupId === id);
    const list = direction === 'egress' ? group?.IpPermissionsEgress : group?.IpPermissions;
    return (list ?? []).filter((r) => coversTcpPort(r, port)).map((rule) => ({ id, rule }));
  });
  const peerGroups = new Set(peer.groupIds ?? []);
  const peerLists = new Set(peer.prefixListIds ?? []);
  for (const { id, rule } of rules) {
    const pair = (rule.UserIdGroupPairs ?? []).find((p) => p.GroupId && peerGroups.has(p.GroupId));
    const pl = (rule.PrefixListIds ?? []).find((p) => p.PrefixListId && peerLists.has(p.PrefixListId));
    const by = pair ? `security group ${pair.GroupId}` : pl ? `prefix list ${pl.PrefixListId}` : undefined;
    if (by) return { allowed: true, reason: `Security group ${id} allows TCP ${port} ${direction} ${verb} (rule on ${by}).` };
  }
  // Otherwise every address the peer may use must lie in some rule's range (rules add up); a peer whose
  // addresses are not known may use any, so only a rule on 0.0.0.0/0 covers it.
  const cidrs = peer.cidrs.length > 0 ? peer.cidrs : ['0.0.0.0/0'];
  const covering = cidrs.map(
    (c) =>
      rules.flatMap(({ id, rule }) =>
        (rule.IpRanges ?? []).filter((r) => r.CidrIp && cidrContains(r.CidrIp, c)).map((r) => `${id} ${r.CidrIp}`),
      )[0],
  );
  if (covering.every(Boolean)) {
    return {
      allowed: true,
      reason: `Security group rules allow TCP ${port} ${direction} ${verb} (${[...new Set(covering)].join('; ')}).`,
    };
  }
  const missing = groupIds.filter((id) => !groups.some((g) => g.GroupId === id));
  const gone = missing.length ? ` (${missing.join(', ')} could not be found)` : '';
  const uncovered = cidrs.filter((_, i) => !covering[i]);
  const which = uncovered.length ? ` (${uncovered.slice(0, 3).join(', ')}${uncovered.length > 3 ? ', ...' : ''} not covered)` : '';
  return {
    allowed: false,
    reason: `No ${direction} rule of security group ${groupIds.join(', ')}${gone} allows TCP ${port} ${verb}${which}.`,
  };
}

/** Whether an ENI carrying `groupIds` may open a TCP connection on `port` to every address of `peer`. */
export function egressAllows(groups: readonly SecurityGroup[], groupIds: readonly string[], port: number, peer: SgPeer): SgDecision {
  return decide('egress', groups, groupIds, port, peer);
}

/** Whether an ENI carrying `groupIds` admits TCP connections on `port` from every address of `peer`. */
export function ingressAllows(groups: readonly SecurityGroup[], groupIds: readonly string[], port: number, peer: SgPeer): SgDecision {
  return decide('ingress', groups, groupIds, port, peer);
}

/** The security groups of a VPC. Read-only. */
export async function readSecurityGroups(ec2: EC2Client, vpcId: string): Promise<SecurityGroup[]> {
  const out = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  return out.SecurityGroups ?? [];
}

/** The AWS-managed prefix list of a service in a Region (com.amazonaws.<region>.s3), with its CIDRs, if EC2 lists one. */
export async function readServicePrefixList(ec2: EC2Client, region: string, service: string): Promise<PrefixList | undefined> {
  const name = `com.amazonaws.${region}.${service}`;
  const out = await ec2.send(new DescribePrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: [name] }] }));
  return (out.PrefixLists ?? []).find((p) => p.PrefixListName === name);
}
