"""How CloudFormation decides whether one resource drifted: the expected
properties (the template's, with intrinsic functions and parameters
resolved) against the live resource, read from moto's models.

Used by patch_cfn_drift_detection; nothing here changes moto by itself.
lib/engines/cfn/drift*.ts does the same from the SDK side, and
test/fidelity/cfn-drift-agreement.test.ts checks that both agree.

Semantics ("Detect unmanaged configuration changes to stacks and resources
with drift detection", CloudFormation User Guide; "StackResourceDrift",
"PropertyDifference", "StackResourceDriftInformation", CloudFormation API
Reference):
- Only properties set in the template are compared; a default the template
  leaves unset is never drift. Properties a reader cannot see are not
  compared either (listed per type below).
- A resource that no longer exists is DELETED; a resource type without a
  reader is NOT_CHECKED.
- Each difference has a PropertyPath (/Prop/sub/0/...), ExpectedValue and
  ActualValue (scalars as text, objects and arrays as JSON, a missing value
  as "null") and a DifferenceType: NOT_EQUAL (value differs), REMOVE (gone
  from the live configuration), ADD (an element or key added to a list or
  object the template set).
- Lists CloudFormation treats as sets (security group rules, policy ARNs,
  subnets...) are matched regardless of order; lists of named items
  (inline policies, attribute definitions) are matched by name.
Choices of ours where AWS documents nothing: numbers and booleans compare by
value whether the template wrote them as text or not; an inline policy or
policy attachment that another resource of the same stack manages belongs
to that resource, not to the role (or policy) it is attached to.
"""
import json
from typing import Any, Callable, Optional

MISSING = object()

# Per type: the properties compared, and the lists compared as sets (None:
# whole items, or the name of the field that identifies an item).
SPECS = {
    "AWS::EC2::SecurityGroup": {
        "props": ["GroupDescription", "GroupName", "VpcId", "SecurityGroupIngress", "SecurityGroupEgress"],
        "sets": {"/SecurityGroupIngress": None, "/SecurityGroupEgress": None},
    },
    "AWS::IAM::Role": {
        "props": [
            "AssumeRolePolicyDocument",
            "Policies",
            "ManagedPolicyArns",
            "Path",
            "RoleName",
            "Description",
            "MaxSessionDuration",
            "PermissionsBoundary",
        ],
        "sets": {"/ManagedPolicyArns": None, "/Policies": "PolicyName"},
    },
    "AWS::IAM::ManagedPolicy": {
        "props": ["PolicyDocument", "Description", "Path", "ManagedPolicyName", "Roles", "Users", "Groups"],
        "sets": {"/Roles": None, "/Users": None, "/Groups": None},
    },
    "AWS::IAM::Policy": {
        "props": ["PolicyName", "PolicyDocument", "Roles", "Users", "Groups"],
        "sets": {"/Roles": None, "/Users": None, "/Groups": None},
    },
    "AWS::Lambda::Function": {
        "props": ["FunctionName", "Handler", "Runtime", "Role", "Timeout", "MemorySize", "Description", "Environment"],
        "sets": {},
    },
    "AWS::SSM::Parameter": {
        "props": ["Name", "Type", "Value", "Description", "AllowedPattern", "Tier", "DataType"],
        "sets": {},
    },
    "AWS::Logs::LogGroup": {"props": ["LogGroupName", "RetentionInDays", "KmsKeyId"], "sets": {}},
    "AWS::DynamoDB::Table": {
        "props": [
            "TableName",
            "BillingMode",
            "ProvisionedThroughput",
            "TimeToLiveSpecification",
            "KeySchema",
            "AttributeDefinitions",
            "DeletionProtectionEnabled",
            "StreamSpecification",
        ],
        "sets": {"/AttributeDefinitions": "AttributeName"},
    },
    "AWS::S3::Bucket": {"props": ["BucketName", "VersioningConfiguration", "PublicAccessBlockConfiguration"], "sets": {}},
    "AWS::S3::BucketPolicy": {"props": ["Bucket", "PolicyDocument"], "sets": {}},
    "AWS::ECS::Service": {
        "props": ["ServiceName", "DesiredCount", "TaskDefinition", "LaunchType", "NetworkConfiguration"],
        "sets": {
            "/NetworkConfiguration/AwsvpcConfiguration/Subnets": None,
            "/NetworkConfiguration/AwsvpcConfiguration/SecurityGroups": None,
        },
    },
    "AWS::ECS::TaskDefinition": {
        "props": ["Family", "Cpu", "Memory", "NetworkMode", "RequiresCompatibilities", "ExecutionRoleArn", "TaskRoleArn"],
        "sets": {"/RequiresCompatibilities": None},
    },
}

