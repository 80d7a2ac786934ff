"""A resource that fails while CloudFormation creates a stack fails the
stack, which rolls back (or stops, or deletes itself, as OnFailure says),
instead of leaking the resource's own error in another protocol.

Defect in stock moto 5.2.1
    CreateStack creates the resources inside the CreateStack call. When one
    fails, its service's exception escapes unchanged: a DynamoDB table whose
    name a retained table holds answers the CloudFormation (XML) request with
    DynamoDB's JSON error ("XML parse error" in every SDK), and the stack is
    left in CREATE_IN_PROGRESS for ever with the resources created before it.
    There are no resource events, OnFailure and DisableRollback are ignored,
    and no rollback ever runs.

AWS behaviour restored
    "Stack status codes" and "Resource status codes" (CloudFormation User
    Guide), "CreateStack" (CloudFormation API Reference), "Resource type
    handler error codes" (CloudFormation CLI User Guide):
    - CreateStack answers with the StackId; the stack goes CREATE_IN_PROGRESS
      ("User Initiated") and each resource CREATE_IN_PROGRESS then
      CREATE_COMPLETE, in dependency order.
    - A resource whose handler fails is CREATE_FAILED with the handler's
      message as ResourceStatusReason; for a registry resource whose name is
      taken that is AlreadyExists: 'Resource handler returned message:
      "Resource of type 'AWS::DynamoDB::Table' with identifier '<name>'
      already exists." (RequestToken: ..., HandlerErrorCode: AlreadyExists)'.
    - OnFailure ROLLBACK (the default): the stack goes ROLLBACK_IN_PROGRESS
      with "The following resource(s) failed to create: [<ids>]. Rollback
      requested by user.", deletes what it created (DELETE_IN_PROGRESS /
      DELETE_COMPLETE, Retain: DELETE_SKIPPED, RetainExceptOnCreate deleted),
      and ends ROLLBACK_COMPLETE (ROLLBACK_FAILED when a delete fails). Such a
      stack can only be deleted (UpdateStack refuses it).
    - OnFailure DO_NOTHING, or DisableRollback true: the stack ends
      CREATE_FAILED keeping what it created (RollbackStack or DeleteStack
      follow). OnFailure DELETE: DELETE_IN_PROGRESS ("... Delete requested by
      user.") and DELETE_COMPLETE. OnFailure and DisableRollback together are
      a ValidationError ("specify either OnFailure or DisableRollback, but
      not both"; the message wording is ours).
    Nothing decides an outcome: a resource fails only when moto's model of it
    raises against the emulator's real state.

When to drop
    test/fidelity/cfn-create-rollback.test.ts asserts stock moto answers the
    clash with a non-CloudFormation error and leaves the stack
    CREATE_IN_PROGRESS. When that fails on a newer moto, compare its
    behaviour with the test and drop this module.
"""
import threading
from typing import Any, Optional

import _cfn_stack_ops as ops
from _cfn_handler_error import HandlerError, event_reason

_GUARD = "_breakfix_cfn_create_rollback"
_ON_FAILURE = ("ROLLBACK", "DO_NOTHING", "DELETE")
# CreateStack's failure option, handed from the request to the stack it creates.
_request = threading.local()


def already_exists(type_name: str, identifier: str) -> HandlerError:
    """The AlreadyExists error of a registry resource's create handler."""
    return HandlerError("AlreadyExists", f"Resource of type '{type_name}' with identifier '{identifier}' already exists.")


def _without_retain_except_on_create(resource_json: dict) -> dict:
    # RetainExceptOnCreate keeps a resource except when the operation that created it rolls back.
    if resource_json.get("DeletionPolicy") == "RetainExceptOnCreate":
        return {k: v for k, v in resource_json.items() if k != "DeletionPolicy"}
    return resource_json


def _undo(stack: Any, created: list, failed: Optional[str]) -> list:
    """Deletes what the failed create made, newest first (the failed resource
    too, which has nothing to delete); returns the logical IDs whose delete failed."""
    rmap = stack.resource_map
    doomed = []
    if failed is not None:
        doomed.append((failed, None, rmap._resource_json_map.get(failed, {})))
    for logical_id, model, resource_json in reversed(created):
        doomed.append((logical_id, model, _without_retain_except_on_create(resource_json)))
    ops.delete_all(stack, doomed)
    left = [i for i, _, _ in doomed if ops.statuses(stack).get(i, ("",))[0] == "DELETE_FAILED"]
    for logical_id, _, _ in created:
        if logical_id not in left:
            rmap._parsed_resources.pop(logical_id, None)
    return left


def _finish_deleted(stack: Any) -> None:
    """Moves a stack whose failed create deleted it among the deleted stacks."""
    from moto.cloudformation.models import cloudformation_backends

    backend = cloudformation_backends[stack.account_id][stack.region_name]
    backend.stacks.pop(stack.stack_id, None)
    backend.deleted_stacks[stack.stack_id] = stack
    for export in stack.exports:
        backend.exports.pop(export.name, None)


