/**
 * patch_elbv2_target_group_cfn_delete: deleting a stack with a load
 * balancer, a listener and the target group it forwards to removes the
 * target group too, as CloudFormation does.
 */
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientConfig, deletionOnBothFlavours, Template } from './cfn-harness';
import { albWithTargetGroup } from './alb-template';

const STACK = 'fidelity-elbv2-tg-delete';
const TEMPLATE: Template = albWithTargetGroup(62, { Protocol: 'HTTP', Port: 8080, TargetType: 'ip', HealthCheckPath: '/health' });

describe('AWS::ElasticLoadBalancingV2::TargetGroup deletion with its stack', () => {
  const outcome = deletionOnBothFlavours(
    STACK,
    TEMPLATE,
    (endpoint) => ({ elb: new ElasticLoadBalancingV2Client(clientConfig(endpoint)) }),
    async ({ elb }, ids) => {
      const groups = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
      return { targetGroupLeft: groups.some((g) => g.TargetGroupArn === ids.TargetGroup) };
    },
  );

  test('stock moto keeps the target group after DeleteStack (patch still needed)', () => {
    expect(outcome.stock).toEqual({ deleteError: undefined, targetGroupLeft: true });
  });

  test('patched moto deletes the target group once the listener and load balancer are gone', () => {
    expect(outcome.patched).toEqual({ deleteError: undefined, targetGroupLeft: false });
  });
});
