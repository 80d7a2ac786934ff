"""What CloudFormation operations on a stack have in common: stack and
resource events, per-resource statuses, dependency order and deleting
resources with retries.

Shared by the patch_cfn_* modules; nothing here changes moto by itself.
CloudFormation writes one event per resource status change and one per
stack status change ("Stack status codes" and "Resource status codes",
CloudFormation User Guide); these helpers keep the event list, the status
DescribeStackResources reports and the stack's StackStatusReason in step.
"""
import datetime
import re
from typing import Any, Optional

from _cfn_handler_error import event_reason
from _patch_util import instance_state

RETAIN = {"Retain", "RetainExceptOnCreate"}


def now_after(stack: Any, events: Optional[list] = None) -> datetime.datetime:
    """Event times strictly increase (by 1 ms at least) so clients that sort by
    Timestamp see the order CloudFormation wrote them in."""
    from moto.core.utils import utcnow

    events = stack.events if events is None else events
    now = utcnow()
    last = events[-1].timestamp if events else None
    if last is not None and now <= last + datetime.timedelta(milliseconds=1):
        now = last + datetime.timedelta(milliseconds=1)
    return now


def event(stack: Any, logical_id: str, physical_id: Optional[str], resource_type: str, status: str, reason: Optional[str] = None) -> None:
    from moto.cloudformation.models import Event

    record = Event(
        stack_id=stack.stack_id,
        stack_name=stack.name,
        logical_resource_id=logical_id,
        physical_resource_id=physical_id or "",
        resource_type=resource_type,
        resource_status=status,
        resource_status_reason=reason,
        resource_properties=None,
    )
    record.timestamp = now_after(stack)
    record.sendToSns(stack.account_id, stack.region_name, stack.notification_arns)
    stack.events.append(record)
    if resource_type != "AWS::CloudFormation::Stack" or logical_id != stack.name:
        statuses(stack)[logical_id] = (status, reason, record.timestamp)


def statuses(stack: Any) -> dict:
    """Logical ID -> (status, reason, time) of the resources the patches wrote events for."""
    return instance_state(stack, "_breakfix_resource_status")


def stack_event(stack: Any, status: str, reason: Optional[str] = None) -> None:
    stack.status = status
    stack.status_reason = reason if status.endswith("_FAILED") else None
    event(stack, stack.name, stack.stack_id, "AWS::CloudFormation::Stack", status, reason)


def physical_id(model: Any) -> Optional[str]:
    value = getattr(model, "physical_resource_id", None)
    return None if value is None else str(value)


def type_of(rmap: Any, logical_id: str, fallback: Optional[dict] = None) -> str:
    json_map = rmap._resource_json_map
    if logical_id in json_map:
        return json_map[logical_id].get("Type", "")
    return (fallback or {}).get("Type", "")


def failed_list(kind: str, ids: list) -> str:
    return f"The following resource(s) failed to {kind}: [{', '.join(ids)}]."


def references(node: Any, names: set, found: set) -> None:
    """Logical IDs a resource refers to: Ref, Fn::GetAtt and ${X} in Fn::Sub."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str) and value in names:
                found.add(value)
            elif key == "Fn::GetAtt":
                target = value[0] if isinstance(value, list) and value else str(value).split(".")[0]
                if target in names:
                    found.add(target)
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) and value else value
                if isinstance(text, str):
                    for ref in re.findall(r"\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}", text):
                        if ref in names:
                            found.add(ref)
            references(value, names, found)
    elif isinstance(node, list):
        for item in node:
            references(item, names, found)


def dependency_order(json_map: dict) -> list:
    """Logical IDs with every resource after what it depends on (DependsOn and
    references), otherwise in template order, as CloudFormation orders work."""
    names = set(json_map)
    deps = {}
    for name, resource in json_map.items():
        found: set = set()
        depends_on = resource.get("DependsOn") or []
        found.update([depends_on] if isinstance(depends_on, str) else depends_on)
        references(resource.get("Properties") or {}, names, found)
        deps[name] = [d for d in found if d in names and d != name]
    ordered: list = []
    visiting: set = set()

    def visit(name: str) -> None:
        if name in ordered or name in visiting:
            return  # done, or a cycle CloudFormation would have refused
        visiting.add(name)
        for dep in sorted(deps[name], key=list(json_map).index):
            visit(dep)
        visiting.discard(name)
        ordered.append(name)

    for name in json_map:
        visit(name)
    return ordered


def delete_all(stack: Any, doomed: list) -> None:
    """Deletes (logical ID, model, resource JSON) in order. A delete that fails
    is retried after the others, as a dependency may have been in the way;
    what still fails is DELETE_FAILED, which does not fail the stack."""
    rmap = stack.resource_map
    pending = []
    for logical_id, model, resource_json in doomed:
        event_type = resource_json.get("Type", "")
        physical = physical_id(model)
        if resource_json.get("DeletionPolicy") in RETAIN:
            event(stack, logical_id, physical, event_type, "DELETE_SKIPPED")
            continue
        event(stack, logical_id, physical, event_type, "DELETE_IN_PROGRESS")
        if model is None or isinstance(model, str):
            event(stack, logical_id, physical, event_type, "DELETE_COMPLETE")
            continue
        pending.append((logical_id, model, resource_json))
    errors: dict = {}
    progress = True
    while pending and progress:
        progress = False
        for item in list(pending):
            logical_id, model, resource_json = item
            try:
                rmap._delete_resource(model, resource_json)
            except Exception as err:  # noqa: BLE001 - retried, then DELETE_FAILED
                errors[logical_id] = err
                continue
            pending.remove(item)
            progress = True
            event(stack, logical_id, physical_id(model), resource_json.get("Type", ""), "DELETE_COMPLETE")
    for logical_id, model, resource_json in pending:
        event(stack, logical_id, physical_id(model), resource_json.get("Type", ""), "DELETE_FAILED", event_reason(errors[logical_id]))
