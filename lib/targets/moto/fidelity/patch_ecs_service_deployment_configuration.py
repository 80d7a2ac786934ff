"""An ECS service keeps its deployment configuration, with ECS's defaults.

Defect in stock moto 5.2.1
    CreateService ignores the deploymentConfiguration parameter, and so does
    AWS::ECS::Service from CloudFormation (DeploymentConfiguration): a
    service created either way answers DescribeServices with no
    deploymentConfiguration at all, so its circuit breaker, rollback,
    minimumHealthyPercent and maximumPercent cannot be read back. (UpdateService
    does store what it is given.)

AWS behaviour restored
    "CreateService" and "DeploymentConfiguration" (Amazon ECS API Reference)
    and "AWS::ECS::Service DeploymentConfiguration" (CloudFormation Template
    Reference): the service's deploymentConfiguration is what the request or
    template gave, and for a rolling-update (ECS) service the unspecified
    parts take ECS's defaults: maximumPercent 200, minimumHealthyPercent 100,
    and the deployment circuit breaker off (enable false, rollback false).
    DescribeServices returns it. A stack update applies a changed
    DeploymentConfiguration in place ("Update requires: No interruption").

When to drop
    test/fidelity/ecs-service-deployment-configuration.test.ts asserts that
    stock moto returns no deploymentConfiguration for a service created by
    CreateService and by CloudFormation. When that assertion fails on a newer
    moto, drop this module and its test.
"""
from typing import Any, Optional

from _patch_util import already_patched, cfn_bool, original_classmethod, set_classmethod

_DEFAULTS = {"maximumPercent": 200, "minimumHealthyPercent": 100}


def _int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def with_defaults(given: Optional[dict]) -> dict:
    """The deployment configuration ECS reports: what was given, over ECS's defaults."""
    given = dict(given or {})
    out = dict(_DEFAULTS)
    for key in ("maximumPercent", "minimumHealthyPercent"):
        if given.get(key) is not None:
            out[key] = _int(given.pop(key))
    breaker = given.pop("deploymentCircuitBreaker", None) or {}
    out["deploymentCircuitBreaker"] = {
        "enable": bool(cfn_bool(breaker.get("enable"), False)),
        "rollback": bool(cfn_bool(breaker.get("rollback"), False)),
    }
    out.update({k: v for k, v in given.items() if v is not None})
    return out


def _from_template(properties: dict) -> dict:
    from moto.core.utils import pascal_to_camelcase, remap_nested_keys

    dc = properties.get("DeploymentConfiguration")
    return with_defaults(remap_nested_keys(dc, pascal_to_camelcase) if dc else None)


def apply() -> None:
    from moto.ecs import models as ecs_models
    from moto.ecs.responses import EC2ContainerServiceResponse

    if already_patched(EC2ContainerServiceResponse, __name__):
        return

    original_create = EC2ContainerServiceResponse.create_service

    def create_service(self):
        result = original_create(self)
        service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
        service.deployment_configuration = with_defaults(self._get_param("deploymentConfiguration"))
        return result

    EC2ContainerServiceResponse.create_service = create_service

    cls = ecs_models.Service
    original_cfn_create = original_classmethod(cls, "create_from_cloudformation_json")
    original_cfn_update = original_classmethod(cls, "update_from_cloudformation_json")

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        service = original_cfn_create(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        service.deployment_configuration = _from_template(cloudformation_json.get("Properties") or {})
        return service

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        service = original_cfn_update(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        service.deployment_configuration = _from_template(cloudformation_json.get("Properties") or {})
        return service

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