_JSON_DOCUMENTS = ("PolicyDocument", "AssumeRolePolicyDocument")
_PROTOCOLS = {"all": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


# --- values ---------------------------------------------------------------------


def scalar(value: Any) -> Any:
    """Numbers and booleans compare by value, however the template wrote them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def as_text(value: Any) -> str:
    """ExpectedValue / ActualValue: scalars as text, the rest as JSON."""
    if value is MISSING or value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(scalar(value))


def _document(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def sg_rule(rule: dict, egress: bool) -> dict:
    """A security group rule in one canonical shape, template or live."""
    protocol = str(rule.get("IpProtocol", "")).lower()
    protocol = _PROTOCOLS.get(protocol, protocol)
    out: dict = {"IpProtocol": protocol}
    if protocol != "-1":
        for port in ("FromPort", "ToPort"):
            if rule.get(port) is not None:
                out[port] = int(rule[port])
    peer = ("Destination" if egress else "Source") + "SecurityGroupId"
    prefix = ("Destination" if egress else "Source") + "PrefixListId"
    for key in ("CidrIp", "CidrIpv6", peer, prefix, "Description"):
        if rule.get(key):
            out[key] = rule[key]
    return out


def canonical_expected(resource_type: str, properties: dict) -> dict:
    """The template's properties, in the shape the readers produce."""
    props = dict(properties)
    for key in _JSON_DOCUMENTS:
        if key in props:
            props[key] = _document(props[key])
    if resource_type == "AWS::EC2::SecurityGroup":
        for key, egress in (("SecurityGroupIngress", False), ("SecurityGroupEgress", True)):
            if isinstance(props.get(key), list):
                props[key] = [sg_rule(r, egress) for r in props[key]]
    if resource_type == "AWS::IAM::Role" and isinstance(props.get("Policies"), list):
        props["Policies"] = [dict(p, PolicyDocument=_document(p.get("PolicyDocument"))) for p in props["Policies"]]
    return props


# --- comparison -----------------------------------------------------------------


def _difference(path: str, expected: Any, actual: Any, kind: str) -> dict:
    return {"PropertyPath": path, "ExpectedValue": as_text(expected), "ActualValue": as_text(actual), "DifferenceType": kind}


def _equal(a: Any, b: Any) -> bool:
    return _canonical(a) == _canonical(b)


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return scalar(value)


def _diff(expected: Any, actual: Any, path: str, sets: dict, out: list) -> None:
    if actual is MISSING or actual is None:
        if expected is not None:
            out.append(_difference(path, expected, None, "REMOVE"))
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            _diff(value, actual.get(key, MISSING), f"{path}/{key}", sets, out)
        for key, value in actual.items():
            if key not in expected:
                out.append(_difference(f"{path}/{key}", None, value, "ADD"))
        return
    if isinstance(expected, list) and isinstance(actual, list):
        if path in sets:
            _diff_set(expected, actual, path, sets, out)
            return
        for index, value in enumerate(expected):
            _diff(value, actual[index] if index < len(actual) else MISSING, f"{path}/{index}", sets, out)
        for index in range(len(expected), len(actual)):
            out.append(_difference(f"{path}/{index}", None, actual[index], "ADD"))
        return
    if not _equal(expected, actual):
        out.append(_difference(path, expected, actual, "NOT_EQUAL"))


def canonical_json(value: Any) -> str:
    """One text per value, whatever its key order: how set items are sorted."""
    return json.dumps(_canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _diff_set(expected: list, actual: list, path: str, sets: dict, out: list) -> None:
    key = sets[path]
    # A set has no order of its own: live items are indexed in canonical order,
    # so the ADD paths do not depend on the order a service happens to list them.
    actual = sorted(actual, key=canonical_json)
    unmatched = list(range(len(actual)))
    for index, value in enumerate(expected):
        if key is not None and isinstance(value, dict):
            match = next((i for i in unmatched if isinstance(actual[i], dict) and actual[i].get(key) == value.get(key)), None)
            if match is not None:
                unmatched.remove(match)
                _diff(value, actual[match], f"{path}/{index}", sets, out)
                continue
        else:
            match = next((i for i in unmatched if _equal(actual[i], value)), None)
            if match is not None:
                unmatched.remove(match)
                continue
        out.append(_difference(f"{path}/{index}", value, None, "REMOVE"))
    for index in unmatched:
        out.append(_difference(f"{path}/{index}", None, actual[index], "ADD"))


def compare(resource_type: str, expected_properties: dict, actual: Optional[dict]) -> dict:
    """StackResourceDriftStatus, PropertyDifferences and the compared
    Expected/ActualProperties for one resource (actual None: deleted)."""
    spec = SPECS[resource_type]
    expected = canonical_expected(resource_type, expected_properties)
    compared = {k: v for k, v in expected.items() if k in spec["props"]}
    if actual is None:
        return {"StackResourceDriftStatus": "DELETED", "PropertyDifferences": []}
    differences: list = []
    for name, value in compared.items():
        _diff(value, actual.get(name, MISSING), f"/{name}", spec["sets"], differences)
    return {
        "StackResourceDriftStatus": "MODIFIED" if differences else "IN_SYNC",
        "PropertyDifferences": differences,
        "ExpectedProperties": json.dumps(compared, separators=(",", ":"), default=str, ensure_ascii=False),
        "ActualProperties": json.dumps(
            {k: actual[k] for k in compared if k in actual}, separators=(",", ":"), default=str, ensure_ascii=False
        ),
    }


# --- readers: the live resource, from moto's models -------------------------------


def _drop_empty(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None and v != "" and v != [] and v != {}}


def _read_security_group(ctx: Any, physical_id: str) -> Optional[dict]:
    from moto.ec2.models import ec2_backends

    group = ec2_backends[ctx.account_id][ctx.region_name].get_security_group_from_id(physical_id)
    if group is None:
        return None

    def rules(items: list, egress: bool) -> list:
        out = []
        for r in items:
            raw: dict = {"IpProtocol": r.ip_protocol, "FromPort": r.from_port, "ToPort": r.to_port}
            raw.update(r.ip_range or {})
            if r.source_group:
                raw[("Destination" if egress else "Source") + "SecurityGroupId"] = r.source_group.get("GroupId")
                raw["Description"] = r.source_group.get("Description")
            if r.prefix_list_id:
                raw[("Destination" if egress else "Source") + "PrefixListId"] = r.prefix_list_id
            out.append(sg_rule(raw, egress))
        return out

    return {
        "GroupDescription": group.description,
        "GroupName": group.name,
        "VpcId": group.vpc_id,
        "SecurityGroupIngress": rules(group.ingress_rules, False),
        "SecurityGroupEgress": rules(group.egress_rules, True),
    }


def _iam(ctx: Any) -> Any:
    from moto.iam.models import iam_backends
    from moto.utilities.utils import get_partition

    return iam_backends[ctx.account_id][get_partition(ctx.region_name)]


def _read_role(ctx: Any, physical_id: str) -> Optional[dict]:
    role = next((r for r in _iam(ctx).roles.values() if r.name == physical_id), None)
    if role is None:
        return None
    managed_elsewhere = ctx.stack_managed_attachments(physical_id)
    policies = [
        {"PolicyName": name, "PolicyDocument": _document(doc)}
        for name, doc in role.policies.items()
        if name not in managed_elsewhere["inline"]
    ]
    arns = [arn for arn in role.managed_policies if arn not in managed_elsewhere["managed"]]
    return _drop_empty(
        {
            "AssumeRolePolicyDocument": _document(role.assume_role_policy_document),
            "Policies": policies,
            "ManagedPolicyArns": arns,
            "Path": role.path,
            "RoleName": role.name,
            "Description": role.description,
            "MaxSessionDuration": role.max_session_duration,
            "PermissionsBoundary": role.permissions_boundary_arn,
        }
    )


def _read_managed_policy(ctx: Any, physical_id: str) -> Optional[dict]:
    backend = _iam(ctx)
    policy = backend.managed_policies.get(physical_id)
    if policy is None:
        return None
    default = next((v for v in policy.versions if v.is_default), None)
    attached_by_roles = ctx.roles_attaching_in_template(physical_id)
    roles = [r.name for r in backend.roles.values() if physical_id in r.managed_policies and r.name not in attached_by_roles]
    users = [u.name for u in backend.users.values() if physical_id in u.managed_policies]
    groups = [g.name for g in backend.groups.values() if physical_id in g.managed_policies]
    return _drop_empty(
        {
            "PolicyDocument": _document(default.document) if default else None,
            "Description": policy.description,
            "Path": policy.path,
            "ManagedPolicyName": policy.name,
            "Roles": roles,
            "Users": users,
            "Groups": groups,
        }
    )


def _read_inline_policy(ctx: Any, physical_id: str, expected: dict) -> Optional[dict]:
    backend = _iam(ctx)
    name = expected.get("PolicyName")
    holders = {
        "Roles": {r.name: r for r in backend.roles.values()},
        "Users": {u.name: u for u in backend.users.values()},
        "Groups": {g.name: g for g in backend.groups.values()},
    }
    actual: dict = {"PolicyName": name}
    document = None
    for key, entities in holders.items():
        having = [n for n in expected.get(key) or [] if n in entities and name in entities[n].policies]
        if having:
            actual[key] = having
            document = document or entities[having[0]].policies[name]
    if document is None:
        return None
    actual["PolicyDocument"] = _document(document)
    return actual


def _read_function(ctx: Any, physical_id: str) -> Optional[dict]:
    from moto.awslambda.models import lambda_backends

    try:
        fn = lambda_backends[ctx.account_id][ctx.region_name].get_function(physical_id)
    except Exception:  # noqa: BLE001 - any lookup failure means it is gone
        return None
    variables = dict(fn.environment_vars or {})
    return _drop_empty(
        {
            "FunctionName": fn.function_name,
            "Handler": fn.handler,
            "Runtime": fn.run_time,
            "Role": fn.role,
            "Timeout": fn.timeout,
            "MemorySize": fn.memory_size,
            "Description": fn.description,
            "Environment": {"Variables": variables} if variables else None,
        }
    )


def _read_parameter(ctx: Any, physical_id: str) -> Optional[dict]:
    from moto.ssm.models import ssm_backends

    param = ssm_backends[ctx.account_id][ctx.region_name].get_parameter(physical_id)
    if param is None:
        return None
    return _drop_empty(
        {
            "Name": param.name,
            "Type": param.parameter_type,
            "Value": param.value,
            "Description": param.description,
            "AllowedPattern": param.allowed_pattern,
            "Tier": param.tier,
            "DataType": param.data_type,
        }
    )


def _read_log_group(ctx: Any, physical_id: str) -> Optional[dict]:
    from moto.logs.models import logs_backends

    group = logs_backends[ctx.account_id][ctx.region_name].groups.get(physical_id)
    if group is None:
        return None
    return _drop_empty({"LogGroupName": group.name, "RetentionInDays": group.retention_in_days, "KmsKeyId": group.kms_key_id})


def _read_table(ctx: Any, physical_id: str) -> Optional[dict]:
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[ctx.account_id][ctx.region_name].tables.get(physical_id)
    if table is None:
        return None
    billing = table.billing_mode or "PROVISIONED"
    ttl = table.ttl or {}
    ttl_spec = None
    if ttl.get("TimeToLiveStatus"):
        enabled = ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
        ttl_spec = _drop_empty({"AttributeName": ttl.get("AttributeName")})
        ttl_spec["Enabled"] = enabled
    throughput = table.throughput or {}
    stream = table.stream_specification or {}
    return _drop_empty(
        {
            "TableName": table.name,
            "BillingMode": billing,
            "ProvisionedThroughput": (
                {"ReadCapacityUnits": throughput.get("ReadCapacityUnits"), "WriteCapacityUnits": throughput.get("WriteCapacityUnits")}
                if billing == "PROVISIONED"
                else None
            ),
            "TimeToLiveSpecification": ttl_spec,
            "KeySchema": [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in table.schema],
            "AttributeDefinitions": [{"AttributeName": a["AttributeName"], "AttributeType": a["AttributeType"]} for a in table.attr],
            "DeletionProtectionEnabled": bool(table.deletion_protection_enabled),
            "StreamSpecification": {"StreamViewType": stream["StreamViewType"]} if stream.get("StreamEnabled") else None,
        }
    )


def _read_bucket(ctx: Any, physical_id: str) -> Optional[dict]:
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    bucket = s3_backends[ctx.account_id][get_partition(ctx.region_name)].buckets.get(physical_id)
    if bucket is None:
        return None
    pab = bucket.public_access_block
    return _drop_empty(
        {
            "BucketName": bucket.name,
            "VersioningConfiguration": {"Status": bucket.versioning_status} if bucket.versioning_status else None,
            "PublicAccessBlockConfiguration": (
                {
                    "BlockPublicAcls": bool(pab.block_public_acls),
                    "BlockPublicPolicy": bool(pab.block_public_policy),
                    "IgnorePublicAcls": bool(pab.ignore_public_acls),
                    "RestrictPublicBuckets": bool(pab.restrict_public_buckets),
                }
                if pab
                else None
            ),
        }
    )


def _read_bucket_policy(ctx: Any, physical_id: str, expected: dict) -> Optional[dict]:
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    name = expected.get("Bucket") or physical_id
    bucket = s3_backends[ctx.account_id][get_partition(ctx.region_name)].buckets.get(name)
    if bucket is None or not bucket.policy:
        return None
    policy = bucket.policy.decode() if isinstance(bucket.policy, bytes) else bucket.policy
    return {"Bucket": bucket.name, "PolicyDocument": _document(policy)}


def _read_service(ctx: Any, physical_id: str) -> Optional[dict]:
    from moto.ecs.models import ecs_backends

    backend = ecs_backends[ctx.account_id][ctx.region_name]
    service = next((s for s in backend.services.values() if s.physical_resource_id == physical_id), None)
    if service is None or service.status != "ACTIVE":
        return None
    network = service.network_configuration or {}
    vpc = network.get("awsvpcConfiguration") or {}
    return _drop_empty(
        {
            "ServiceName": service.name,
            "DesiredCount": service.desired_count,
            "TaskDefinition": service.task_definition,
            "LaunchType": service.launch_type,
            "NetworkConfiguration": (
                {
                    "AwsvpcConfiguration": _drop_empty(
                        {
                            "AssignPublicIp": vpc.get("assignPublicIp"),
                            "SecurityGroups": vpc.get("securityGroups"),
                            "Subnets": vpc.get("subnets"),
                        }
                    )
                }
                if vpc
                else None
            ),
        }
    )


def _read_task_definition(ctx: Any, physical_id: str) -> Optional[dict]:
    from moto.ecs.models import ecs_backends

    backend = ecs_backends[ctx.account_id][ctx.region_name]
    found = None
    for revisions in backend.task_definitions.values():
        for definition in revisions.values():
            if definition.arn == physical_id:
                found = definition
    if found is None or found.status != "ACTIVE":
        return None
    return _drop_empty(
        {
            "Family": found.family,
            "Cpu": found.cpu,
            "Memory": found.memory,
            "NetworkMode": found.network_mode,
            "RequiresCompatibilities": found.requires_compatibilities,
            "ExecutionRoleArn": getattr(found, "execution_role_arn", None),
            "TaskRoleArn": getattr(found, "task_role_arn", None),
        }
    )


READERS: dict = {
    "AWS::EC2::SecurityGroup": _read_security_group,
    "AWS::IAM::Role": _read_role,
    "AWS::IAM::ManagedPolicy": _read_managed_policy,
    "AWS::Lambda::Function": _read_function,
    "AWS::SSM::Parameter": _read_parameter,
    "AWS::Logs::LogGroup": _read_log_group,
    "AWS::DynamoDB::Table": _read_table,
    "AWS::S3::Bucket": _read_bucket,
    "AWS::ECS::Service": _read_service,
    "AWS::ECS::TaskDefinition": _read_task_definition,
}
# Readers that also need the expected properties to find the resource.
READERS_WITH_EXPECTED: dict = {
    "AWS::IAM::Policy": _read_inline_policy,
    "AWS::S3::BucketPolicy": _read_bucket_policy,
}


def supported(resource_type: str) -> bool:
    return resource_type in READERS or resource_type in READERS_WITH_EXPECTED


def read(ctx: Any, resource_type: str, physical_id: str, expected: dict) -> Optional[dict]:
    reader: Callable = READERS.get(resource_type)  # type: ignore[assignment]
    if reader is not None:
        return reader(ctx, physical_id)
    return READERS_WITH_EXPECTED[resource_type](ctx, physical_id, expected)
