"""AWS::DynamoDB::Table from CloudFormation gets its TimeToLiveSpecification,
and a stack update changes the table.

Defect in stock moto 5.2.1
    `Table.create_from_cloudformation_json` ignores TimeToLiveSpecification
    (DescribeTimeToLive says DISABLED whatever the template says), and the
    model has no CloudFormation update: a stack update that changes
    BillingMode, ProvisionedThroughput, TimeToLiveSpecification,
    StreamSpecification or DeletionProtectionEnabled reports UPDATE_COMPLETE
    and changes nothing.

AWS behaviour restored
    "AWS::DynamoDB::Table" (CloudFormation Template Reference):
    TimeToLiveSpecification (AttributeName, Enabled) is applied as
    "UpdateTimeToLive" does and read back by DescribeTimeToLive. BillingMode,
    ProvisionedThroughput, StreamSpecification, DeletionProtectionEnabled and
    TimeToLiveSpecification update without interruption (UpdateTable /
    UpdateTimeToLive); TableName and KeySchema changes replace the table.
    Removing TimeToLiveSpecification from the template disables TTL. Other
    properties (attribute definitions, indexes) are left as moto has them.

When to drop
    test/fidelity/dynamodb-table-cfn.test.ts asserts stock moto reports TTL
    DISABLED and keeps the old throughput after an update. When that fails on
    a newer moto, drop this module and its test.
"""
from _patch_util import already_patched, cfn_bool, set_classmethod

_REPLACE_ON = ("TableName", "KeySchema")


def _billing_mode(properties: dict) -> str:
    return "PAY_PER_REQUEST" if properties.get("BillingMode") == "PAY_PER_REQUEST" else "PROVISIONED"


def _throughput(properties: dict):
    wanted = properties.get("ProvisionedThroughput")
    if not wanted:
        return None
    return {key: int(value) for key, value in wanted.items()}


def apply() -> None:
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.table import Table as cls

    if already_patched(cls, __name__):
        return
    stock_create = cls.create_from_cloudformation_json.__func__

    def apply_ttl(backend, table, properties: dict, before: dict) -> None:
        ttl = properties.get("TimeToLiveSpecification")
        if ttl:
            spec = {"AttributeName": ttl.get("AttributeName"), "Enabled": cfn_bool(ttl.get("Enabled"), False)}
            backend.update_time_to_live(table.name, spec)
        elif before.get("TimeToLiveSpecification"):
            table.ttl = {"TimeToLiveStatus": "DISABLED"}

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        table = stock_create(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        properties = cloudformation_json.get("Properties") or {}
        apply_ttl(dynamodb_backends[account_id][region_name], table, properties, {})
        table._breakfix_cfn_properties = properties
        return table

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json.get("Properties") or {}
        before = getattr(original_resource, "_breakfix_cfn_properties", None) or {}
        backend = dynamodb_backends[account_id][region_name]
        if any(before.get(key) != properties.get(key) for key in _REPLACE_ON):
            new = create_from_cloudformation_json(klass, new_resource_name, cloudformation_json, account_id, region_name)
            backend.delete_table(original_resource.name)
            return new
        table = original_resource
        table.billing_mode = _billing_mode(properties)
        throughput = _throughput(properties)
        if throughput:
            table.throughput = dict(table.throughput or {}, **throughput)
        if properties.get("StreamSpecification") != before.get("StreamSpecification"):
            table.set_stream_specification(properties.get("StreamSpecification") or {"StreamEnabled": False})
        table.deletion_protection_enabled = cfn_bool(properties.get("DeletionProtectionEnabled"), False)
        apply_ttl(backend, table, properties, before)
        table._breakfix_cfn_properties = properties
        return table

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
