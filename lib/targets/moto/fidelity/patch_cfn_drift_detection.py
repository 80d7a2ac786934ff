"""CloudFormation drift detection: DetectStackDrift, DetectStackResourceDrift,
DescribeStackResourceDrifts, DescribeStackDriftDetectionStatus, and the
DriftInformation of DescribeStacks, DescribeStackResource(s) and
ListStackResources.

Defect in stock moto 5.2.1
    None of the four drift operations is implemented (HTTP 500), and stacks and
    resources carry no DriftInformation, although CloudFormation's console,
    CLI and the lab's own hints send learners to them.

AWS behaviour restored
    "Detect unmanaged configuration changes to stacks and resources with drift
    detection", "Detect drift on an entire CloudFormation stack" and "Detect
    drift on individual stack resources" (CloudFormation User Guide);
    "DetectStackDrift", "DetectStackResourceDrift",
    "DescribeStackResourceDrifts", "DescribeStackDriftDetectionStatus",
    "StackResourceDrift", "PropertyDifference", "StackDriftInformation" and
    "StackResourceDriftInformation" (CloudFormation API Reference):
    - Each resource of a supported type is compared with its expected
      configuration (the template's explicitly set properties, parameters
      and intrinsic functions resolved; _cfn_drift.py says which types and
      properties): IN_SYNC, MODIFIED with PropertyDifferences (PropertyPath,
      ExpectedValue, ActualValue, DifferenceType ADD / REMOVE / NOT_EQUAL),
      or DELETED. Other types, and resources ContinueUpdateRollback skipped,
      are NOT_CHECKED.
    - DetectStackDrift answers a StackDriftDetectionId;
      DescribeStackDriftDetectionStatus reports DETECTION_COMPLETE (or
      DETECTION_FAILED when a resource could not be checked, with the results
      of the others), StackDriftStatus DRIFTED / IN_SYNC (NOT_CHECKED when no
      resource could be checked) and DriftedStackResourceCount.
      LogicalResourceIds limits the detection to those resources.
    - DescribeStackResourceDrifts lists the latest result of every checked
      resource (unsupported ones are "not checked, and so not included"),
      filtered by StackResourceDriftStatusFilters, paginated by MaxResults /
      NextToken.
    - DetectStackResourceDrift checks one resource and, as the User Guide
      says, also updates the stack's drift status and last check time.
    - DescribeStacks' DriftInformation is NOT_CHECKED until a detection ran;
      each resource's is its latest result, NOT_CHECKED for unsupported types.
    Our wording where AWS publishes none: DetectStackResourceDrift on a type
    without drift support answers ValidationError "Drift detection is not
    supported for resource type <type> (resource <id>)"; DETECTION_FAILED's
    reason names the resources that could not be checked.
    Properties set through dynamic references ({{resolve:...}}) are not
    compared: the value resolved at the last stack operation is not readable
    afterwards, and a secret must never appear in drift output.
    The emulator runs a detection inside the DetectStackDrift call, so it is
    DETECTION_COMPLETE by the time anyone asks.

When to drop
    test/fidelity/cfn-drift-detection.test.ts asserts stock moto answers
    DetectStackDrift with HTTP 500. When that fails on a newer moto, compare
    its results with the test (and with lib/engines/cfn/drift.ts) before
    dropping this module.
"""
import uuid
from typing import Any, Optional

import _cfn_drift as drift
import _cfn_stack_ops as ops
from _patch_util import instance_state

_GUARD = "_breakfix_cfn_drift_detection"
_DYNAMIC_REFERENCE = "{{resolve:"
_SKIPPED = "Resource skipped during UpdateRollback"


