/**
 * Network ACLs on a path. A subnet is associated with exactly one network ACL (its VPC's default ACL
 * unless another is associated); the ACL's rules are evaluated per direction in rule-number order, the
 * first rule that matches the packet decides, and the final `*` rule denies. ACLs are stateless: a reply
 * is a packet of its own and needs its own rule, to the peer's ephemeral ports (VPC User Guide, "Control
 * subnet traffic with network access control lists": "Network ACL rules", "Ephemeral ports").
 *
 * Decisions are made over whole address and port ranges, not samples: the range is cut at every rule's
 * boundaries, so within each cell one rule decides for every packet, and the answer covers them all.
 */
import type { NetworkAcl, NetworkAclEntry } from '@aws-sdk/client-ec2';
import { ipv4Range, type Ipv4Range } from './security-groups';

export type AclDirection = 'ingress' | 'egress';

/** Traffic as an ACL sees it: an IP protocol, a port range (TCP/UDP), and the peer's IPv4 range. */
export interface AclFlow {
  /** IANA protocol number as EC2 writes it: '6' TCP, '17' UDP, '1' ICMP. */
  readonly protocol: '6' | '17' | '1';
  /** Destination ports (inbound: on the subnet's side; outbound: on the peer's side). Ignored for ICMP. */
  readonly ports: { readonly from: number; readonly to: number };
  /** The peer's addresses (inbound: the source; outbound: the destination). */
  readonly peerCidr: string;
}

/** One cell of a flow: a port range and an address range decided by one rule. */
export interface AclCell {
  readonly ports: { readonly from: number; readonly to: number };
  readonly addresses: Ipv4Range;
  readonly allowed: boolean;
  /** The deciding rule's number, or '*' for the final deny. */
  readonly rule: number | '*';
}

export interface AclDecision {
  readonly allowed: boolean;
  /** The ACL, the rule and the traffic that decided: one sentence. */
  readonly reason: string;
  /** Every cell of the flow with its deciding rule. */
  readonly cells: readonly AclCell[];
}

const PROTOCOL_NAMES: Record<string, string> = { '6': 'TCP', '17': 'UDP', '1': 'ICMP', '-1': 'all traffic' };

/** The network ACL a subnet is associated with: an explicit association, else the VPC's default ACL. */
export function aclOfSubnet(acls: readonly NetworkAcl[], subnetId: string, vpcId?: string): NetworkAcl | undefined {
  const explicit = acls.find((a) => (a.Associations ?? []).some((x) => x.SubnetId === subnetId));
  return explicit ?? acls.find((a) => a.IsDefault && (!vpcId || a.VpcId === vpcId));
}

function portsOf(e: NetworkAclEntry): { from: number; to: number } {
  if (e.Protocol === '6' || e.Protocol === '17') return { from: e.PortRange?.From ?? 0, to: e.PortRange?.To ?? 65535 };
  return { from: 0, to: 65535 };
}

function matchesProtocol(e: NetworkAclEntry, protocol: string): boolean {
  return e.Protocol === '-1' || e.Protocol === protocol;
}

/** The rules of one direction that can match IPv4 traffic of a protocol, in evaluation order. */
function rulesFor(acl: NetworkAcl, direction: AclDirection, protocol: string): { entry: NetworkAclEntry; range: Ipv4Range }[] {
  return (acl.Entries ?? [])
    .filter((e) => Boolean(e.Egress) === (direction === 'egress') && matchesProtocol(e, protocol) && e.CidrBlock)
    .flatMap((entry) => {
      const range = ipv4Range(entry.CidrBlock!);
      return range ? [{ entry, range }] : [];
    })
    .sort((a, b) => (a.entry.RuleNumber ?? 0) - (b.entry.RuleNumber ?? 0));
}

/** Cuts [from, to] at every boundary that falls inside it. */
function cut(from: number, to: number, bounds: readonly number[]): { from: number; to: number }[] {
  const inside = [...new Set(bounds.filter((b) => b > from && b <= to))].sort((a, b) => a - b);
  const starts = [from, ...inside];
  return starts.map((s, i) => ({ from: s, to: i + 1 < starts.length ? starts[i + 1] - 1 : to }));
}