def create_stack_resources(stack: Any, on_failure: str = "ROLLBACK") -> None:
    """Creates every resource of the stack's template, as CreateStack does."""
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.core import TaggedEC2Resource

    stack.status = "CREATE_IN_PROGRESS"
    stack.disable_rollback = on_failure == "DO_NOTHING"
    rmap = stack.resource_map
    template = stack.template_dict
    rmap._template = template
    rmap._resource_json_map = template["Resources"]
    rmap.tags.update({"aws:cloudformation:stack-name": stack.name, "aws:cloudformation:stack-id": stack.stack_id})
    created: list = []
    failed: Optional[str] = None
    for logical_id in ops.dependency_order(rmap._resource_json_map):
        resource_json = rmap._resource_json_map[logical_id]
        resource_type = resource_json.get("Type", "")
        try:
            model = rmap[logical_id]
        except Exception as err:  # noqa: BLE001 - any handler failure fails the resource
            ops.event(stack, logical_id, None, resource_type, "CREATE_IN_PROGRESS")
            ops.event(stack, logical_id, None, resource_type, "CREATE_FAILED", event_reason(err))
            failed = logical_id
            break
        if model is None:
            continue  # a false Condition, or a type moto cannot create
        ops.event(stack, logical_id, None, resource_type, "CREATE_IN_PROGRESS")
        if isinstance(model, TaggedEC2Resource):
            tags = dict(rmap.tags, **{"aws:cloudformation:logical-id": logical_id})
            ec2_backends[stack.account_id][stack.region_name].create_tags([model.physical_resource_id], tags)
        created.append((logical_id, model, resource_json))
        ops.event(stack, logical_id, ops.physical_id(model), resource_type, "CREATE_COMPLETE")
    stack.description = template.get("Description")

    if failed is None:
        if all(model.is_created() for _, model, _ in created if hasattr(model, "is_created")):
            stack.mark_creation_complete()
        return
    failure = ops.failed_list("create", [failed])
    if on_failure == "DO_NOTHING":
        stack._breakfix_failed_create = created
        ops.stack_event(stack, "CREATE_FAILED", failure)
        return
    if on_failure == "DELETE":
        ops.stack_event(stack, "DELETE_IN_PROGRESS", f"{failure} Delete requested by user.")
        left = _undo(stack, created, failed)
        if left:
            ops.stack_event(stack, "DELETE_FAILED", ops.failed_list("delete", left))
            return
        ops.stack_event(stack, "DELETE_COMPLETE")
        _finish_deleted(stack)
        return
    ops.stack_event(stack, "ROLLBACK_IN_PROGRESS", f"{failure} Rollback requested by user.")
    roll_back_create(stack, created, failed)


def roll_back_create(stack: Any, created: list, failed: Optional[str] = None) -> None:
    """Deletes what a failed create made; ends ROLLBACK_COMPLETE or ROLLBACK_FAILED."""
    left = _undo(stack, created, failed)
    stack.__dict__.pop("_breakfix_failed_create", None)
    if left:
        ops.stack_event(stack, "ROLLBACK_FAILED", ops.failed_list("delete", left))
        return
    ops.stack_event(stack, "ROLLBACK_COMPLETE")


def _on_failure(response: Any) -> str:
    from moto.cloudformation.exceptions import ValidationError

    on_failure = response._get_param("OnFailure")
    disable = response.querystring.get("DisableRollback")
    if on_failure and disable:
        raise ValidationError(message="You can specify either OnFailure or DisableRollback, but not both.")
    if disable:
        return "DO_NOTHING" if disable[0].lower() == "true" else "ROLLBACK"
    if on_failure and on_failure not in _ON_FAILURE:
        raise ValidationError(
            message=f"1 validation error detected: Value '{on_failure}' at 'onFailure' failed to satisfy constraint: "
            "Member must satisfy enum value set: [DO_NOTHING, ROLLBACK, DELETE]"
        )
    return on_failure or "ROLLBACK"


def _registry_already_exists() -> None:
    """Registry handlers report a taken name as AlreadyExists."""
    from moto.dynamodb.exceptions import ResourceInUseException
    from moto.dynamodb.models.table import Table
    from moto.logs.exceptions import ResourceAlreadyExistsException
    from moto.logs.models import LogGroup

    table_create = Table.create_from_cloudformation_json.__func__

    def create_table(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        try:
            return table_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        except ResourceInUseException:
            name = (cloudformation_json.get("Properties") or {}).get("TableName") or resource_name
            raise already_exists("AWS::DynamoDB::Table", name) from None

    group_create = LogGroup.create_from_cloudformation_json.__func__

    def create_group(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        try:
            return group_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        except ResourceAlreadyExistsException:
            name = (cloudformation_json.get("Properties") or {}).get("LogGroupName") or resource_name
            raise already_exists("AWS::Logs::LogGroup", '{"/properties/LogGroupName":"%s"}' % name) from None

    Table.create_from_cloudformation_json = classmethod(create_table)
    LogGroup.create_from_cloudformation_json = classmethod(create_group)


def apply() -> None:
    from moto.cloudformation import models, responses

    if models.Stack.__dict__.get(_GUARD):
        return
    setattr(models.Stack, _GUARD, True)

    def create_resources(self):
        on_failure = getattr(_request, "on_failure", None) or "ROLLBACK"
        _request.on_failure = None  # a nested stack created meanwhile gets the default
        create_stack_resources(self, on_failure)

    models.Stack.create_resources = create_resources

    stock_create_stack = responses.CloudFormationResponse.create_stack

    def create_stack(self):
        _request.on_failure = _on_failure(self)
        try:
            return stock_create_stack(self)
        finally:
            _request.on_failure = None

    responses.CloudFormationResponse.create_stack = create_stack
    _registry_already_exists()
