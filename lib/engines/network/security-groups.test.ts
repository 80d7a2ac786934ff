/**
 * Security-group decisions over hand-built DescribeSecurityGroups shapes. Semantics from the VPC User
 * Guide, "Security group rules": rules only allow; a rule's source or destination is a CIDR, a prefix
 * list or a security group; the rules of all groups on an ENI add up.
 */
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import { cidrContains, egressAllows, ingressAllows, type SgPeer } from './security-groups';

const S3_PL = 'pl-63a5400a';
const S3: SgPeer = { cidrs: ['52.216.0.0/15', '3.5.0.0/19'], prefixListIds: [S3_PL], label: 'S3' };
const ENDPOINT_SUBNETS: SgPeer = { cidrs: ['10.42.0.0/24', '10.42.1.0/24'], groupIds: ['sg-endpoint'], label: 'the endpoint' };
const TASKS: SgPeer = { cidrs: ['10.42.0.0/24', '10.42.1.0/24'], groupIds: ['sg-task'], label: 'the tasks' };

const group = (id: string, rules: { egress?: SecurityGroup['IpPermissionsEgress']; ingress?: SecurityGroup['IpPermissions'] }) =>
  ({ GroupId: id, VpcId: 'vpc-1', IpPermissionsEgress: rules.egress ?? [], IpPermissions: rules.ingress ?? [] }) as SecurityGroup;

const allOut = group('sg-task', { egress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
const vpcOnly = group('sg-task', { egress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.42.0.0/16' }] }] });

test('CIDR containment', () => {
  expect(cidrContains('0.0.0.0/0', '52.216.0.0/15')).toBe(true);
  expect(cidrContains('10.42.0.0/16', '10.42.1.0/24')).toBe(true);
  expect(cidrContains('10.42.1.0/24', '10.42.0.0/16')).toBe(false);
  expect(cidrContains('10.42.0.0/16', '52.216.0.0/15')).toBe(false);
  expect(cidrContains('::/0', '10.0.0.0/8')).toBe(false);
});

test('all traffic to 0.0.0.0/0 reaches S3 and the endpoints', () => {
  expect(egressAllows([allOut], ['sg-task'], 443, S3).allowed).toBe(true);
  expect(egressAllows([allOut], ['sg-task'], 443, ENDPOINT_SUBNETS).allowed).toBe(true);
});

test('egress narrowed to the VPC CIDR reaches the endpoints but not S3 through a gateway endpoint', () => {
  expect(egressAllows([vpcOnly], ['sg-task'], 443, ENDPOINT_SUBNETS).allowed).toBe(true);
  const s3 = egressAllows([vpcOnly], ['sg-task'], 443, S3);
  expect(s3.allowed).toBe(false);
  expect(s3.reason).toBe('No egress rule of security group sg-task allows TCP 443 to S3 (52.216.0.0/15, 3.5.0.0/19 not covered).');
});

test('a rule on the S3 prefix list allows S3; another port does not', () => {
  const pl = group('sg-task', { egress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: S3_PL }] }] });
  expect(egressAllows([pl], ['sg-task'], 443, S3)).toEqual({
    allowed: true,
    reason: `Security group sg-task allows TCP 443 egress to S3 (rule on prefix list ${S3_PL}).`,
  });
  const http = group('sg-task', { egress: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, PrefixListIds: [{ PrefixListId: S3_PL }] }] });
  expect(egressAllows([http], ['sg-task'], 443, S3).allowed).toBe(false);
});

test('UDP rules and a port range that stops short do not allow TCP 443', () => {
  const udp = group('sg-task', { egress: [{ IpProtocol: 'udp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
  const low = group('sg-task', { egress: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 442, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
  const range = group('sg-task', { egress: [{ IpProtocol: 'tcp', FromPort: 1024, ToPort: 0, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
  for (const g of [udp, low, range]) expect(egressAllows([g], ['sg-task'], 443, S3).allowed).toBe(false);
  const wide = group('sg-task', { egress: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
  expect(egressAllows([wide], ['sg-task'], 443, S3).allowed).toBe(true);
});

test('the rules of several groups add up, also across CIDRs', () => {
  const a = group('sg-a', { egress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.42.0.0/24' }] }] });
  const b = group('sg-b', { egress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.42.1.0/24' }] }] });
  expect(egressAllows([a, b], ['sg-a'], 443, ENDPOINT_SUBNETS).allowed).toBe(false);
  expect(egressAllows([a, b], ['sg-a', 'sg-b'], 443, ENDPOINT_SUBNETS).allowed).toBe(true);
});

test('ingress from a referenced security group admits ENIs carrying it, and no other', () => {
  const ep = group('sg-endpoint', {
    ingress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: 'sg-task' }] }],
  });
  expect(ingressAllows([ep], ['sg-endpoint'], 443, TASKS)).toEqual({
    allowed: true,
    reason: 'Security group sg-endpoint allows TCP 443 ingress from the tasks (rule on security group sg-task).',
  });
  expect(ingressAllows([ep], ['sg-endpoint'], 443, { ...TASKS, groupIds: ['sg-other'] }).allowed).toBe(false);
});

test('an endpoint group without ingress rules admits nothing; a missing group is named', () => {
  const empty = group('sg-endpoint', {});
  expect(ingressAllows([empty], ['sg-endpoint'], 443, TASKS).reason).toBe(
    'No ingress rule of security group sg-endpoint allows TCP 443 from the tasks (10.42.0.0/24, 10.42.1.0/24 not covered).',
  );
  expect(ingressAllows([], ['sg-gone'], 443, TASKS).reason).toMatch(/sg-gone could not be found/);
  expect(ingressAllows([empty], [], 443, TASKS).allowed).toBe(false);
});

test('a peer whose addresses are unknown is reached only by a rule on 0.0.0.0/0', () => {
  const unknown = { cidrs: [], prefixListIds: [S3_PL], label: 'S3' };
  expect(egressAllows([allOut], ['sg-task'], 443, unknown).allowed).toBe(true);
  expect(egressAllows([vpcOnly], ['sg-task'], 443, unknown).allowed).toBe(false);
});
