"""AWS::ECR::Repository honours EmptyOnDelete when its stack deletes it.

Defect in stock moto 5.2.1
    `Repository.create_from_cloudformation_json` ignores EmptyOnDelete and
    the repository's CloudFormation delete calls DeleteRepository without
    force. DeleteStack on a stack whose repository holds images fails with
    RepositoryNotEmptyException even when the template sets EmptyOnDelete
    true, and the repository stays behind.

AWS behaviour restored
    "AWS::ECR::Repository" (CloudFormation Template Reference): "If true,
    deleting the repository force deletes the contents of the repository. If
    false, the repository must be empty before attempting to delete it."
    EmptyOnDelete updates without interruption. With EmptyOnDelete false or
    absent, deleting a repository that holds images still fails, as before.
    (ImageTagMutability and the other properties already work in stock moto.)

When to drop
    test/fidelity/ecr-repository-empty-on-delete-cfn.test.ts asserts that
    stock moto fails DeleteStack for such a repository. When that assertion
    fails on a newer moto, drop this module and its test.
"""
from _patch_util import already_patched, cfn_bool, original_classmethod, set_classmethod


def apply() -> None:
    from moto.ecr.models import Repository as cls
    from moto.ecr.models import ecr_backends

    if already_patched(cls, __name__):
        return
    stock_create = original_classmethod(cls, "create_from_cloudformation_json")
    stock_update = original_classmethod(cls, "update_from_cloudformation_json")
    stock_delete = cls.delete

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        repo = stock_create(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        repo._breakfix_empty_on_delete = cfn_bool(cloudformation_json["Properties"].get("EmptyOnDelete"), False)
        return repo

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        repo = stock_update(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        repo._breakfix_empty_on_delete = cfn_bool(cloudformation_json["Properties"].get("EmptyOnDelete"), False)
        return repo

    def delete(self, account_id: str, region_name: str) -> None:
        if getattr(self, "_breakfix_empty_on_delete", False):
            ecr_backends[account_id][region_name].delete_repository(self.name, force=True)
        else:
            stock_delete(self, account_id, region_name)

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
    cls.delete = delete