/** Every cell of a flow with the rule that decides it. */
export function aclCells(acl: NetworkAcl, direction: AclDirection, flow: AclFlow): AclCell[] {
  const peer = ipv4Range(flow.peerCidr);
  if (!peer) throw new Error(`Not an IPv4 CIDR: ${flow.peerCidr}`);
  const rules = rulesFor(acl, direction, flow.protocol).filter(({ entry }) => entry.RuleNumber !== 32767);
  const ports = flow.protocol === '1' ? { from: 0, to: 65535 } : flow.ports;
  const portCells = cut(
    ports.from,
    ports.to,
    rules.flatMap(({ entry }) => [portsOf(entry).from, portsOf(entry).to + 1]),
  );
  const addressCells = cut(
    peer.first,
    peer.last,
    rules.flatMap(({ range }) => [range.first, range.last + 1]),
  ).map((c) => ({ first: c.from, last: c.to }));
  const cells: AclCell[] = [];
  for (const p of portCells) {
    for (const a of addressCells) {
      const hit = rules.find(({ entry, range }) => {
        const r = portsOf(entry);
        return range.first <= a.first && a.last <= range.last && r.from <= p.from && p.to <= r.to;
      });
      cells.push({
        ports: p,
        addresses: a,
        allowed: hit ? hit.entry.RuleAction === 'allow' : false,
        rule: hit ? hit.entry.RuleNumber! : '*',
      });
    }
  }
  return cells;
}

/** An IPv4 range written back as an address range ("10.0.0.0-10.0.0.255"), or a CIDR when it is one. */
export function rangeText(r: Ipv4Range): string {
  const ip = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
  const size = r.last - r.first + 1;
  const bits = Math.log2(size);
  if (Number.isInteger(bits) && r.first % size === 0) return `${ip(r.first)}/${32 - bits}`;
  return `${ip(r.first)}-${ip(r.last)}`;
}

function flowText(direction: AclDirection, flow: AclFlow): string {
  const proto = PROTOCOL_NAMES[flow.protocol] ?? `protocol ${flow.protocol}`;
  const ports =
    flow.protocol === '1' ? '' : flow.ports.from === flow.ports.to ? ` ${flow.ports.from}` : ` ${flow.ports.from}-${flow.ports.to}`;
  return `${direction === 'ingress' ? 'inbound' : 'outbound'} ${proto}${ports} ${direction === 'ingress' ? 'from' : 'to'} ${flow.peerCidr}`;
}

/** Whether an ACL lets every packet of a flow through in one direction. */
export function aclAllows(acl: NetworkAcl, direction: AclDirection, flow: AclFlow): AclDecision {
  const cells = aclCells(acl, direction, flow);
  const denied = cells.find((c) => !c.allowed);
  const what = flowText(direction, flow);
  if (!denied) {
    const rules = [...new Set(cells.map((c) => c.rule))].join(', ');
    return { allowed: true, reason: `Network ACL ${acl.NetworkAclId} allows ${what} (rule ${rules}).`, cells };
  }
  const ports = denied.ports.from === denied.ports.to ? `${denied.ports.from}` : `${denied.ports.from}-${denied.ports.to}`;
  const by = denied.rule === '*' ? 'no rule allows it, so the final * rule denies' : `rule ${denied.rule} denies`;
  return {
    allowed: false,
    reason: `Network ACL ${acl.NetworkAclId} does not allow ${what}: for ${rangeText(denied.addresses)}${flow.protocol === '1' ? '' : ` port ${ports}`}, ${by} it.`,
    cells,
  };
}

/** The cells of a flow an ACL lets through (empty when it lets none): the "can this ever be allowed?" proof. */
export function aclAllowedCells(acl: NetworkAcl, direction: AclDirection, flow: AclFlow): AclCell[] {
  return aclCells(acl, direction, flow).filter((c) => c.allowed);
}
