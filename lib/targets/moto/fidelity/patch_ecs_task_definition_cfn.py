"""AWS::ECS::TaskDefinition created by CloudFormation keeps all its properties.

Defect in stock moto 5.2.1
    `TaskDefinition.create_from_cloudformation_json` passes only Family,
    ContainerDefinitions, Volumes and Memory to RegisterTaskDefinition. A task
    definition created from a template therefore comes back from
    DescribeTaskDefinition without executionRoleArn, taskRoleArn, cpu,
    requiresCompatibilities, and with networkMode "bridge" whatever the
    template said. The update path has the same gap and, in addition, does
    not convert ContainerDefinitions to the API's camelCase.

AWS behaviour restored
    "AWS::ECS::TaskDefinition" (CloudFormation Template Reference): every
    property maps to the RegisterTaskDefinition request parameter of the same
    name, and DescribeTaskDefinition ("DescribeTaskDefinition", Amazon ECS API
    Reference) returns them. Changing a property replaces the resource: a new
    revision is registered and the old one deregistered. Cpu and Memory are
    CloudFormation Strings, returned as strings.

When to drop
    test/fidelity/ecs-task-definition-cfn.test.ts creates the same stack in
    stock moto and asserts the stock task definition lacks these fields. When
    that assertion fails on a newer moto, stock moto honours the properties:
    remove this module from patches.PATCH_MODULES, delete it and its test.
"""
from typing import Any

from _patch_util import already_patched, cfn_string, set_classmethod


def _camel(value: Any) -> Any:
    from moto.core.utils import pascal_to_camelcase, remap_nested_keys

    if value is None:
        return None
    return remap_nested_keys(value, pascal_to_camelcase)


def register_kwargs(properties: dict, family: str) -> dict:
    """RegisterTaskDefinition arguments for CloudFormation `properties`."""
    return dict(
        family=family,
        container_definitions=_camel(properties.get("ContainerDefinitions", [])),
        volumes=_camel(properties.get("Volumes", [])),
        network_mode=properties.get("NetworkMode"),
        tags=_camel(properties.get("Tags")),
        placement_constraints=_camel(properties.get("PlacementConstraints")),
        requires_compatibilities=properties.get("RequiresCompatibilities"),
        cpu=cfn_string(properties.get("Cpu")),
        memory=cfn_string(properties.get("Memory")),
        task_role_arn=properties.get("TaskRoleArn"),
        execution_role_arn=properties.get("ExecutionRoleArn"),
        proxy_configuration=_camel(properties.get("ProxyConfiguration")),
        inference_accelerators=_camel(properties.get("InferenceAccelerators")),
        runtime_platform=_camel(properties.get("RuntimePlatform")),
        ipc_mode=properties.get("IpcMode"),
        pid_mode=properties.get("PidMode"),
        ephemeral_storage=_camel(properties.get("EphemeralStorage")),
    )


def _default_family() -> str:
    # Stock moto's name for a task definition whose template has no Family.
    from moto.moto_api._internal import mock_random

    return f"task-definition-{int(mock_random.random() * 10**6)}"


def apply() -> None:
    from moto.ecs import models as ecs_models

    cls = ecs_models.TaskDefinition
    if already_patched(cls, __name__):
        return

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        family = properties.get("Family") or _default_family()
        backend = ecs_models.ecs_backends[account_id][region_name]
        return backend.register_task_definition(**register_kwargs(properties, family))

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        # Changing AWS::ECS::TaskDefinition replaces it: register a new
        # revision, deregister the old one. moto calls this only when the
        # resource's template changed.
        properties = cloudformation_json["Properties"]
        family = properties.get("Family") or original_resource.family
        backend = ecs_models.ecs_backends[account_id][region_name]
        new = backend.register_task_definition(**register_kwargs(properties, family))
        backend.deregister_task_definition(original_resource.arn)
        return new

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
