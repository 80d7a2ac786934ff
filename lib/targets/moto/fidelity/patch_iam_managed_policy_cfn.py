"""AWS::IAM::ManagedPolicy is updated in place and deleted with its stack.

Defect in stock moto 5.2.1
    `ManagedPolicy` has a CloudFormation create only: DeleteStack leaves the
    policy (and its attachments) behind, and a stack update that changes the
    PolicyDocument or the attached Roles/Users/Groups changes nothing.

AWS behaviour restored
    "AWS::IAM::ManagedPolicy" (CloudFormation Template Reference):
    PolicyDocument, Roles, Users and Groups update without interruption;
    Description, ManagedPolicyName and Path changes replace the policy. A new
    PolicyDocument becomes a new default version ("CreatePolicyVersion", IAM
    API Reference: at most five versions, so the oldest non-default version
    goes first). Deleting the resource detaches it from the roles, users and
    groups the template lists, deletes its non-default versions and then the
    policy ("DeletePolicy", IAM API Reference); an attachment made outside the
    stack still blocks it with DeleteConflict "Cannot delete a policy attached
    to entities."

When to drop
    test/fidelity/iam-managed-policy-cfn.test.ts asserts stock moto keeps the
    policy after DeleteStack. When that fails on a newer moto, drop this
    module and its test.
"""
import json

from _patch_util import already_patched, set_classmethod

_ATTACH = (("Roles", "role"), ("Users", "user"), ("Groups", "group"))


def _names(properties: dict, key: str) -> list:
    return list(dict.fromkeys(properties.get(key) or []))


def apply() -> None:
    from moto.iam.exceptions import DeleteConflictException
    from moto.iam.models import ManagedPolicy as cls
    from moto.iam.models import iam_backends
    from moto.utilities.utils import get_partition

    if already_patched(cls, __name__):
        return
    stock_create = cls.create_from_cloudformation_json.__func__

    def backend_for(account_id: str, region_name: str):
        return iam_backends[account_id][get_partition(region_name)]

    def attach(backend, kind: str, name: str, arn: str) -> None:
        getattr(backend, f"attach_{kind}_policy")(policy_arn=arn, **{f"{kind}_name": name})

    def detach(backend, kind: str, name: str, arn: str) -> None:
        getattr(backend, f"detach_{kind}_policy")(policy_arn=arn, **{f"{kind}_name": name})

    def delete_policy(backend, policy, properties: dict) -> None:
        for key, kind in _ATTACH:
            for name in _names(properties, key):
                try:
                    detach(backend, kind, name, policy.arn)
                except Exception:  # noqa: BLE001 - already detached or the entity is gone
                    pass
        if policy.attachment_count > 0:
            raise DeleteConflictException("Cannot delete a policy attached to entities.")
        for version in [v for v in policy.versions if not v.is_default]:
            backend.delete_policy_version(policy.arn, version.version_id)
        backend.delete_policy(policy.arn)

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json.get("Properties", {})
        backend = backend_for(account_id, region_name)
        policy = original_resource
        before = getattr(policy, "_breakfix_cfn_properties", {})
        # Without ManagedPolicyName the name is generated once; only a change
        # of the template's own values replaces the policy.
        replace = any(before.get(key) != properties.get(key) for key in ("ManagedPolicyName", "Path", "Description"))
        if replace:
            new = stock_create(klass, new_resource_name, cloudformation_json, account_id, region_name)
            delete_policy(backend, policy, before)
            new._breakfix_cfn_properties = properties
            return new
        document = json.dumps(properties.get("PolicyDocument"))
        current = next(v for v in policy.versions if v.is_default)
        if json.loads(current.document) != properties.get("PolicyDocument"):
            if len(policy.versions) >= 5:
                oldest = next(v for v in policy.versions if not v.is_default)
                backend.delete_policy_version(policy.arn, oldest.version_id)
            backend.create_policy_version(policy.arn, document, set_as_default=True)
        for key, kind in _ATTACH:
            old, new_names = _names(before, key), _names(properties, key)
            for name in [n for n in old if n not in new_names]:
                detach(backend, kind, name, policy.arn)
            for name in [n for n in new_names if n not in old]:
                attach(backend, kind, name, policy.arn)
        policy._breakfix_cfn_properties = properties
        return policy

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        policy = stock_create(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        policy._breakfix_cfn_properties = cloudformation_json.get("Properties", {})
        return policy

    def delete(self, account_id: str, region_name: str) -> None:
        delete_policy(backend_for(account_id, region_name), self, getattr(self, "_breakfix_cfn_properties", {}))

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
    cls.delete = delete
