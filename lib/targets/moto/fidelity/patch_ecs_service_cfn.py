"""AWS::ECS::Service created by CloudFormation keeps its launch type, network
configuration and the other CreateService properties.

Defect in stock moto 5.2.1
    `Service.create_from_cloudformation_json` passes only Cluster,
    TaskDefinition and DesiredCount to CreateService. DescribeServices then
    reports launchType "EC2" and an empty networkConfiguration for a Fargate
    service in private subnets, drops LoadBalancers, and shows desiredCount 0
    when the template leaves DesiredCount out. Stack updates likewise ignore
    NetworkConfiguration.

AWS behaviour restored
    "AWS::ECS::Service" (CloudFormation Template Reference): LaunchType,
    NetworkConfiguration (AwsvpcConfiguration: Subnets, SecurityGroups,
    AssignPublicIp, default DISABLED), LoadBalancers, PlatformVersion,
    PropagateTags, Role, SchedulingStrategy, DeploymentController,
    ServiceRegistries and Tags are the CreateService parameters of the same
    name, which DescribeServices ("DescribeServices", Amazon ECS API
    Reference) returns. For a new service without DesiredCount, CloudFormation
    uses 1; on update without DesiredCount the current count is kept.
    LaunchType, Cluster, ServiceName, Role, SchedulingStrategy and
    DeploymentController changes replace the service; NetworkConfiguration,
    TaskDefinition, DesiredCount, LoadBalancers and PlatformVersion update it
    in place.

When to drop
    test/fidelity/ecs-service-cfn.test.ts creates the same stack in stock
    moto and asserts stock reports launchType EC2 / no networkConfiguration.
    When that assertion fails on a newer moto, drop this module and its test.
"""
from typing import Any, Optional

from _patch_util import already_patched, set_classmethod


def _camel(value: Any) -> Any:
    from moto.core.utils import pascal_to_camelcase, remap_nested_keys

    if value is None:
        return None
    return remap_nested_keys(value, pascal_to_camelcase)


def _network_configuration(properties: dict) -> Optional[dict]:
    nc = properties.get("NetworkConfiguration")
    if not nc:
        return None
    awsvpc = nc.get("AwsvpcConfiguration") or {}
    return {
        "awsvpcConfiguration": {
            "subnets": list(awsvpc.get("Subnets") or []),
            "securityGroups": list(awsvpc.get("SecurityGroups") or []),
            "assignPublicIp": awsvpc.get("AssignPublicIp") or "DISABLED",
        }
    }


def _cluster_name(value: Any) -> str:
    from moto.ecs.models import Cluster

    if value is None:
        return "default"
    if isinstance(value, Cluster):
        return value.name
    return str(value).split("/")[-1]


def _task_definition(value: Any) -> Optional[str]:
    from moto.ecs.models import TaskDefinition

    if isinstance(value, TaskDefinition):
        return value.arn
    return value


def _desired_count(value: Any) -> Optional[int]:
    return None if value is None else int(value)


# Properties whose change makes CloudFormation replace the service.
_REPLACING = ("Cluster", "LaunchType", "ServiceName", "Role", "SchedulingStrategy", "DeploymentController")


def apply() -> None:
    from moto.ecs import models as ecs_models

    cls = ecs_models.Service
    if already_patched(cls, __name__):
        return

    def _create(account_id: str, region_name: str, service_name: str, properties: dict):
        backend = ecs_models.ecs_backends[account_id][region_name]
        desired = _desired_count(properties.get("DesiredCount"))
        service = backend.create_service(
            _cluster_name(properties.get("Cluster")),
            service_name,
            1 if desired is None else desired,
            task_definition_str=_task_definition(properties.get("TaskDefinition")),
            load_balancers=_camel(properties.get("LoadBalancers")),
            scheduling_strategy=properties.get("SchedulingStrategy"),
            tags=_camel(properties.get("Tags")),
            deployment_controller=_camel(properties.get("DeploymentController")),
            launch_type=properties.get("LaunchType"),
            service_registries=_camel(properties.get("ServiceRegistries")),
            platform_version=properties.get("PlatformVersion"),
            propagate_tags=properties.get("PropagateTags") or "NONE",
            network_configuration=_network_configuration(properties),
            role_arn=properties.get("Role"),
        )
        service._breakfix_cfn_properties = dict(properties)
        return service

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        return _create(account_id, region_name, resource_name, cloudformation_json["Properties"])

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        backend = ecs_models.ecs_backends[account_id][region_name]
        previous = getattr(original_resource, "_breakfix_cfn_properties", {})
        replace = _cluster_name(properties.get("Cluster")) != original_resource.cluster_name or any(
            properties.get(key) != previous.get(key) for key in _REPLACING if key != "Cluster"
        )
        if replace:
            backend.delete_service(original_resource.cluster_name, original_resource.name, force=True)
            name = properties.get("ServiceName") or new_resource_name
            return _create(account_id, region_name, name, properties)

        nc = _network_configuration(properties)
        if nc is not None:
            original_resource._validate_network(nc)
        service = backend.update_service(
            {
                "cluster": original_resource.cluster_name,
                "service": original_resource.name,
                "task_definition": _task_definition(properties.get("TaskDefinition")),
                # Without DesiredCount, an update keeps the current count.
                "desired_count": _desired_count(properties.get("DesiredCount")),
                "load_balancers": _camel(properties.get("LoadBalancers")),
                "platform_version": properties.get("PlatformVersion"),
            }
        )
        # Removing NetworkConfiguration from the template clears it.
        service.network_configuration = nc if nc is not None else {}
        service._breakfix_cfn_properties = dict(properties)
        return service

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
