"""AWS::IAM::Role inline Policies from CloudFormation are stored as JSON, and
stack updates apply Policies and AssumeRolePolicyDocument.

Defect in stock moto 5.2.1
    `Role.create_from_cloudformation_json` stores each inline policy's
    PolicyDocument object as given. GetRolePolicy then serialises a Python
    repr ("{'Version': '2012-10-17', ...}") instead of the URL-encoded JSON
    document, which the AWS SDKs cannot decode. The update path ignores
    Policies and AssumeRolePolicyDocument entirely.

AWS behaviour restored
    "GetRolePolicy" (IAM API Reference): "The policy document returned in
    this structure is URL-encoded compliant with RFC 3986" - moto already
    URL-encodes documents held as JSON text, as PutRolePolicy stores them.
    "AWS::IAM::Role" (CloudFormation Template Reference): Policies and
    AssumeRolePolicyDocument update without interruption; a policy removed
    from Policies is deleted from the role.

When to drop
    test/fidelity/iam-role-inline-policies-cfn.test.ts asserts stock moto
    returns a document that is not URL-encoded JSON. When that assertion
    fails on a newer moto, drop this module and its test.
"""
from _patch_util import already_patched, original_classmethod, policy_json, set_classmethod


def _inline_policies(properties: dict) -> dict:
    return {p["PolicyName"]: policy_json(p["PolicyDocument"]) for p in properties.get("Policies") or []}


def apply() -> None:
    from moto.iam.models import Role as cls
    from moto.iam.models import iam_backends
    from moto.utilities.utils import get_partition

    if already_patched(cls, __name__):
        return
    stock_create = original_classmethod(cls, "create_from_cloudformation_json")
    stock_update = original_classmethod(cls, "update_from_cloudformation_json")

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = dict(cloudformation_json["Properties"])
        properties["Policies"] = [
            dict(p, PolicyDocument=policy_json(p["PolicyDocument"])) for p in properties.get("Policies") or []
        ]
        cloudformation_json = dict(cloudformation_json, Properties=properties)
        role = stock_create(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        role._breakfix_cfn_policy_names = set(_inline_policies(properties))
        return role

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        role = stock_update(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        properties = cloudformation_json["Properties"]
        backend = iam_backends[account_id][get_partition(region_name)]
        if "AssumeRolePolicyDocument" in properties:
            backend.update_assume_role_policy(role.name, policy_json(properties["AssumeRolePolicyDocument"]))
        wanted = _inline_policies(properties)
        managed_before = getattr(original_resource, "_breakfix_cfn_policy_names", set())
        for name in managed_before - set(wanted):
            if name in role.policies:
                role.delete_policy(name)
        for name, document in wanted.items():
            role.put_policy(name, document)
        role._breakfix_cfn_policy_names = set(wanted)
        return role

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