class _Context:
    """What the readers may ask about the stack being checked."""

    def __init__(self, stack: Any):
        self.stack = stack
        self.account_id = stack.account_id
        self.region_name = stack.region_name
        self._resolved: dict = {}

    def resolved(self, logical_id: str) -> dict:
        from moto.cloudformation.parsing import clean_json

        if logical_id not in self._resolved:
            rmap = self.stack.resource_map
            properties = rmap._resource_json_map[logical_id].get("Properties") or {}
            self._resolved[logical_id] = clean_json(properties, rmap)
        return self._resolved[logical_id]

    def _of_type(self, resource_type: str) -> list:
        rmap = self.stack.resource_map
        parsed = rmap._parsed_resources
        return [i for i, r in rmap._resource_json_map.items() if r.get("Type") == resource_type and parsed.get(i) is not None]

    def stack_managed_attachments(self, role_name: str) -> dict:
        """Inline policies and managed policy attachments of a role that other
        resources of this stack manage."""
        inline = {
            self.resolved(i).get("PolicyName")
            for i in self._of_type("AWS::IAM::Policy")
            if role_name in (self.resolved(i).get("Roles") or [])
        }
        managed = {
            ops.physical_id(self.stack.resource_map._parsed_resources[i])
            for i in self._of_type("AWS::IAM::ManagedPolicy")
            if role_name in (self.resolved(i).get("Roles") or [])
        }
        return {"inline": inline, "managed": managed}

    def roles_attaching_in_template(self, policy_arn: str) -> set:
        """Roles of this stack whose own ManagedPolicyArns name the policy."""
        rmap = self.stack.resource_map
        return {
            ops.physical_id(rmap._parsed_resources[i])
            for i in self._of_type("AWS::IAM::Role")
            if policy_arn in (self.resolved(i).get("ManagedPolicyArns") or [])
        }


def _dynamic(value: Any) -> bool:
    """A value set by a dynamic reference: the value CloudFormation resolved at
    the last stack operation is not readable afterwards, and a secret must
    never appear in drift output, so such a property is not compared."""
    if isinstance(value, str):
        return _DYNAMIC_REFERENCE in value
    if isinstance(value, dict):
        return any(_dynamic(v) for v in value.values())
    if isinstance(value, list):
        return any(_dynamic(v) for v in value)
    return False


def _check(stack: Any, ctx: _Context, logical_id: str) -> Optional[dict]:
    """The StackResourceDrift of one resource; None when it is not checked."""
    from moto.core.utils import utcnow

    rmap = stack.resource_map
    resource_json = rmap._resource_json_map[logical_id]
    resource_type = resource_json.get("Type", "")
    model = rmap._parsed_resources.get(logical_id)
    skipped = ops.statuses(stack).get(logical_id, ("", None))[1] == _SKIPPED
    if model is None or not drift.supported(resource_type) or skipped:
        return None
    physical = ops.physical_id(model)
    template = resource_json.get("Properties") or {}
    expected = {k: v for k, v in ctx.resolved(logical_id).items() if not _dynamic(template.get(k))}
    result = drift.compare(resource_type, expected, drift.read(ctx, resource_type, physical, expected))
    record = {
        "StackId": stack.stack_id,
        "LogicalResourceId": logical_id,
        "PhysicalResourceId": physical,
        "ResourceType": resource_type,
        "Timestamp": utcnow(),
        **result,
    }
    if not record["PropertyDifferences"]:
        del record["PropertyDifferences"]
    _results(stack)[logical_id] = record
    return record


def _results(stack: Any) -> dict:
    """Logical ID -> the latest StackResourceDrift of the resource."""
    return instance_state(stack, "_breakfix_drift_results")


def _stack_status(stack: Any) -> str:
    latest = _results(stack).values()
    if not latest:
        return "NOT_CHECKED"
    return "DRIFTED" if any(r["StackResourceDriftStatus"] in ("MODIFIED", "DELETED") for r in latest) else "IN_SYNC"


def _mark_checked(stack: Any, when: Any) -> None:
    stack._breakfix_drift_info = {"StackDriftStatus": _stack_status(stack), "LastCheckTimestamp": when}


def _resource_drift_information(stack: Any, logical_id: str, resource_type: str) -> dict:
    record = _results(stack).get(logical_id)
    if record is None:
        return {"StackResourceDriftStatus": "NOT_CHECKED"}
    return {"StackResourceDriftStatus": record["StackResourceDriftStatus"], "LastCheckTimestamp": record["Timestamp"]}


def _list_param(querystring: dict, prefix: str) -> list:
    keys = sorted((k for k in querystring if k.startswith(prefix + ".member.")), key=lambda k: int(k.rsplit(".", 1)[1]))
    return [querystring[k][0] for k in keys]


