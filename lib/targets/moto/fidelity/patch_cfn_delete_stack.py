"""A resource that cannot be deleted fails DeleteStack the way CloudFormation
does: the stack stays, DELETE_FAILED, with the resource's reason, and a later
DeleteStack (optionally with RetainResources) finishes the job.

Defect in stock moto 5.2.1
    DeleteStack deletes resources inside the call. When one cannot be deleted
    its service's error escapes unchanged (a table with deletion protection
    answers the CloudFormation request with DynamoDB's JSON error, "XML parse
    error" in every SDK), and the stack has already been removed from the
    backend: DescribeStacks says it does not exist while the resources that
    were not deleted stay behind, owned by nothing. There are no resource
    events, and RetainResources is ignored.

AWS behaviour restored
    "Delete a stack" and "Stack status codes" (CloudFormation User Guide),
    "DeleteStack" (CloudFormation API Reference):
    - DeleteStack answers at once; the stack goes DELETE_IN_PROGRESS ("User
      Initiated") and its resources are deleted in reverse dependency order,
      each DELETE_IN_PROGRESS then DELETE_COMPLETE (DeletionPolicy Retain:
      DELETE_SKIPPED).
    - A resource whose delete fails is DELETE_FAILED with the failure as its
      reason; the stack ends DELETE_FAILED ("The following resource(s) failed
      to delete: [<ids>].") and stays listed, its remaining resources still
      its own.
    - DeleteStack on a DELETE_FAILED stack tries again; RetainResources ("For
      stacks in the DELETE_FAILED state, a list of resource logical IDs that
      are associated with the resources you want to retain") skips those
      (DELETE_SKIPPED) and leaves them in place. RetainResources on a stack in
      another state is refused with a ValidationError (wording ours).
    - When every resource is gone (or skipped) the stack is DELETE_COMPLETE
      and listed only among deleted stacks, by ID.
    DeleteStack of a stack name that does not exist succeeds doing nothing,
    as on AWS.

When to drop
    test/fidelity/cfn-delete-stack.test.ts asserts stock moto loses the stack
    whose table cannot be deleted. When that fails on a newer moto, compare
    its behaviour with the test and drop this module.
"""
from typing import Any

import _cfn_stack_ops as ops

_GUARD = "_breakfix_cfn_delete_stack"


def delete_stack_resources(stack: Any, retain: list) -> bool:
    """Deletes a stack's resources; True when the stack is gone (DELETE_COMPLETE)."""
    rmap = stack.resource_map
    ops.stack_event(stack, "DELETE_IN_PROGRESS", "User Initiated")
    doomed = []
    for logical_id in reversed(ops.dependency_order(rmap._resource_json_map)):
        model = rmap._parsed_resources.get(logical_id)
        if model is None:
            continue
        resource_json = rmap._resource_json_map[logical_id]
        if logical_id in retain:
            resource_json = dict(resource_json, DeletionPolicy="Retain")
        doomed.append((logical_id, model, resource_json))
    ops.delete_all(stack, doomed)
    failed = []
    for logical_id, _, _ in doomed:
        status = ops.statuses(stack).get(logical_id, ("",))[0]
        if status == "DELETE_FAILED":
            failed.append(logical_id)
        else:
            rmap._parsed_resources.pop(logical_id, None)
    if failed:
        ops.stack_event(stack, "DELETE_FAILED", ops.failed_list("delete", failed))
        return False
    ops.stack_event(stack, "DELETE_COMPLETE")
    return True


def apply() -> None:
    from moto.cloudformation import models, responses
    from moto.cloudformation.exceptions import ValidationError

    if models.CloudFormationBackend.__dict__.get(_GUARD):
        return
    setattr(models.CloudFormationBackend, _GUARD, True)

    def backend_delete_stack(self, name_or_stack_id: str, retain_resources=None) -> None:
        stack = self.stacks.get(name_or_stack_id) or next((s for s in self.stacks.values() if s.name == name_or_stack_id), None)
        if stack is None:
            return  # a deleted or unknown stack: nothing to do, as on AWS
        retain = list(retain_resources or stack.__dict__.pop("_breakfix_retain_once", None) or [])
        if not delete_stack_resources(stack, retain):
            return
        self.stacks.pop(stack.stack_id, None)
        self.deleted_stacks[stack.stack_id] = stack
        for export in stack.exports:
            self.exports.pop(export.name, None)

    models.CloudFormationBackend.delete_stack = backend_delete_stack

    previous = responses.CloudFormationResponse.delete_stack

    def delete_stack(self):
        prefix = "RetainResources.member."
        keys = sorted((k for k in self.querystring if k.startswith(prefix)), key=lambda k: int(k.rsplit(".", 1)[1]))
        retain = [self.querystring[k][0] for k in keys]
        if retain:
            backend = self.cloudformation_backend
            name = self._get_param("StackName")
            stack = backend.stacks.get(name) or next((s for s in backend.stacks.values() if s.name == name), None)
            if stack is not None and stack.status != "DELETE_FAILED":
                raise ValidationError(
                    message=f"Stack [{stack.name}] is in {stack.status} state: "
                    "RetainResources can only be specified for a stack in DELETE_FAILED state."
                )
            if stack is not None:
                stack._breakfix_retain_once = retain
        return previous(self)

    responses.CloudFormationResponse.delete_stack = delete_stack
