"""A failed CloudFormation stack update rolls back, and a rollback that fails
leaves the stack in UPDATE_ROLLBACK_FAILED until ContinueUpdateRollback.

Defect in stock moto 5.2.1
    `Stack.update` applies the new template in one pass: removals first, then
    additions and modifications, then UPDATE_COMPLETE. A resource that fails
    raises straight out of UpdateStack as an HTTP error and leaves the stack
    half updated under the new template. There is no rollback and no
    UPDATE_ROLLBACK_* status, stack events carry no resource events,
    DescribeStackResources reports the stack's status as every resource's
    status, and ContinueUpdateRollback is not implemented (HTTP 500).
    UpdateStack accepts a stack in any state except ROLLBACK_COMPLETE.

AWS behaviour restored
    "Stack status codes", "Continue rolling back an update" and "Update
    rollback failed" (CloudFormation User Guide); "UpdateStack" and
    "ContinueUpdateRollback" (CloudFormation API Reference):
    - UpdateStack runs UPDATE_IN_PROGRESS ("User Initiated"); each resource
      added or modified gets *_IN_PROGRESS then *_COMPLETE or *_FAILED with
      the failure as ResourceStatusReason. Resources removed from the
      template are deleted in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS (Retain:
      DELETE_SKIPPED), then UPDATE_COMPLETE.
    - When a resource fails, the stack goes UPDATE_ROLLBACK_IN_PROGRESS with
      "The following resource(s) failed to update: [<ids>]." (or "to
      create"), returns to the previous template and parameters, updates
      every resource the update touched (the failed one included) back to
      its previous properties, deletes what the update created in
      UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, and ends
      UPDATE_ROLLBACK_COMPLETE.
    - When updating a resource back fails, that resource is UPDATE_FAILED and
      the stack ends UPDATE_ROLLBACK_FAILED with the same kind of reason.
      UpdateStack is then refused: "Stack:<id> is in UPDATE_ROLLBACK_FAILED
      state and can not be updated." (likewise for other failed or busy
      states).
    - ContinueUpdateRollback retries the resources still to roll back. It is
      refused unless the stack is UPDATE_ROLLBACK_FAILED. ResourcesToSkip may
      name only resources that are UPDATE_FAILED because the rollback failed;
      each skipped resource is set to UPDATE_COMPLETE ("Resource skipped
      during UpdateRollback") without being touched, so its real state stays
      whatever it is while the stack records the previous template.
      ForceRollback skips every such resource and cannot be combined with
      ResourcesToSkip.
    - UpdateStack with DisableRollback true stops at UPDATE_FAILED with the
      same reason and keeps what it changed; RollbackStack
      (patch_cfn_rollback_stack) then runs the rollback above.
    - DescribeStacks shows StackStatusReason; DescribeStackResource(s) and
      ListStackResources show each touched resource's own status and reason.
    Nothing here decides an outcome: a resource fails only when moto's model
    of it raises against the emulator's real state.

    AWS does not publish the exact text of the ContinueUpdateRollback
    validation errors; the messages below are ValidationError with wording
    of our own except "ContinueUpdateRollback cannot be called from current
    stack status", which is what AWS returns for a stack in another state.

When to drop
    test/fidelity-rollback/stock-moto.test.ts asserts stock moto answers
    ContinueUpdateRollback with HTTP 500 and a failing update with an error
    instead of a rollback. When those assertions fail on a newer moto,
    compare its behaviour with test/fidelity-rollback/ and drop this module.
    test/fidelity-rollback/update-parameters.test.ts shows stock moto failing an
    update after a parameter was dropped, declared again and dropped (the
    update's parameters are the new template's only, as UpdateStack
    documents).
"""
from typing import Any, Optional

import _cfn_stack_ops as ops
from _cfn_handler_error import event_reason

_GUARD = "_breakfix_cfn_update_rollback"

