/**
 * A template the Elastic Load Balancing fidelity tests share: a VPC with two
 * subnets in two AZs, an internal Application Load Balancer, one target group
 * with the given properties and an HTTP listener forwarding to it.
 */
import type { Template } from './cfn-harness';

/** `secondOctet` keeps each test's VPC range its own (10.<secondOctet>.0.0/16). */
export function albWithTargetGroup(secondOctet: number, targetGroup: Record<string, unknown>): Template {
  const cidr = (third: number, mask: number) => `10.${secondOctet}.${third}.0/${mask}`;
  return {
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: cidr(0, 16) } },
      SubnetA: {
        Type: 'AWS::EC2::Subnet',
        Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: cidr(1, 24), AvailabilityZone: 'us-east-1a' },
      },
      SubnetB: {
        Type: 'AWS::EC2::Subnet',
        Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: cidr(2, 24), AvailabilityZone: 'us-east-1b' },
      },
      LoadBalancer: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: { Scheme: 'internal', Type: 'application', Subnets: [{ Ref: 'SubnetA' }, { Ref: 'SubnetB' }] },
      },
      TargetGroup: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { VpcId: { Ref: 'Vpc' }, ...targetGroup } },
      Listener: {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: {
          LoadBalancerArn: { Ref: 'LoadBalancer' },
          Port: 80,
          Protocol: 'HTTP',
          DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'TargetGroup' } }],
        },
      },
    },
  };
}
