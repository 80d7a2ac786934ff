"""AWS::IAM::Role ManagedPolicyArns from CloudFormation are attached, and AWS
managed policies exist when something names them.

Defect in stock moto 5.2.1
    `Role.create_from_cloudformation_json` ignores ManagedPolicyArns: the
    role comes out of the stack with no attached policy, and updates ignore
    the property too. Separately, moto only knows AWS managed policies
    (arn:aws:iam::aws:policy/...) when MOTO_IAM_LOAD_MANAGED_POLICIES=true,
    which loads all of them into every account; otherwise GetPolicy and
    AttachRolePolicy answer NoSuchEntity for, e.g.,
    service-role/AmazonECSTaskExecutionRolePolicy.

AWS behaviour restored
    "AWS::IAM::Role" (CloudFormation Template Reference): ManagedPolicyArns
    are attached to the role, update without interruption (added ARNs are
    attached, removed ones detached), and are detached when the stack deletes
    the role. A policy someone attached outside the stack still blocks the
    delete ("DeleteRole", IAM API Reference: "you must first ... detach").
    "AWS managed policies" (IAM User Guide): they exist in every account;
    GetPolicy, GetPolicyVersion and AttachRolePolicy accept their ARNs. The
    patch loads one from moto's bundled copy the first time it is named
    (ListPolicies with Scope=AWS still lists only those loaded so far).

When to drop
    test/fidelity/iam-role-managed-policy-arns-cfn.test.ts asserts that stock
    moto leaves the role with no attached policy. When that fails on a newer
    moto, drop this module and its test.
"""
import json

from _patch_util import already_patched, original_classmethod, set_classmethod

_AWS_POLICY_PREFIX = ":iam::aws:policy"


def _load_aws_managed(backend, policy_arn: str) -> None:
    """Adds the AWS managed policy `policy_arn` to `backend` if moto bundles it."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data
    from moto.iam.models import AWSManagedPolicy

    if policy_arn in backend.managed_policies or _AWS_POLICY_PREFIX not in policy_arn:
        return
    name = policy_arn.rsplit("/", 1)[-1]
    data = json.loads(aws_managed_policies_data).get(name)
    if data is None:
        return
    policy = AWSManagedPolicy.from_data(name, backend.account_id, backend.region_name, data)
    if policy.arn != policy_arn:  # same name, other path or partition
        return
    backend.aws_managed_policies.append(policy)
    backend.managed_policies[policy.arn] = policy


def _arns(properties: dict) -> list:
    return [a for a in properties.get("ManagedPolicyArns") or [] if isinstance(a, str)]


def apply() -> None:
    from moto.iam.models import IAMBackend, Role, iam_backends
    from moto.utilities.utils import get_partition

    if already_patched(Role, __name__):
        return

    for method in ("get_policy", "attach_role_policy", "attach_user_policy", "attach_group_policy", "get_policy_version"):
        stock = getattr(IAMBackend, method)

        def on_demand(self, *args, _stock=stock, **kwargs):
            arn = kwargs.get("policy_arn", args[0] if args else None)
            if isinstance(arn, str):
                _load_aws_managed(self, arn)
            return _stock(self, *args, **kwargs)

        setattr(IAMBackend, method, on_demand)

    stock_create = original_classmethod(Role, "create_from_cloudformation_json")
    stock_update = original_classmethod(Role, "update_from_cloudformation_json")
    stock_delete = original_classmethod(Role, "delete_from_cloudformation_json")

    def backend_of(account_id, region_name):
        return iam_backends[account_id][get_partition(region_name)]

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        role = stock_create(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        wanted = _arns(cloudformation_json["Properties"])
        backend = backend_of(account_id, region_name)
        for arn in wanted:
            backend.attach_role_policy(arn, role.name)
        role._breakfix_cfn_managed_arns = list(wanted)
        return role

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        role = stock_update(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        wanted = _arns(cloudformation_json["Properties"])
        before = getattr(original_resource, "_breakfix_cfn_managed_arns", [])
        backend = backend_of(account_id, region_name)
        for arn in before:
            if arn not in wanted and arn in role.managed_policies:
                backend.detach_role_policy(arn, role.name)
        for arn in wanted:
            if arn not in role.managed_policies:
                backend.attach_role_policy(arn, role.name)
        role._breakfix_cfn_managed_arns = list(wanted)
        return role

    def delete_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name):
        backend = backend_of(account_id, region_name)
        for role in list(backend.roles.values()):
            if role.name == resource_name:
                for arn in getattr(role, "_breakfix_cfn_managed_arns", []):
                    if arn in role.managed_policies:
                        backend.detach_role_policy(arn, role.name)
        return stock_delete(klass, resource_name, cloudformation_json, account_id, region_name)

    set_classmethod(Role, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(Role, "update_from_cloudformation_json", update_from_cloudformation_json)
    set_classmethod(Role, "delete_from_cloudformation_json", delete_from_cloudformation_json)
