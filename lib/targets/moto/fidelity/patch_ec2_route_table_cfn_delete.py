"""AWS::EC2::RouteTable is deleted when its stack is deleted.

Defect in stock moto 5.2.1
    RouteTable has no CloudFormation delete, so deleting a stack leaves its
    route tables behind; the stack's VPC then cannot be deleted
    (DependencyViolation) and DeleteStack fails for any stack with a VPC and
    a route table, which is every lab VPC.

AWS behaviour restored
    "Delete a stack" (CloudFormation User Guide): CloudFormation deletes every
    resource of the stack that has no Retain/Snapshot DeletionPolicy. Deleting
    a route table that still has subnet associations fails with
    DependencyViolation ("DeleteRouteTable", Amazon EC2 API Reference); the
    stack's association resources are deleted first, which moto's
    retry-until-no-progress loop already orders for us.

When to drop
    test/fidelity/ec2-route-table-cfn-delete.test.ts asserts stock moto
    fails to delete a VPC + route table stack. When that assertion fails on a
    newer moto, drop this module and its test.
"""
from _patch_util import already_patched


def apply() -> None:
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.route_tables import RouteTable

    if already_patched(RouteTable, "route_table_cfn_delete"):
        return

    def delete(self, account_id: str, region_name: str) -> None:
        backend = ec2_backends[account_id][region_name]
        if self.id in backend.route_tables:
            backend.delete_route_table(self.id)

    RouteTable.delete = delete
