"""AWS::ElasticLoadBalancingV2::TargetGroup updates from CloudFormation reach
the live target group.

Defect in stock moto 5.2.1
    FakeTargetGroup has no CloudFormation update. UpdateStack with a changed
    HealthCheckPath (or any other property) reports UPDATE_COMPLETE, but
    DescribeTargetGroups still shows the old health check, and the stack's
    resource map loses the target group's model (moto stores None for it).

AWS behaviour restored
    "AWS::ElasticLoadBalancingV2::TargetGroup" (CloudFormation Template
    Reference): HealthCheckEnabled, HealthCheckIntervalSeconds,
    HealthCheckPath, HealthCheckPort, HealthCheckProtocol,
    HealthCheckTimeoutSeconds, HealthyThresholdCount, UnhealthyThresholdCount
    and Matcher update with no interruption: the same target group (same ARN)
    gets the new settings, and a property removed from the template goes back
    to the value a new target group would get ("ModifyTargetGroup", Elastic
    Load Balancing API Reference, for the defaults). Name, Port, Protocol,
    ProtocolVersion, VpcId, TargetType and IpAddressType require replacement:
    CloudFormation creates a new target group, points what refers to it at the
    new one, and deletes the old one once nothing uses it. Here the old group
    is deleted at once when no listener or rule forwards to it, otherwise when
    the last listener or rule that did is updated away from it by the stack.

When to drop
    test/fidelity/elbv2-target-group-cfn-update.test.ts asserts stock moto
    keeps the old health-check path after UpdateStack. When that fails on a
    newer moto, drop this module and its test.
"""
from typing import Any

from _patch_util import already_patched, set_classmethod

_NO_INTERRUPTION = {
    # template property -> create_target_group / FakeTargetGroup argument
    "HealthCheckProtocol": "healthcheck_protocol",
    "HealthCheckPort": "healthcheck_port",
    "HealthCheckPath": "healthcheck_path",
    "HealthCheckIntervalSeconds": "healthcheck_interval_seconds",
    "HealthCheckTimeoutSeconds": "healthcheck_timeout_seconds",
    "HealthyThresholdCount": "healthy_threshold_count",
    "UnhealthyThresholdCount": "unhealthy_threshold_count",
    "Matcher": "matcher",
}
_HEALTH_ATTRIBUTES = (
    "health_check_protocol",
    "health_check_port",
    "health_check_path",
    "health_check_interval_seconds",
    "health_check_timeout_seconds",
    "health_check_enabled",
    "healthy_threshold_count",
    "unhealthy_threshold_count",
    "matcher",
)
_PENDING = "_breakfix_replaced_target_groups"


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _replacing(model: Any, properties: dict) -> bool:
    """True when a property that requires replacement differs from the live group."""
    if "Name" in properties and properties["Name"] != model.name:
        return True
    wanted = {
        "port": _text(properties.get("Port")),
        "protocol": properties.get("Protocol"),
        "vpc_id": properties.get("VpcId"),
        "target_type": properties.get("TargetType") or "instance",
    }
    live = {
        "port": _text(model.port),
        "protocol": model.protocol,
        "vpc_id": model.vpc_id,
        "target_type": model.target_type,
    }
    if wanted["target_type"] == "lambda":
        wanted.update(port=None, protocol=None, vpc_id=None)
        live.update(port=None, protocol=None, vpc_id=None)
    for key in ("ProtocolVersion", "IpAddressType"):
        attribute = "protocol_version" if key == "ProtocolVersion" else "ip_address_type"
        if key in properties and properties[key] != getattr(model, attribute, None):
            return True
    return wanted != live


def _health_settings(backend: Any, model: Any, properties: dict) -> dict:
    """The health-check settings a new target group with these properties gets,
    computed by moto's own create path (same validation and defaults), on a
    throwaway group that is removed again at once."""
    kwargs = {arg: properties.get(prop) for prop, arg in _NO_INTERRUPTION.items()}
    enabled = properties.get("HealthCheckEnabled")
    if enabled is not None:
        kwargs["healthcheck_enabled"] = str(enabled).lower()
    scratch = backend.create_target_group(
        name=f"breakfix-scratch-{model.arn.rsplit('/', 1)[-1][:8]}",
        vpc_id=model.vpc_id,
        protocol=model.protocol,
        port=model.port,
        target_type=model.target_type,
        **kwargs,
    )
    backend.target_groups.pop(scratch.arn, None)
    return {attribute: getattr(scratch, attribute, None) for attribute in _HEALTH_ATTRIBUTES}


def delete_unused_replaced(backend: Any) -> None:
    """Deletes replaced target groups no listener or rule forwards to any more."""
    pending = backend.__dict__.get(_PENDING) or []
    for arn in list(pending):
        if arn not in backend.target_groups:
            pending.remove(arn)
        elif not backend._any_listener_using(arn):
            backend.delete_target_group(arn)
            pending.remove(arn)


def apply() -> None:
    from moto.elbv2.models import FakeListener, FakeListenerRule, FakeTargetGroup, elbv2_backends

    if already_patched(FakeTargetGroup, __name__):
        return

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        backend = elbv2_backends[account_id][region_name]
        if _replacing(original_resource, properties):
            name = properties.get("Name") or new_resource_name
            new = FakeTargetGroup.create_from_cloudformation_json(name, cloudformation_json, account_id, region_name)
            backend.__dict__.setdefault(_PENDING, []).append(original_resource.arn)
            delete_unused_replaced(backend)
            return new
        for attribute, value in _health_settings(backend, original_resource, properties).items():
            setattr(original_resource, attribute, value)
        return original_resource

    set_classmethod(FakeTargetGroup, "update_from_cloudformation_json", update_from_cloudformation_json)

    # A listener or rule updated away from a replaced target group frees it.
    for cls in (FakeListener, FakeListenerRule):
        stock = cls.update_from_cloudformation_json.__func__

        def updated(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name, _stock=stock):
            result = _stock(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
            delete_unused_replaced(elbv2_backends[account_id][region_name])
            return result

        set_classmethod(cls, "update_from_cloudformation_json", updated)
