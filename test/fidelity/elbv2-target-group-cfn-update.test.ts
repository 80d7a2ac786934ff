/**
 * patch_elbv2_target_group_cfn_update: a stack update that changes a target
 * group's health check changes the live group in place (same ARN); a change
 * to a property that requires replacement gives a new group, the listener
 * forwards to it, and the old one is deleted.
 */
import {
  DescribeListenersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientConfig, cloneTemplate, FLAVOURS, physicalIds, stackOnBothFlavours, Template, updateStack } from './cfn-harness';
import { albWithTargetGroup } from './alb-template';

const STACK = 'fidelity-elbv2-tg-update';
const TEMPLATE: Template = albWithTargetGroup(63, {
  Protocol: 'HTTP',
  Port: 8080,
  TargetType: 'ip',
  HealthCheckPath: '/health',
  HealthCheckIntervalSeconds: 10,
  Matcher: { HttpCode: '200-299' },
});

/** The health check moved to /healthz; the interval and matcher left out (back to a new group's defaults). */
function healthEdited(): Template {
  const t = cloneTemplate(TEMPLATE);
  const p = t.Resources.TargetGroup.Properties!;
  p.HealthCheckPath = '/healthz';
  p.HealthyThresholdCount = 3;
  delete p.HealthCheckIntervalSeconds;
  delete p.Matcher;
  return t;
}

function portEdited(): Template {
  const t = healthEdited();
  t.Resources.TargetGroup.Properties!.Port = 9090;
  return t;
}

async function groups(elb: ElasticLoadBalancingV2Client): Promise<TargetGroup[]> {
  return (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
}

describe('AWS::ElasticLoadBalancingV2::TargetGroup updated by its stack', () => {
  const { clients, ids } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({
    elb: new ElasticLoadBalancingV2Client(clientConfig(endpoint)),
  }));
  const afterHealthEdit = {} as Record<'stock' | 'patched', { status: string; groups: TargetGroup[] }>;

  beforeAll(async () => {
    for (const flavour of FLAVOURS) {
      const status = await updateStack(clients[flavour].cfn, STACK, healthEdited());
      afterHealthEdit[flavour] = { status, groups: await groups(clients[flavour].elb) };
    }
  });

  test('stock moto reports UPDATE_COMPLETE and keeps the old health check (patch still needed)', () => {
    expect(afterHealthEdit.stock.status).toBe('UPDATE_COMPLETE');
    const [group] = afterHealthEdit.stock.groups;
    expect(afterHealthEdit.stock.groups).toHaveLength(1);
    expect(group.HealthCheckPath).toBe('/health');
  });

  test('patched moto changes the same group: new path and threshold, removed properties back to the defaults', () => {
    expect(afterHealthEdit.patched.status).toBe('UPDATE_COMPLETE');
    expect(afterHealthEdit.patched.groups).toHaveLength(1);
    const [group] = afterHealthEdit.patched.groups;
    expect(group.TargetGroupArn).toBe(ids.patched.TargetGroup);
    expect({
      path: group.HealthCheckPath,
      healthy: group.HealthyThresholdCount,
      interval: group.HealthCheckIntervalSeconds,
      matcher: group.Matcher?.HttpCode,
      port: group.Port,
    }).toEqual({ path: '/healthz', healthy: 3, interval: 30, matcher: '200', port: 8080 });
  });

  test('patched moto replaces the group on a port change: the listener forwards to the new one, the old one is gone', async () => {
    const { cfn, elb } = clients.patched;
    expect(await updateStack(cfn, STACK, portEdited())).toBe('UPDATE_COMPLETE');
    const now = await physicalIds(cfn, STACK);
    expect(now.TargetGroup).not.toBe(ids.patched.TargetGroup);
    const live = await groups(elb);
    expect(live.map((g) => [g.TargetGroupArn, g.Port, g.HealthCheckPath])).toEqual([[now.TargetGroup, 9090, '/healthz']]);
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: now.LoadBalancer }))).Listeners ?? [];
    expect(listeners.map((l) => l.DefaultActions?.[0]?.TargetGroupArn)).toEqual([now.TargetGroup]);
  });
});
