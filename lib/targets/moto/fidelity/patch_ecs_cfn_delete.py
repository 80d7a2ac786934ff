"""AWS::ECS::Cluster, ::Service and ::TaskDefinition are removed with their stack.

Defect in stock moto 5.2.1
    None of the three ECS models has a CloudFormation delete. DeleteStack
    reports success, yet the cluster and the service stay ACTIVE and the
    task definition revision stays ACTIVE, so a deleted lab leaves ECS
    resources behind.

AWS behaviour restored
    "Delete a stack" (CloudFormation User Guide) deletes every resource
    without a Retain policy. For ECS that means what the ECS API does:
    DeleteService (a service is drained and becomes INACTIVE), DeleteCluster
    (INACTIVE), and DeregisterTaskDefinition (the revision becomes INACTIVE).
    Services are deleted before their cluster, which moto's
    retry-until-no-progress loop gives us because DeleteCluster only marks
    the cluster INACTIVE here.

When to drop
    test/fidelity/ecs-cfn-delete.test.ts asserts stock moto leaves all three
    ACTIVE after DeleteStack. When that fails on a newer moto, drop this
    module and its test.
"""
from _patch_util import already_patched


def apply() -> None:
    from moto.ecs.models import Cluster, Service, TaskDefinition, ecs_backends

    if already_patched(Cluster, "ecs_cfn_delete"):
        return

    def delete_cluster(self, account_id: str, region_name: str) -> None:
        backend = ecs_backends[account_id][region_name]
        if self.name in backend.clusters and backend.clusters[self.name].status == "ACTIVE":
            backend.delete_cluster(self.name)

    def delete_service(self, account_id: str, region_name: str) -> None:
        backend = ecs_backends[account_id][region_name]
        pair = f"{self.cluster_name}:{self.name}"
        if pair in backend.services and backend.services[pair].status != "INACTIVE":
            # CloudFormation scales the service to zero before deleting it.
            backend.delete_service(self.cluster_name, self.name, force=True)

    def delete_task_definition(self, account_id: str, region_name: str) -> None:
        if self.status == "ACTIVE":
            ecs_backends[account_id][region_name].deregister_task_definition(self.arn)

    Cluster.delete = delete_cluster
    Service.delete = delete_service
    TaskDefinition.delete = delete_task_definition