SKIPPED_REASON = "Resource skipped during UpdateRollback"
_REFUSE_UPDATE = {"UPDATE_ROLLBACK_FAILED", "ROLLBACK_FAILED", "ROLLBACK_COMPLETE", "DELETE_FAILED"}


class _Rollback:
    """What a stack still has to undo after a failed update."""

    def __init__(self, pending: list, created: list):
        # Logical IDs to update back to the previous template, in order.
        self.pending = pending
        # (logical ID, model, resource JSON) created by the failed update.
        self.created = created
        # Logical IDs whose update back failed: the only ones that may be skipped.
        self.failed: list = []


# --- events and statuses -------------------------------------------------------


# --- template state ------------------------------------------------------------


class _TemplateState:
    """The template-level state of a stack and its resource map, so a rollback
    can return to the previous template while keeping the live resources."""

    def __init__(self, stack: Any):
        rmap = stack.resource_map
        self.template = stack.template
        self.template_dict = stack.template_dict
        self.description = getattr(stack, "description", None)
        self.parameters = stack.parameters
        self.output_map = stack.output_map
        self.rmap_template = rmap._template
        self.json_map = rmap._resource_json_map
        self.input_parameters = rmap.input_parameters
        self.resolved_parameters = dict(rmap.resolved_parameters)
        self.parsed = dict(rmap._parsed_resources)
        self.lazy_condition_map = getattr(rmap, "lazy_condition_map", None)
        self.no_echo = list(getattr(rmap, "no_echo_parameter_keys", []))

    def restore(self, stack: Any, keep: Optional[dict] = None) -> None:
        """Back to this template; `keep` holds live models (logical ID -> model)
        that replace the ones recorded here."""
        rmap = stack.resource_map
        stack.template = self.template
        stack.template_dict = self.template_dict
        stack.description = self.description
        stack.parameters = self.parameters
        stack.output_map = self.output_map
        rmap._template = self.rmap_template
        rmap._resource_json_map = self.json_map
        rmap.input_parameters = self.input_parameters
        rmap.resolved_parameters = dict(self.resolved_parameters)
        rmap._parsed_resources = dict(self.parsed)
        rmap._parsed_resources.update(keep or {})
        if self.lazy_condition_map is not None:
            rmap.lazy_condition_map = self.lazy_condition_map
        rmap.no_echo_parameter_keys = list(self.no_echo)


def _load_template(rmap: Any, template: dict, parameters: Optional[dict]) -> None:
    """What stock ResourceMap.update does before touching resources, with the
    parameters of the new template only: UpdateStack's parameters are those the
    new template declares, each from the request or its Default ("UpdateStack",
    CloudFormation API Reference). Stock keeps the previous template's values,
    so after an update dropped a parameter and a later one declared it again,
    the next update that drops it fails with an HTTP 500 (KeyError)."""
    rmap._template = template
    declared = template.get("Parameters") or {}
    given = parameters if parameters else rmap.input_parameters
    rmap.input_parameters = {k: v for k, v in (given or {}).items() if k in declared}
    rmap.resolved_parameters = {}
    rmap.load_mapping()
    rmap.load_parameters()
    rmap.load_conditions()
    rmap._resource_json_map = template["Resources"]


# --- the operations ------------------------------------------------------------


def _update_resource(stack: Any, logical_id: str) -> Any:
    """Updates one resource to what the resource map's current template says;
    raises what moto's model raises."""
    from moto.cloudformation.parsing import parse_and_update_resource

    rmap = stack.resource_map
    updated = parse_and_update_resource(
        logical_id, rmap._resource_json_map[logical_id], rmap, account_id=stack.account_id, region_name=stack.region_name
    )
    if updated is not None:
        rmap._parsed_resources[logical_id] = updated
    return rmap._parsed_resources.get(logical_id)


