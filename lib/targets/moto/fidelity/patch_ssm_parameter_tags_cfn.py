"""AWS::SSM::Parameter accepts its Tags as CloudFormation documents them: a
key-value map.

Defect in stock moto 5.2.1
    `Parameter.create_from_cloudformation_json` hands the template's Tags to
    PutParameter unchanged, and PutParameter expects a list of Key/Value
    pairs: a parameter with any tag (CDK tags every resource of a tagged
    stack) fails to create ("string indices must be integers, not 'str'") and
    the stack rolls back. An update ignores Tags.

AWS behaviour restored
    "AWS::SSM::Parameter" (CloudFormation Template Reference): Tags is "Json",
    "Optional metadata that you assign to a resource in the form of an
    arbitrary set of tags (key-value pairs)", and updates without
    interruption. "ListTagsForResource" (AWS Systems Manager API Reference)
    returns them as Key/Value pairs. The patch turns the map into that list on
    create, and on update writes the template's tags (AddTagsToResource) and
    removes those the previous template had and the new one drops.

When to drop
    test/fidelity/ssm-parameter-tags-cfn.test.ts asserts the stock stack
    fails to create. When that fails on a newer moto, drop this module and its
    test.
"""
from _patch_util import already_patched, set_classmethod


def _as_pairs(tags):
    if isinstance(tags, dict):
        return [{"Key": str(k), "Value": str(v)} for k, v in tags.items()]
    return tags


def _as_map(tags):
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    return {t["Key"]: t["Value"] for t in tags or []}


def apply() -> None:
    from moto.ssm.models import Parameter as cls
    from moto.ssm.models import ssm_backends

    if already_patched(cls, __name__):
        return
    previous_create = cls.create_from_cloudformation_json.__func__
    previous_update = cls.update_from_cloudformation_json.__func__

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = dict(cloudformation_json.get("Properties") or {})
        if "Tags" in properties:
            properties["Tags"] = _as_pairs(properties["Tags"])
        template = {**cloudformation_json, "Properties": properties}
        parameter = previous_create(klass, resource_name, template, account_id, region_name, **kwargs)
        parameter._breakfix_cfn_tags = _as_map(properties.get("Tags"))
        return parameter

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        old_tags = getattr(original_resource, "_breakfix_cfn_tags", {})
        parameter = previous_update(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        new_tags = _as_map((cloudformation_json.get("Properties") or {}).get("Tags"))
        backend = ssm_backends[account_id][region_name]
        if new_tags:
            backend.add_tags_to_resource("Parameter", parameter.name, new_tags)
        dropped = [k for k in old_tags if k not in new_tags]
        if dropped:
            backend.remove_tags_from_resource("Parameter", parameter.name, dropped)
        parameter._breakfix_cfn_tags = new_tags
        return parameter

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