def apply() -> None:
    from moto.cloudformation import models, responses
    from moto.cloudformation.exceptions import ValidationError
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow

    cls = responses.CloudFormationResponse
    if cls.__dict__.get(_GUARD):
        return
    setattr(cls, _GUARD, True)

    def detections(backend: Any) -> dict:
        return instance_state(backend, "_breakfix_drift_detections")

    def detect_stack_drift(self):
        backend = self.cloudformation_backend
        stack = backend.get_stack(self._get_param("StackName"))
        wanted = _list_param(self.querystring, "LogicalResourceIds")
        rmap = stack.resource_map
        for logical_id in wanted:
            if logical_id not in rmap._resource_json_map:
                raise ValidationError(message=f"Resource {logical_id} does not exist for stack {stack.name}")
        ctx = _Context(stack)
        failed, drifted = [], 0
        for logical_id in wanted or list(rmap._resource_json_map):
            try:
                record = _check(stack, ctx, logical_id)
            except Exception:  # noqa: BLE001 - reported as DETECTION_FAILED, the others still count
                failed.append(logical_id)
                continue
            if record and record["StackResourceDriftStatus"] in ("MODIFIED", "DELETED"):
                drifted += 1
        when = utcnow()
        _mark_checked(stack, when)
        detection_id = str(uuid.uuid4())
        detection = {
            "StackId": stack.stack_id,
            "StackDriftDetectionId": detection_id,
            "StackDriftStatus": _stack_status(stack),
            "DetectionStatus": "DETECTION_FAILED" if failed else "DETECTION_COMPLETE",
            "DriftedStackResourceCount": drifted,
            "Timestamp": when,
        }
        if failed:
            detection["DetectionStatusReason"] = f"Failed to detect drift on resources [{', '.join(failed)}]"
        detections(backend)[detection_id] = detection
        return ActionResult({"StackDriftDetectionId": detection_id})

    def describe_stack_drift_detection_status(self):
        detection_id = self._get_param("StackDriftDetectionId")
        detection = detections(self.cloudformation_backend).get(detection_id)
        if detection is None:
            raise ValidationError(message=f"Drift detection with ID {detection_id} does not exist")
        return ActionResult(dict(detection))

    def detect_stack_resource_drift(self):
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        logical_id = self._get_param("LogicalResourceId")
        rmap = stack.resource_map
        if logical_id not in rmap._resource_json_map or rmap._parsed_resources.get(logical_id) is None:
            raise ValidationError(message=f"Resource {logical_id} does not exist for stack {stack.name}")
        resource_type = rmap._resource_json_map[logical_id].get("Type", "")
        record = _check(stack, _Context(stack), logical_id)
        if record is None:
            raise ValidationError(message=f"Drift detection is not supported for resource type {resource_type} (resource {logical_id})")
        _mark_checked(stack, record["Timestamp"])
        return ActionResult({"StackResourceDrift": record})

    def describe_stack_resource_drifts(self):
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        filters = set(_list_param(self.querystring, "StackResourceDriftStatusFilters"))
        records = [r for r in _results(stack).values() if not filters or r["StackResourceDriftStatus"] in filters]
        start = int(self._get_param("NextToken") or 0)
        size = int(self._get_param("MaxResults") or 100)
        page = records[start:][:size]
        result: dict = {"StackResourceDrifts": page}
        if start + size < len(records):
            result["NextToken"] = str(start + size)
        return ActionResult(result)

    cls.detect_stack_drift = detect_stack_drift
    cls.describe_stack_drift_detection_status = describe_stack_drift_detection_status
    cls.detect_stack_resource_drift = detect_stack_resource_drift
    cls.describe_stack_resource_drifts = describe_stack_resource_drifts

    # DriftInformation wherever CloudFormation reports a stack or a resource.
    models.Stack.drift_information = property(
        lambda self: self.__dict__.get("_breakfix_drift_info") or {"StackDriftStatus": "NOT_CHECKED"}
    )
    stock_dto_init = responses.StackResourceDTO.__init__

    def dto_init(self, stack, resource):
        stock_dto_init(self, stack, resource)
        self.drift_information = _resource_drift_information(stack, self.logical_resource_id, self.resource_type)

    responses.StackResourceDTO.__init__ = dto_init
    stock_list = cls.list_stack_resources

    def list_stack_resources(self):
        out = stock_list(self)
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        for summary in out.result.get("StackResourceSummaries", []):
            summary["DriftInformation"] = _resource_drift_information(stack, summary["LogicalResourceId"], summary.get("ResourceType"))
        return out

    cls.list_stack_resources = list_stack_resources