def stack_update(self, template, role_arn=None, parameters=None, tags=None):
    """Replacement for Stack.update (same signature)."""
    disable_rollback = bool(self.__dict__.pop("_breakfix_disable_rollback_once", False))
    # A new update replaces the failed one RollbackStack could still have undone.
    self.__dict__.pop("_breakfix_failed_update", None)
    before = _TemplateState(self)
    rmap = self.resource_map
    try:
        self.template = template
        self._parse_template()
        diff = rmap.build_resource_diff(self.template_dict, parameters)
        _load_template(rmap, self.template_dict, parameters)
    except Exception:
        before.restore(self)
        raise  # template or parameter errors are synchronous, as on AWS

    ops.stack_event(self, "UPDATE_IN_PROGRESS", "User Initiated")
    removal_order = [i for i in reversed(ops.dependency_order(before.json_map)) if i in diff["Remove"]]
    touched: list = []
    created: list = []
    failure: Optional[tuple] = None
    for logical_id in ops.dependency_order(rmap._resource_json_map):
        resource_type = ops.type_of(rmap, logical_id)
        if logical_id in diff["Add"]:
            ops.event(self, logical_id, None, resource_type, "CREATE_IN_PROGRESS")
            try:
                model = rmap[logical_id]
            except Exception as err:  # noqa: BLE001
                ops.event(self, logical_id, None, resource_type, "CREATE_FAILED", event_reason(err))
                failure = ("create", logical_id)
                break
            created.append((logical_id, model, rmap._resource_json_map[logical_id]))
            ops.event(self, logical_id, ops.physical_id(model), resource_type, "CREATE_COMPLETE")
        elif logical_id in diff["Modify"]:
            touched.append(logical_id)
            physical = ops.physical_id(rmap._parsed_resources.get(logical_id))
            ops.event(self, logical_id, physical, resource_type, "UPDATE_IN_PROGRESS")
            try:
                model = _update_resource(self, logical_id)
            except Exception as err:  # noqa: BLE001
                ops.event(self, logical_id, physical, resource_type, "UPDATE_FAILED", event_reason(err))
                failure = ("update", logical_id)
                break
            ops.event(self, logical_id, ops.physical_id(model), resource_type, "UPDATE_COMPLETE")

    if failure is None:
        ops.stack_event(self, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
        ops.delete_all(self, [(i, rmap._parsed_resources.pop(i, None), before.json_map[i]) for i in removal_order])
        self.output_map = self._create_output_map()
        self.role_arn = role_arn
        if parameters:
            self.parameters = parameters
        if tags is not None:
            self.tags = tags
        ops.stack_event(self, "UPDATE_COMPLETE")
        return

    kind, failed_id = failure
    if disable_rollback:
        # UpdateStack with DisableRollback: stop here; RollbackStack may undo it later.
        self._breakfix_failed_update = (before, touched, created)
        ops.stack_event(self, "UPDATE_FAILED", ops.failed_list(kind, [failed_id]))
        return
    ops.stack_event(self, "UPDATE_ROLLBACK_IN_PROGRESS", ops.failed_list(kind, [failed_id]))
    _start_rollback(self, before, touched, created)


def _start_rollback(stack: Any, before: "_TemplateState", touched: list, created: list) -> None:
    rmap = stack.resource_map
    live = {i: rmap._parsed_resources[i] for i in touched if i in rmap._parsed_resources}
    before.restore(stack, keep=live)
    stack._breakfix_rollback = _Rollback(pending=list(reversed(touched)), created=list(reversed(created)))
    _run_rollback(stack)


def roll_back_failed_update(stack: Any, retain_except_on_create: bool = False) -> bool:
    """RollbackStack on an UPDATE_FAILED stack: the rollback the update skipped.
    False when the stack has no failed update to undo."""
    pending = stack.__dict__.pop("_breakfix_failed_update", None)
    if pending is None:
        return False
    before, touched, created = pending
    if retain_except_on_create:
        # RollbackStack RetainExceptOnCreate: what the update created goes, Retain or not.
        created = [(i, m, {k: v for k, v in j.items() if k != "DeletionPolicy"}) for i, m, j in created]
    ops.stack_event(stack, "UPDATE_ROLLBACK_IN_PROGRESS", "User Initiated")
    _start_rollback(stack, before, touched, created)
    return True


def _run_rollback(stack: Any) -> None:
    """Updates every pending resource back; ends UPDATE_ROLLBACK_FAILED or,
    after cleanup, UPDATE_ROLLBACK_COMPLETE."""
    rollback: _Rollback = stack._breakfix_rollback
    rmap = stack.resource_map
    failed = []
    for logical_id in list(rollback.pending):
        resource_type = ops.type_of(rmap, logical_id)
        physical = ops.physical_id(rmap._parsed_resources.get(logical_id))
        ops.event(stack, logical_id, physical, resource_type, "UPDATE_IN_PROGRESS")
        try:
            model = _update_resource(stack, logical_id)
        except Exception as err:  # noqa: BLE001
            ops.event(stack, logical_id, physical, resource_type, "UPDATE_FAILED", event_reason(err))
            failed.append(logical_id)
            continue
        rollback.pending.remove(logical_id)
        ops.event(stack, logical_id, ops.physical_id(model), resource_type, "UPDATE_COMPLETE")
    if failed:
        rollback.failed = failed
        ops.stack_event(stack, "UPDATE_ROLLBACK_FAILED", ops.failed_list("update", failed))
        return
    ops.stack_event(stack, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
    doomed = []
    for logical_id, model, resource_json in rollback.created:
        rmap._parsed_resources.pop(logical_id, None)
        # Retain keeps even a resource the failed update created; RetainExceptOnCreate does not.
        if resource_json.get("DeletionPolicy") == "RetainExceptOnCreate":
            resource_json = {k: v for k, v in resource_json.items() if k != "DeletionPolicy"}
        doomed.append((logical_id, model, resource_json))
    ops.delete_all(stack, doomed)
    rollback.created = []
    stack.output_map = stack._create_output_map()
    del stack._breakfix_rollback
    ops.stack_event(stack, "UPDATE_ROLLBACK_COMPLETE")


def continue_update_rollback(backend: Any, stack_name: str, resources_to_skip: list, force_rollback: bool) -> Any:
    from moto.cloudformation.exceptions import ValidationError

    stack = backend.get_stack(stack_name)
    rollback: Optional[_Rollback] = stack.__dict__.get("_breakfix_rollback")
    if stack.status != "UPDATE_ROLLBACK_FAILED" or rollback is None:
        raise ValidationError(message="ContinueUpdateRollback cannot be called from current stack status")
    if force_rollback and resources_to_skip:
        raise ValidationError(message="ForceRollback and ResourcesToSkip cannot both be specified.")
    skip = list(rollback.failed) if force_rollback else list(dict.fromkeys(resources_to_skip))
    for logical_id in skip:
        if logical_id not in stack.resource_map._resource_json_map and logical_id not in ops.statuses(stack):
            raise ValidationError(message=f"Resource [{logical_id}] does not exist in stack [{stack.name}] and cannot be skipped.")
        if logical_id not in rollback.failed:
            status = ops.statuses(stack).get(logical_id, ("CREATE_COMPLETE",))[0]
            raise ValidationError(
                message=f"Resource [{logical_id}] is in {status} state; "
                "only resources whose update rollback failed (UPDATE_FAILED) can be skipped."
            )
    ops.stack_event(stack, "UPDATE_ROLLBACK_IN_PROGRESS", "User Initiated")
    rmap = stack.resource_map
    for logical_id in skip:
        physical = ops.physical_id(rmap._parsed_resources.get(logical_id))
        ops.event(stack, logical_id, physical, ops.type_of(rmap, logical_id), "UPDATE_COMPLETE", SKIPPED_REASON)
        rollback.pending.remove(logical_id)
    rollback.failed = []
    _run_rollback(stack)
    return stack


# --- API surface ---------------------------------------------------------------


def _validate_status(self, stack: Any) -> None:
    from moto.cloudformation.exceptions import ValidationError

    if stack.status in _REFUSE_UPDATE or stack.status.endswith("_IN_PROGRESS"):
        raise ValidationError(stack.stack_id, message=f"Stack:{stack.stack_id} is in {stack.status} state and can not be updated.")


def _continue_update_rollback_action(self):
    from moto.core.responses import EmptyResult

    skip = self._get_param("ResourcesToSkip", []) or []
    if isinstance(skip, str):
        skip = [skip]
    # botocore's model in moto 5.2.1 predates ForceRollback, so read it raw.
    force = (self.querystring.get("ForceRollback") or ["false"])[0].lower() == "true"
    continue_update_rollback(self.cloudformation_backend, self._get_param("StackName"), skip, force)
    return EmptyResult()


def _resource_summary(stack: Any, resource: Any) -> dict:
    logical_id = getattr(resource, "logical_resource_id", "")
    status, reason, when = ops.statuses(stack).get(logical_id, ("CREATE_COMPLETE", None, None))
    summary = {
        "ResourceStatus": status,
        "LogicalResourceId": logical_id,
        "LastUpdatedTimestamp": when or stack.creation_time,
        "PhysicalResourceId": getattr(resource, "physical_resource_id", ""),
        "ResourceType": getattr(resource, "cf_resource_type", ""),
    }
    if reason:
        summary["ResourceStatusReason"] = reason
    return summary


def _list_stack_resources(self):
    from moto.core.responses import ActionResult

    stack_name = self._get_param("StackName")
    stack = self.cloudformation_backend.get_stack(stack_name)
    return ActionResult({"StackResourceSummaries": [_resource_summary(stack, r) for r in stack.stack_resources]})


def apply() -> None:
    from moto.cloudformation import models, responses

    if models.Stack.__dict__.get(_GUARD):
        return
    setattr(models.Stack, _GUARD, True)
    models.Stack.update = stack_update
    models.Stack.status_reason = None

    def backend_continue(self, stack_name, resources_to_skip=None, force_rollback=False):
        return continue_update_rollback(self, stack_name, resources_to_skip or [], force_rollback)

    models.CloudFormationBackend.continue_update_rollback = backend_continue

    stock_validate = responses.CloudFormationResponse._validate_status

    def validate_status(self, stack):
        stock_validate(self, stack)
        _validate_status(self, stack)

    responses.CloudFormationResponse._validate_status = validate_status

    stock_update_stack = responses.CloudFormationResponse.update_stack

    def update_stack(self):
        if (self.querystring.get("DisableRollback") or ["false"])[0].lower() != "true":
            return stock_update_stack(self)
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        stack._breakfix_disable_rollback_once = True
        try:
            return stock_update_stack(self)
        finally:
            stack.__dict__.pop("_breakfix_disable_rollback_once", None)  # refused before the update started

    responses.CloudFormationResponse.update_stack = update_stack
    responses.CloudFormationResponse.continue_update_rollback = _continue_update_rollback_action
    responses.CloudFormationResponse.list_stack_resources = _list_stack_resources

    stock_add_stack_event = models.Stack._add_stack_event

    def add_stack_event(self, *args, **kwargs):
        stock_add_stack_event(self, *args, **kwargs)
        self.events[-1].timestamp = ops.now_after(self, self.events[:-1])

    models.Stack._add_stack_event = add_stack_event

    stock_dto_init = responses.StackResourceDTO.__init__

    def dto_init(self, stack, resource):
        stock_dto_init(self, stack, resource)
        statuses = ops.statuses(stack)
        recorded = statuses.get(self.logical_resource_id)
        if recorded:
            self.resource_status, self.resource_status_reason, self.last_updated_timestamp = recorded
            self.timestamp = recorded[2]
        elif statuses:
            # Untouched by any update: still as created (stock reports the stack's status).
            self.resource_status = "CREATE_COMPLETE"

    responses.StackResourceDTO.__init__ = dto_init
