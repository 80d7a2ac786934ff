"""AWS::Logs::LogGroup updates in place through CloudFormation, fails when the
log group is gone, and deletes cleanly when someone already deleted it.

Defect in stock moto 5.2.1
    `LogGroup` has no `update_from_cloudformation_json`. A stack update that
    changes RetentionInDays, KmsKeyId or Tags is silently dropped (the retention
    stays as created) and the resource vanishes from the stack's resource list;
    an update of a log group deleted outside CloudFormation "succeeds".
    Deleting a stack whose log group was deleted outside CloudFormation raises
    ResourceNotFoundException out of DeleteStack.

AWS behaviour restored
    "AWS::Logs::LogGroup" (CloudFormation Template Reference): RetentionInDays,
    KmsKeyId and Tags update with no interruption; LogGroupName and
    LogGroupClass require replacement. The resource handler's update calls
    PutRetentionPolicy or DeleteRetentionPolicy (and the KMS and tag calls), and
    a log group that no longer exists fails the update with HandlerErrorCode
    NotFound: "Resource of type 'AWS::Logs::LogGroup' with identifier
    '{"/properties/LogGroupName":"<name>"}' was not found." The same applies
    when a rollback updates the log group back. Under the resource handler
    contract a delete that finds nothing to delete counts as done, so stack
    deletion completes.

When to drop
    test/fidelity-rollback/stock-moto.test.ts updates a log group's retention
    on stock moto and asserts the change never reaches DescribeLogGroups.
    When that assertion fails on a newer moto, drop this module (the rollback
    tests in test/fidelity-rollback/ still need an update that can fail).
"""
from typing import Any

from _cfn_handler_error import not_found

_GUARD = "_breakfix_logs_log_group_cfn"
TYPE_NAME = "AWS::Logs::LogGroup"
# Changing one of these creates a new log group (and deletes the old one).
_REPLACE_ON = ("LogGroupName", "LogGroupClass")


def _backend(account_id: str, region_name: str) -> Any:
    from moto.logs.models import logs_backends

    return logs_backends[account_id][region_name]


def _tags(properties: dict) -> dict:
    return {t["Key"]: t.get("Value", "") for t in properties.get("Tags") or []}


def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    properties = cloudformation_json.get("Properties") or {}
    backend = _backend(account_id, region_name)
    name = original_resource.name
    wanted_name = properties.get("LogGroupName")
    replaced = (wanted_name is not None and wanted_name != name) or (
        properties.get("LogGroupClass") not in (None, getattr(original_resource, "log_group_class", None) or "STANDARD")
    )
    if replaced:
        created = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        if name in backend.groups:
            backend.delete_log_group(name)
        return created
    if name not in backend.groups:
        raise not_found(TYPE_NAME, {"/properties/LogGroupName": name})
    retention = properties.get("RetentionInDays")
    if retention is None:
        backend.delete_retention_policy(name)
    else:
        backend.put_retention_policy(name, int(retention))
    group = backend.groups[name]
    group.kms_key_id = properties.get("KmsKeyId")
    tags = _tags(properties)
    if tags:
        backend.tag_log_group(name, tags)
    return group


def apply() -> None:
    from moto.logs.exceptions import ResourceNotFoundException
    from moto.logs.models import LogGroup

    if LogGroup.__dict__.get(_GUARD):
        return
    setattr(LogGroup, _GUARD, True)
    LogGroup.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)
    stock_delete = LogGroup.delete

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            stock_delete(self, account_id, region_name)
        except ResourceNotFoundException:
            pass  # already gone: the handler's NotFound counts as deleted

    LogGroup.delete = delete
