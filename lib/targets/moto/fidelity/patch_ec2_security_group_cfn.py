"""AWS::EC2::SecurityGroup from CloudFormation gets the rules its template
gives it, with their descriptions, and keeps its identity across updates.

Defect in stock moto 5.2.1
    `SecurityGroup.create_from_cloudformation_json` ignores
    SecurityGroupEgress (the group keeps the default allow-all egress rule
    whatever the template says), drops every rule's Description, CidrIpv6 and
    SourcePrefixListId, and needs FromPort/ToPort even for IpProtocol -1. An
    update deletes the group and creates a new one (a new sg- ID, refused
    while anything uses the old group) for any change.

AWS behaviour restored
    "AWS::EC2::SecurityGroup" (CloudFormation Template Reference):
    SecurityGroupIngress and SecurityGroupEgress rules (CidrIp, CidrIpv6,
    Source/DestinationSecurityGroupId, SourceSecurityGroupName/OwnerId,
    Source/DestinationPrefixListId, Description; ports omitted for
    IpProtocol -1) are what DescribeSecurityGroups reports. "When you specify
    a VPC security group, Amazon EC2 creates a default egress rule that allows
    egress traffic on all ports and IP protocols to any location. The default
    rule is removed only when you specify one or more egress rules."
    SecurityGroupIngress, SecurityGroupEgress and Tags update without
    interruption (rules no longer in the template are revoked, new ones
    authorized, the group keeps its ID); GroupDescription, GroupName and VpcId
    changes replace the group. A rule already revoked outside CloudFormation
    is not an error when the update revokes it. Prefix-list rule
    descriptions are not stored by moto's rule model.

When to drop
    test/fidelity/ec2-security-group-cfn.test.ts asserts stock moto keeps the
    default egress and loses descriptions. When that fails on a newer moto,
    drop this module and its test.
"""
from typing import Any, Optional

from _patch_util import already_patched, set_classmethod

_REPLACE_ON = ("GroupDescription", "GroupName", "VpcId")
_ALL_EGRESS = {"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}


def _rule_args(rule: dict, egress: bool) -> dict:
    """A template rule as the backend's authorize/revoke keyword arguments."""
    description = rule.get("Description")
    with_description = {"Description": description} if description else {}
    ip_ranges = []
    if rule.get("CidrIp"):
        ip_ranges.append({"CidrIp": rule["CidrIp"], **with_description})
    if rule.get("CidrIpv6"):
        ip_ranges.append({"CidrIpv6": rule["CidrIpv6"], **with_description})
    source_groups = []
    group_id = rule.get("DestinationSecurityGroupId" if egress else "SourceSecurityGroupId")
    group_name = None if egress else rule.get("SourceSecurityGroupName")
    if group_id or group_name:
        pair = {"GroupId": group_id} if group_id else {"GroupName": group_name}
        if rule.get("SourceSecurityGroupOwnerId"):
            pair["UserId"] = rule["SourceSecurityGroupOwnerId"]
        source_groups.append({**pair, **with_description})
    prefix = rule.get("DestinationPrefixListId" if egress else "SourcePrefixListId")
    protocol = str(rule.get("IpProtocol"))
    ports = (None, None) if protocol in ("-1", "all") else (rule.get("FromPort"), rule.get("ToPort"))
    return {
        "ip_protocol": protocol,
        "from_port": ports[0],
        "to_port": ports[1],
        "ip_ranges": ip_ranges,
        "source_groups": source_groups,
        "prefix_list_ids": [{"PrefixListId": prefix}] if prefix else [],
    }


def _rules(properties: dict, egress: bool) -> list:
    rules = list(properties.get("SecurityGroupEgress" if egress else "SecurityGroupIngress") or [])
    if egress and not rules:
        return [dict(_ALL_EGRESS)]
    return rules


def _key(rule: dict) -> str:
    import json

    return json.dumps({k: str(v) for k, v in rule.items() if v is not None}, sort_keys=True)


def apply() -> None:
    from moto.ec2.exceptions import InvalidPermissionNotFoundError
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.security_groups import SecurityGroup as cls

    if already_patched(cls, __name__):
        return

    def authorize(backend: Any, group: Any, rule: dict, egress: bool) -> None:
        method = backend.authorize_security_group_egress if egress else backend.authorize_security_group_ingress
        method(group_name_or_id=group.id, vpc_id=group.vpc_id, **_rule_args(rule, egress))

    def revoke(backend: Any, group: Any, rule: dict, egress: bool) -> None:
        method = backend.revoke_security_group_egress if egress else backend.revoke_security_group_ingress
        try:
            method(group_name_or_id=group.id, vpc_id=group.vpc_id, **_rule_args(rule, egress))
        except InvalidPermissionNotFoundError:
            pass  # already revoked outside CloudFormation

    def set_rules(backend: Any, group: Any, old: Optional[dict], new: dict) -> None:
        for egress in (False, True):
            before = _rules(old, egress) if old is not None else ([dict(_ALL_EGRESS)] if egress else [])
            after = _rules(new, egress)
            after_keys = {_key(r) for r in after}
            before_keys = {_key(r) for r in before}
            for rule in before:
                if _key(rule) not in after_keys:
                    revoke(backend, group, rule, egress)
            for rule in after:
                if _key(rule) not in before_keys:
                    authorize(backend, group, rule, egress)

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json.get("Properties") or {}
        backend = ec2_backends[account_id][region_name]
        group = backend.create_security_group(
            name=properties.get("GroupName") or resource_name,
            description=properties.get("GroupDescription"),
            vpc_id=properties.get("VpcId"),
        )
        for tag in properties.get("Tags") or []:
            group.add_tag(tag["Key"], tag["Value"])
        set_rules(backend, group, None, properties)
        group._breakfix_cfn_properties = properties
        return group

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json.get("Properties") or {}
        before = getattr(original_resource, "_breakfix_cfn_properties", None) or {}
        if any(before.get(key) != properties.get(key) for key in _REPLACE_ON):
            new = create_from_cloudformation_json(klass, new_resource_name, cloudformation_json, account_id, region_name)
            original_resource.delete(account_id, region_name)
            return new
        backend = ec2_backends[account_id][region_name]
        set_rules(backend, original_resource, before, properties)
        for tag in properties.get("Tags") or []:
            original_resource.add_tag(tag["Key"], tag["Value"])
        original_resource._breakfix_cfn_properties = properties
        return original_resource

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
