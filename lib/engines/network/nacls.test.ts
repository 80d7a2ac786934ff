/**
 * Network ACL decisions over hand-built DescribeNetworkAcls shapes. Semantics from the VPC User Guide,
 * "Network ACL rules": rules are evaluated in rule-number order per direction, the first match decides,
 * the final * rule denies; ACLs are stateless, so replies need their own rule; a subnet without an
 * explicit association uses the VPC's default ACL.
 */
import type { NetworkAcl, NetworkAclEntry } from '@aws-sdk/client-ec2';
import { aclAllowedCells, aclAllows, aclOfSubnet, rangeText } from './nacls';

const FINAL: NetworkAclEntry[] = [
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
];
const rule = (
  n: number,
  egress: boolean,
  action: 'allow' | 'deny',
  cidr: string,
  protocol = '6',
  from?: number,
  to?: number,
): NetworkAclEntry => ({
  RuleNumber: n,
  Egress: egress,
  RuleAction: action,
  CidrBlock: cidr,
  Protocol: protocol,
  ...(from !== undefined ? { PortRange: { From: from, To: to ?? from } } : {}),
});
const acl = (id: string, entries: NetworkAclEntry[], extra: Partial<NetworkAcl> = {}): NetworkAcl => ({
  NetworkAclId: id,
  VpcId: 'vpc-1',
  IsDefault: false,
  Entries: [...entries, ...FINAL],
  Associations: [],
  ...extra,
});

const DEFAULT = acl('acl-default', [rule(100, false, 'allow', '0.0.0.0/0', '-1'), rule(100, true, 'allow', '0.0.0.0/0', '-1')], {
  IsDefault: true,
  Associations: [{ SubnetId: 'subnet-a' }],
});
// The lab's restricted ACL: app port in from the VPC, replies in from anywhere, only HTTPS out.
const RESTRICTED = acl(
  'acl-restricted',
  [
    rule(100, false, 'allow', '10.43.0.0/16', '6', 8080),
    rule(110, false, 'allow', '0.0.0.0/0', '6', 1024, 65535),
    rule(100, true, 'allow', '0.0.0.0/0', '6', 443),
  ],
  { Associations: [{ SubnetId: 'subnet-c' }] },
);
const tcp = (from: number, to: number, peerCidr: string) => ({ protocol: '6' as const, ports: { from, to }, peerCidr });

test('a subnet uses its explicitly associated ACL, else the default ACL of its VPC', () => {
  expect(aclOfSubnet([DEFAULT, RESTRICTED], 'subnet-c', 'vpc-1')?.NetworkAclId).toBe('acl-restricted');
  expect(aclOfSubnet([DEFAULT, RESTRICTED], 'subnet-b', 'vpc-1')?.NetworkAclId).toBe('acl-default');
  expect(aclOfSubnet([RESTRICTED], 'subnet-b', 'vpc-1')).toBeUndefined();
});

test('the default ACL allows everything both ways', () => {
  expect(aclAllows(DEFAULT, 'ingress', tcp(8080, 8080, '10.43.0.0/24')).allowed).toBe(true);
  expect(aclAllows(DEFAULT, 'egress', tcp(1024, 65535, '0.0.0.0/0'))).toMatchObject({
    allowed: true,
    reason: 'Network ACL acl-default allows outbound TCP 1024-65535 to 0.0.0.0/0 (rule 100).',
  });
});

test('requests in on the app port pass, but replies to ephemeral ports do not get out (stateless)', () => {
  expect(aclAllows(RESTRICTED, 'ingress', tcp(8080, 8080, '10.43.0.0/24')).allowed).toBe(true);
  const out = aclAllows(RESTRICTED, 'egress', tcp(1024, 65535, '10.43.0.0/24'));
  expect(out.allowed).toBe(false);
  expect(out.reason).toBe(
    'Network ACL acl-restricted does not allow outbound TCP 1024-65535 to 10.43.0.0/24: for 10.43.0.0/24 port 1024-65535, no rule allows it, so the final * rule denies it.',
  );
});

test('the first matching rule decides, by rule number, not by order in the list', () => {
  const denyFirst = acl('acl-x', [rule(200, true, 'allow', '0.0.0.0/0', '-1'), rule(50, true, 'deny', '10.43.1.0/24', '6', 1024, 65535)]);
  expect(aclAllows(denyFirst, 'egress', tcp(1024, 65535, '10.43.0.0/24')).allowed).toBe(true);
  const d = aclAllows(denyFirst, 'egress', tcp(1024, 65535, '10.43.0.0/16'));
  expect(d.allowed).toBe(false);
  expect(d.reason).toContain('for 10.43.1.0/24 port 1024-65535, rule 50 denies it');
});

test('a rule that covers part of the ports or addresses leaves the rest to later rules', () => {
  const part = acl('acl-p', [rule(100, true, 'allow', '10.43.0.0/24', '6', 1024, 30000)]);
  const d = aclAllows(part, 'egress', tcp(1024, 65535, '10.43.0.0/24'));
  expect(d.allowed).toBe(false);
  expect(d.reason).toContain('port 30001-65535');
  const wrongProto = acl('acl-u', [rule(100, true, 'allow', '0.0.0.0/0', '17', 0, 65535)]);
  expect(aclAllows(wrongProto, 'egress', tcp(1024, 65535, '10.43.0.0/24')).allowed).toBe(false);
});

test('the allowed cells are a proof over every address: nothing but HTTPS leaves the restricted subnet', () => {
  const cells = aclAllowedCells(RESTRICTED, 'egress', tcp(0, 65535, '0.0.0.0/0'));
  expect(cells.map((c) => [c.ports.from, c.ports.to, rangeText(c.addresses), c.rule])).toEqual([[443, 443, '0.0.0.0/0', 100]]);
  expect(aclAllowedCells(RESTRICTED, 'egress', { protocol: '17', ports: { from: 0, to: 65535 }, peerCidr: '0.0.0.0/0' })).toEqual([]);
  const inbound = aclAllowedCells(RESTRICTED, 'ingress', tcp(0, 65535, '0.0.0.0/0')).map(
    (c) => `${rangeText(c.addresses)}:${c.ports.from}-${c.ports.to}`,
  );
  // Cells are cut at every rule boundary: 0-1023 is denied from everywhere, 1024-65535 allowed (8080 by rule 100 from the VPC).
  expect(inbound).toContain('10.43.0.0/16:8080-8080');
  expect(inbound).toContain('0.0.0.0-10.42.255.255:8081-65535');
  expect(aclAllowedCells(RESTRICTED, 'ingress', tcp(0, 1023, '0.0.0.0/0'))).toEqual([]);
});
