/**
 * What the load balancer and ECS show for the release's tasks. On AWS it is
 * read (target health, service events); on emulators, which run no
 * containers, it is derived from live configuration and the app's declared
 * contract (lab.ts), hop by hop, the way the load balancer's health check
 * would go: the network path from a load balancer node to the task (security
 * groups, network ACLs both ways), then whether anything listens on the
 * health-check port, then the status code the path returns against the matcher.
 */
import type { Subnet } from '@aws-sdk/client-ec2';
import type { Symptom } from '../../lib/scenario/types';
import { aclAllows, aclOfSubnet, egressAllows, ingressAllows } from '../../lib/engines/network';
import { APP, EPHEMERAL } from './lab';
import { appBehaviour, HealthCheckSnapshot, taskSecurityGroupIds, taskSubnetIds } from './gather';

/** The layer that decided a target's health. */
export type HealthLayer = 'security-group' | 'network-acl' | 'listener' | 'response-code' | 'none';

export interface DerivedTargetHealth {
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly state: 'healthy' | 'unhealthy';
  /** ELB's reason code and description, in AWS's words (DescribeTargetHealth, TargetHealth). */
  readonly reason?: 'Target.Timeout' | 'Target.FailedHealthChecks' | 'Target.ResponseCodeMismatch';
  readonly description?: string;
  readonly layer: HealthLayer;
  /** One sentence naming the resource and rule that decided. */
  readonly because: string;
}

/** The codes a matcher accepts ("200", "200,202", "200-299"), as ranges; empty when unparsable. */
export function matcherRanges(httpCode: string | undefined): { from: number; to: number }[] {
  return (httpCode ?? '200')
    .split(',')
    .map((p) => p.trim())
    .flatMap((p) => {
      const m = /^(\d{3})(?:-(\d{3}))?$/.exec(p);
      return m ? [{ from: Number(m[1]), to: Number(m[2] ?? m[1]) }] : [];
    });
}

export function matcherAccepts(httpCode: string | undefined, code: number): boolean {
  return matcherRanges(httpCode).some((r) => r.from <= code && code <= r.to);
}

/** The port the load balancer sends traffic to: the service's load-balancer mapping for the target group. */
export function trafficPort(s: HealthCheckSnapshot): number | undefined {
  const tg = s.targetGroup?.TargetGroupArn;
  return s.service.loadBalancers?.find((l) => l.targetGroupArn === tg)?.containerPort ?? undefined;
}

/** The port the health check goes to: the target group's HealthCheckPort, or the traffic port. */
export function healthCheckPort(s: HealthCheckSnapshot): number | undefined {
  const p = s.targetGroup?.HealthCheckPort;
  return !p || p === 'traffic-port' ? trafficPort(s) : Number(p);
}

/** The status the app answers a path with, per its contract. */
export function appStatus(path: string, healthPath: string): number {
  return path === healthPath || path === APP.landingPath ? 200 : APP.otherStatus;
}

function subnetById(s: HealthCheckSnapshot, id: string): Subnet | undefined {
  return s.subnets.find((x) => x.SubnetId === id);
}

/** The network path from the load balancer's nodes to a task in `taskSubnet` on `port`, and back: undefined when open. */
export function blockedHop(s: HealthCheckSnapshot, taskSubnet: Subnet, port: number): { layer: HealthLayer; because: string } | undefined {
  const lbSgs = s.loadBalancer?.SecurityGroups ?? [];
  const lbSubnets = (s.loadBalancer?.AvailabilityZones ?? []).map((z) => subnetById(s, z.SubnetId ?? '')).filter((x): x is Subnet => !!x);
  const taskSgs = taskSecurityGroupIds(s);
  const taskCidr = taskSubnet.CidrBlock ?? '';
  const out = egressAllows(s.securityGroups, lbSgs, port, {
    cidrs: [taskCidr],
    groupIds: taskSgs,
    label: `the tasks in ${taskSubnet.SubnetId}`,
  });
  if (!out.allowed) return { layer: 'security-group', because: out.reason };
  const lbCidrs = lbSubnets.map((x) => x.CidrBlock ?? '').filter(Boolean);
  const inn = ingressAllows(s.securityGroups, taskSgs, port, { cidrs: lbCidrs, groupIds: lbSgs, label: 'the load balancer' });
  if (!inn.allowed) return { layer: 'security-group', because: inn.reason };
  const taskAcl = aclOfSubnet(s.acls, taskSubnet.SubnetId!, s.vpcId);
  for (const lbSubnet of lbSubnets) {
    if (lbSubnet.SubnetId === taskSubnet.SubnetId) continue;
    const lbAcl = aclOfSubnet(s.acls, lbSubnet.SubnetId!, s.vpcId);
    const lbCidr = lbSubnet.CidrBlock ?? '';
    const hops = [
      [lbAcl, 'egress', { protocol: '6', ports: { from: port, to: port }, peerCidr: taskCidr }, lbSubnet.SubnetId],
      [taskAcl, 'ingress', { protocol: '6', ports: { from: port, to: port }, peerCidr: lbCidr }, taskSubnet.SubnetId],
      [taskAcl, 'egress', { protocol: '6', ports: EPHEMERAL, peerCidr: lbCidr }, taskSubnet.SubnetId],
      [lbAcl, 'ingress', { protocol: '6', ports: EPHEMERAL, peerCidr: taskCidr }, lbSubnet.SubnetId],
    ] as const;
    for (const [acl, direction, flow, subnetId] of hops) {
      if (!acl) return { layer: 'network-acl', because: `Subnet ${subnetId} has no network ACL EC2 reports.` };
      const d = aclAllows(acl, direction, flow);
      if (!d.allowed) return { layer: 'network-acl', because: `${d.reason} (subnet ${subnetId})` };
    }
  }
  return undefined;
}

