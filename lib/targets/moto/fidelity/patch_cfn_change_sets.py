"""Change sets are refused where UpdateStack is refused, and executing one
runs the same create, update and rollback machinery as CreateStack and
UpdateStack.

Defect in stock moto 5.2.1
    CreateChangeSet (UPDATE) accepts a stack in any state, UPDATE_ROLLBACK_FAILED
    and *_IN_PROGRESS included, and ExecuteChangeSet then applies the template
    in one pass with no resource events, no failure handling and no rollback:
    a stuck stack reaches UPDATE_COMPLETE (a false pass), and a failing
    resource leaks its service's error. ExecuteChangeSet also runs a change
    set that is not AVAILABLE, and keeps the stack's other change sets.
    CreateChangeSet (CREATE) for a name that already has a stack creates a
    second stack of that name.

AWS behaviour restored
    "CreateChangeSet" (CloudFormation API Reference): an UPDATE change set is
    validated like UpdateStack: a stack in UPDATE_ROLLBACK_FAILED,
    ROLLBACK_COMPLETE, a *_FAILED state or any *_IN_PROGRESS state answers
    ValidationError "Stack:<id> is in <status> state and can not be updated."
    A CREATE change set for a stack that exists outside REVIEW_IN_PROGRESS
    answers ValidationError "Stack [<name>] already exists and cannot be
    created again with the changeSet [<change set>]."
    "ExecuteChangeSet" (CloudFormation API Reference): "Updates a stack using
    the input information that was provided when the specified change set was
    created"; a change set that is not AVAILABLE, or a stack in a state that
    cannot be updated, answers InvalidChangeSetStatus (HTTP 400); an unknown
    change set ChangeSetNotFound (HTTP 404). The update runs as UpdateStack's
    does (patch_cfn_update_rollback: events, UPDATE_ROLLBACK_* on failure,
    DisableRollback), a CREATE change set as CreateStack's does
    (patch_cfn_create_rollback). The change set's ExecutionStatus becomes
    EXECUTE_COMPLETE, or EXECUTE_FAILED when the operation rolled back or
    failed, and "CloudFormation deletes all other change sets associated with
    the stack". The refusal messages are worded by us where AWS publishes
    none (InvalidChangeSetStatus, ChangeSetNotFound).

When to drop
    test/fidelity/cfn-change-sets.test.ts asserts stock moto executes a change
    set on an UPDATE_ROLLBACK_FAILED stack to UPDATE_COMPLETE. When that fails
    on a newer moto, compare its behaviour with the test and drop this module.
"""
from typing import Any

from patch_cfn_create_rollback import create_stack_resources

_GUARD = "_breakfix_cfn_change_sets"


def _errors() -> tuple:
    from moto.cloudformation.exceptions import CloudFormationError

    class InvalidChangeSetStatus(CloudFormationError):
        code = "InvalidChangeSetStatusException"

    class ChangeSetNotFound(CloudFormationError):
        code = "ChangeSetNotFoundException"

    return InvalidChangeSetStatus, ChangeSetNotFound


def _find_change_set(backend: Any, name: str, stack_name: Any) -> Any:
    if name in backend.change_sets:
        return backend.change_sets[name]
    for change_set in backend.change_sets.values():
        if change_set.change_set_name == name and stack_name in (None, change_set.stack_name, change_set.stack_id):
            return change_set
    return None


def _execute(backend: Any, change_set: Any, disable_rollback: bool) -> None:
    stack = change_set.stack
    change_set.execution_status = "EXECUTE_IN_PROGRESS"
    if change_set.change_set_type == "CREATE":
        stack.template = change_set.template
        stack._parse_template()
        stack.parameters = change_set.parameters
        stack.resource_map = stack._create_resource_map()
        stack._add_stack_event("CREATE_IN_PROGRESS", resource_status_reason="User Initiated")
        create_stack_resources(stack, "DO_NOTHING" if disable_rollback else "ROLLBACK")
        if stack.status == "CREATE_COMPLETE":
            stack.output_map = stack._create_output_map()
        succeeded = stack.status in ("CREATE_COMPLETE", "CREATE_IN_PROGRESS")
    else:
        if disable_rollback:
            stack._breakfix_disable_rollback_once = True
        parameters = change_set.parameters or None
        stack.update(change_set.template, role_arn=change_set.role_arn, parameters=parameters, tags=change_set.tags or None)
        succeeded = stack.status == "UPDATE_COMPLETE"
    change_set.execution_status = "EXECUTE_COMPLETE" if succeeded else "EXECUTE_FAILED"
    for key, other in list(backend.change_sets.items()):
        if other is not change_set and other.stack_id == stack.stack_id:
            del backend.change_sets[key]


def apply() -> None:
    from moto.cloudformation import responses
    from moto.cloudformation.exceptions import ValidationError
    from moto.core.responses import EmptyResult

    cls = responses.CloudFormationResponse
    if cls.__dict__.get(_GUARD):
        return
    setattr(cls, _GUARD, True)
    invalid_status, not_found = _errors()
    stock_create_change_set = cls.create_change_set

    def create_change_set(self):
        backend = self.cloudformation_backend
        name = self._get_param("StackName")
        if self._get_param("ChangeSetType", "CREATE") == "UPDATE":
            self._validate_status(backend.get_stack(name))
        else:
            for stack in backend.stacks.values():
                if stack.name == name and stack.status != "REVIEW_IN_PROGRESS":
                    raise ValidationError(
                        message=f"Stack [{name}] already exists and cannot be created again with the changeSet "
                        f"[{self._get_param('ChangeSetName')}]."
                    )
        return stock_create_change_set(self)

    def execute_change_set(self):
        backend = self.cloudformation_backend
        name = self._get_param("ChangeSetName")
        change_set = _find_change_set(backend, name, self._get_param("StackName"))
        if change_set is None:
            raise not_found(f"ChangeSet [{name}] does not exist")
        if change_set.execution_status != "AVAILABLE":
            raise invalid_status(
                f"ChangeSet [{change_set.change_set_id}] cannot be executed in its current execution status of "
                f"[{change_set.execution_status}]"
            )
        stack = change_set.stack
        if change_set.change_set_type == "UPDATE":
            try:
                self._validate_status(stack)
            except ValidationError as err:
                raise invalid_status(f"ChangeSet [{change_set.change_set_id}] cannot be executed: {err.message}") from None
        disable = (self.querystring.get("DisableRollback") or ["false"])[0].lower() == "true"
        _execute(backend, change_set, disable)
        return EmptyResult()

    cls.create_change_set = create_change_set
    cls.execute_change_set = execute_change_set
