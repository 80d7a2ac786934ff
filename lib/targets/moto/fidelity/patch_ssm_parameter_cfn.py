"""AWS::SSM::Parameter updates in place through CloudFormation: a new Value
is a new version of the same parameter.

Defect in stock moto 5.2.1
    `Parameter.update_from_cloudformation_json` deletes the parameter and
    creates it again for any change: its history is lost and its Version goes
    back to 1, so a stack update looks like a new parameter.

AWS behaviour restored
    "AWS::SSM::Parameter" (CloudFormation Template Reference): Value, Type,
    Description, AllowedPattern, Tier, DataType and Policies update without
    interruption; Name changes replace the parameter. The update writes the
    value as "PutParameter" (AWS Systems Manager API Reference) does with
    Overwrite: the parameter keeps its history and its Version goes up by one.

When to drop
    test/fidelity/ssm-parameter-cfn.test.ts asserts stock moto reports Version
    1 after an update. When that fails on a newer moto, drop this module and
    its test.
"""
from _patch_util import already_patched, set_classmethod


def apply() -> None:
    from moto.ssm.models import Parameter as cls
    from moto.ssm.models import ssm_backends

    if already_patched(cls, __name__):
        return
    stock_update = cls.update_from_cloudformation_json.__func__

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json.get("Properties") or {}
        if properties.get("Name") and properties["Name"] != original_resource.name:
            return stock_update(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        return ssm_backends[account_id][region_name].put_parameter(
            name=original_resource.name,
            description=properties.get("Description"),
            value=properties.get("Value"),
            parameter_type=properties.get("Type"),
            allowed_pattern=properties.get("AllowedPattern"),
            keyid=properties.get("KeyId"),
            overwrite=True,
            tags=None,
            data_type=properties.get("DataType", "text"),
            tier=properties.get("Tier"),
            policies=properties.get("Policies"),
        )

    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
