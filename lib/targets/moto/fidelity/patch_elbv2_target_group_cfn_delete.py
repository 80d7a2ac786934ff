"""AWS::ElasticLoadBalancingV2::TargetGroup and ::Listener are removed with
their stack.

Defect in stock moto 5.2.1
    Neither model has a CloudFormation delete (only the load balancer has
    one). DeleteStack of a stack with a load balancer, listener and target
    group reports success, but the target group stays in DescribeTargetGroups
    for ever, and a listener whose load balancer was not in the stack stays
    on it.

AWS behaviour restored
    "Delete a stack" (CloudFormation User Guide) deletes every resource
    without a Retain policy; for these two that is what DeleteListener and
    DeleteTargetGroup do (Elastic Load Balancing API Reference). A target
    group still used by a listener is refused (ResourceInUse), which moto's
    retry-until-no-progress loop resolves by deleting the listener or the
    load balancer first. One already gone is not an error.

When to drop
    test/fidelity/elbv2-target-group-cfn-delete.test.ts asserts stock moto
    keeps the target group after DeleteStack. When that assertion fails on a
    newer moto, drop this module and its test.
"""
from _patch_util import already_patched


def apply() -> None:
    from moto.elbv2.models import FakeListener, FakeTargetGroup, elbv2_backends

    if already_patched(FakeTargetGroup, __name__):
        return

    def delete_target_group(self, account_id: str, region_name: str) -> None:
        backend = elbv2_backends[account_id][region_name]
        if self.arn in backend.target_groups:
            backend.delete_target_group(self.arn)

    def delete_listener(self, account_id: str, region_name: str) -> None:
        backend = elbv2_backends[account_id][region_name]
        for load_balancer in backend.load_balancers.values():
            if load_balancer.listeners.pop(self.arn, None) is not None:
                return

    FakeTargetGroup.delete = delete_target_group
    FakeListener.delete = delete_listener
