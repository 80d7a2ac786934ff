"""A stack update that replaces a resource also updates the resources that
refer to it.

Defect in stock moto 5.2.1
    `ResourceMap.build_resource_diff` compares template JSON only. When an
    update replaces a resource (a changed AWS::ECS::TaskDefinition registers a
    new revision, with a new ARN), a resource whose own JSON is unchanged but
    refers to it (an AWS::ECS::Service with `TaskDefinition: {Ref: ...}`) is
    not updated: the stack reports UPDATE_COMPLETE while the service still
    runs the old revision.

AWS behaviour restored
    "Update behaviors of stack resources" (CloudFormation User Guide): with
    replacement, CloudFormation "creates a new resource with a new physical
    ID" and "then updates any resources that reference the resource being
    replaced" before deleting the old one. A reference is a Ref, an
    Fn::GetAtt or an ${X} in Fn::Sub. So after a resource's update gives it a
    new physical ID, every existing resource that refers to it is updated
    too, with the reference resolving to the new resource (its own events,
    UPDATE_IN_PROGRESS then UPDATE_COMPLETE); the update's rollback does the
    same on the way back. A referring resource the update changes anyway is
    updated once, in its turn. Nothing is updated when the physical ID stays
    the same (an update with no interruption).

When to drop
    test/fidelity/cfn-update-replaced-dependents.test.ts asserts stock moto
    leaves the service on the old revision after UpdateStack changes only the
    task definition. When that fails on a newer moto, drop this module and its
    test.
"""
from typing import Any, Optional

import _cfn_stack_ops as ops

_GUARD = "_breakfix_cfn_update_replaced_dependents"
# Set on a stack while its UpdateStack runs: {"diff": the update's resource
# diff, "done": logical IDs updated so far}.
_FORWARD = "_breakfix_forward_update"


def _referrers(rmap: Any, logical_id: str) -> list:
    """Existing resources whose template refers to `logical_id`, in dependency order."""
    json_map = rmap._resource_json_map
    names = set(json_map)
    found = []
    for name in ops.dependency_order(json_map):
        if name == logical_id or rmap._parsed_resources.get(name) is None:
            continue
        refs: set = set()
        ops.references(json_map[name].get("Properties") or {}, names, refs)
        if logical_id in refs:
            found.append(name)
    return found


def apply() -> None:
    from moto.cloudformation import models
    from moto.cloudformation.parsing import ResourceMap

    import patch_cfn_update_rollback as update_rollback

    if models.Stack.__dict__.get(_GUARD):
        return
    setattr(models.Stack, _GUARD, True)

    stock_diff = ResourceMap.build_resource_diff

    def build_resource_diff(self, other_template, parameters=None):
        diff = stock_diff(self, other_template, parameters)
        forward: Optional[dict] = getattr(self, _FORWARD, None)
        if forward is not None and forward.get("diff") is None:
            forward["diff"] = diff  # the list the update loop reads as it goes
        return diff

    ResourceMap.build_resource_diff = build_resource_diff

    stock_update = update_rollback._update_resource

    def update_resource(stack: Any, logical_id: str) -> Any:
        rmap = stack.resource_map
        before = ops.physical_id(rmap._parsed_resources.get(logical_id))
        model = stock_update(stack, logical_id)
        forward: Optional[dict] = getattr(rmap, _FORWARD, None)
        if forward is not None:
            forward["done"].add(logical_id)
        after = ops.physical_id(model)
        if before is None or after == before:
            return model
        # In the update's own pass the loop reaches referrers after what they
        # refer to; in a rollback (or outside UpdateStack) they are updated here.
        in_pass = forward is not None and forward["diff"] is not None and "_breakfix_rollback" not in stack.__dict__
        for name in _referrers(rmap, logical_id):
            if in_pass and name not in forward["done"]:
                diff = forward["diff"]
                if name not in diff["Add"] and name not in diff["Modify"]:
                    diff["Modify"].append(name)
                continue
            resource_type = ops.type_of(rmap, name)
            physical = ops.physical_id(rmap._parsed_resources.get(name))
            ops.event(stack, name, physical, resource_type, "UPDATE_IN_PROGRESS")
            updated = update_resource(stack, name)
            ops.event(stack, name, ops.physical_id(updated), resource_type, "UPDATE_COMPLETE")
        return model

    update_rollback._update_resource = update_resource

    stock_stack_update = models.Stack.update

    def stack_update(self, *args, **kwargs):
        rmap = self.resource_map
        setattr(rmap, _FORWARD, {"diff": None, "done": set()})
        try:
            return stock_stack_update(self, *args, **kwargs)
        finally:
            rmap.__dict__.pop(_FORWARD, None)

    models.Stack.update = stack_update