/** The health the load balancer would report for a release task in each of the service's subnets. */
export function deriveTargetHealth(s: HealthCheckSnapshot): DerivedTargetHealth[] {
  const app = appBehaviour(s.release);
  const port = healthCheckPort(s);
  const path = s.targetGroup?.HealthCheckPath ?? '/';
  const matcher = s.targetGroup?.Matcher?.HttpCode ?? '200';
  return taskSubnetIds(s).map((subnetId): DerivedTargetHealth => {
    const subnet = subnetById(s, subnetId);
    const base = { subnetId, availabilityZone: subnet?.AvailabilityZone ?? 'unknown' };
    if (!subnet || port === undefined) {
      return {
        ...base,
        state: 'unhealthy',
        reason: 'Target.Timeout',
        description: 'Request timed out',
        layer: 'network-acl',
        because: `Subnet ${subnetId} or the health-check port is not known.`,
      };
    }
    const blocked = blockedHop(s, subnet, port);
    if (blocked) return { ...base, state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out', ...blocked };
    if (port !== app.port) {
      return {
        ...base,
        state: 'unhealthy',
        reason: 'Target.FailedHealthChecks',
        description: 'Health checks failed',
        layer: 'listener',
        because: `The health check connects to port ${port}, where nothing listens: the app in ${s.release?.family}:${s.release?.revision} listens on ${app.port}.`,
      };
    }
    const code = appStatus(path, app.healthPath);
    if (!matcherAccepts(matcher, code)) {
      return {
        ...base,
        state: 'unhealthy',
        reason: 'Target.ResponseCodeMismatch',
        description: `Health checks failed with these codes: [${code}]`,
        layer: 'response-code',
        because: `GET ${path} on port ${port} answers ${code}, which the matcher ${matcher} does not accept (the app's health endpoint is ${app.healthPath}).`,
      };
    }
    return {
      ...base,
      state: 'healthy',
      layer: 'none',
      because: `GET ${path} on port ${port} answers ${code}, which the matcher ${matcher} accepts.`,
    };
  });
}

/** The symptom: ELB target health and ECS service events. */
export function healthCheckSymptom(s: HealthCheckSnapshot): Symptom {
  const service = s.service.serviceName ?? 'the service';
  const tg = s.targetGroup?.TargetGroupArn ?? s.stackTargetGroupArn;
  if (s.target === 'aws') {
    const unhealthy = s.targetHealth.filter((t) => t.TargetHealth?.State === 'unhealthy');
    const events = (s.service.events ?? []).slice(0, 6).map((e) => e.message ?? '');
    return {
      source: 'authentic',
      summary: unhealthy.length
        ? `${unhealthy.length} of ${s.targetHealth.length} targets unhealthy in ${tg}: ${unhealthy[0].TargetHealth?.Reason} (${unhealthy[0].TargetHealth?.Description})`
        : (events.find((e) => /rolling back|failed/.test(e)) ?? `Service ${service}: no unhealthy targets right now.`),
      details: [
        ...s.targetHealth.map(
          (t) =>
            `${t.Target?.Id}:${t.Target?.Port} (${t.Target?.AvailabilityZone ?? '?'}): ${t.TargetHealth?.State}${t.TargetHealth?.Reason ? ` ${t.TargetHealth.Reason} "${t.TargetHealth.Description}"` : ''}`,
        ),
        ...events,
      ],
    };
  }
  const health = deriveTargetHealth(s);
  const bad = health.filter((h) => h.state === 'unhealthy');
  const port = trafficPort(s) ?? APP.defaultPort;
  const revision = s.release ? `${s.release.family}:${s.release.revision}` : 'the release';
  const events = bad.map(
    (h) => `(service ${service}) (port ${port}) is unhealthy in (target-group ${tg}) due to (reason ${h.description}).`,
  );
  if (bad.length) {
    events.push(`(service ${service}) deployment failed: tasks failed to start.`);
    events.push(`(service ${service}) rolling back to the previous deployment.`);
  }
  return {
    source: 'derived',
    summary: bad.length
      ? `${bad.length} of ${health.length} new tasks of ${revision} unhealthy in ${tg}: ${bad[0].reason} (${bad[0].description})`
      : `Every new task of ${revision} passes the target group's health check.`,
    details: [
      ...health.map((h) => `task in ${h.subnetId} (${h.availabilityZone}): ${h.state}${h.reason ? ` ${h.reason} "${h.description}"` : ''}`),
      ...events,
    ],
    derivation:
      'The emulator runs no containers: target health is derived from the live target group, service and VPC network configuration, and the app contract (port, health endpoint) the image declares; the events follow the ECS service event formats.',
    explanation: health.filter((h) => h.state === 'unhealthy').map((h) => `${h.subnetId}: ${h.because}`),
  };
}
