"""AWS::EC2::VPC created by CloudFormation honours EnableDnsSupport and
EnableDnsHostnames.

Defect in stock moto 5.2.1
    `VPC.create_from_cloudformation_json` reads only CidrBlock,
    InstanceTenancy and Tags. DescribeVpcAttribute reports enableDnsHostnames
    false and enableDnsSupport true whatever the template says. VPC has no
    CloudFormation update either, so a stack update that touches the VPC
    loses the resource from the stack.

AWS behaviour restored
    "AWS::EC2::VPC" (CloudFormation Template Reference): EnableDnsSupport
    (default true) and EnableDnsHostnames (default false for a nondefault
    VPC) set the VPC attributes that DescribeVpcAttribute
    ("DescribeVpcAttribute", Amazon EC2 API Reference) returns. Both update
    without interruption; removing one from the template restores its
    default. CidrBlock, Ipv4IpamPoolId and InstanceTenancy changes require
    replacement, which this module does not emulate (the VPC is kept).

When to drop
    test/fidelity/ec2-vpc-dns-attributes-cfn.test.ts asserts stock moto
    ignores the two properties. When that assertion fails on a newer moto,
    drop this module and its test.
"""
from _patch_util import already_patched, cfn_bool, original_classmethod, set_classmethod


def _apply_dns_attributes(vpc, properties: dict) -> None:
    vpc.enable_dns_support = cfn_bool(properties.get("EnableDnsSupport"), True)
    vpc.enable_dns_hostnames = cfn_bool(properties.get("EnableDnsHostnames"), False)


def apply() -> None:
    from moto.ec2.models.vpcs import VPC as cls

    if already_patched(cls, __name__):
        return
    stock_create = original_classmethod(cls, "create_from_cloudformation_json")

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        vpc = stock_create(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        _apply_dns_attributes(vpc, cloudformation_json["Properties"])
        return vpc

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        _apply_dns_attributes(original_resource, cloudformation_json["Properties"])
        return original_resource

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
