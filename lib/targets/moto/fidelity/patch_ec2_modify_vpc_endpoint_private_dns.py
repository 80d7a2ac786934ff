"""ModifyVpcEndpoint honours PrivateDnsEnabled.

Defect in stock moto 5.2.1
    The ModifyVpcEndpoint handler reads subnets, route tables, security
    groups and the policy, but ignores PrivateDnsEnabled, so a learner who
    turns private DNS off (or on) sees no change in DescribeVpcEndpoints.

AWS behaviour restored
    "ModifyVpcEndpoint" (Amazon EC2 API Reference): PrivateDnsEnabled
    "(Interface endpoint) Indicates whether a private hosted zone is
    associated with the VPC"; the new value is what DescribeVpcEndpoints
    reports afterwards.

When to drop
    test/fidelity/ec2-modify-vpc-endpoint-private-dns.test.ts asserts stock
    moto ignores the parameter. When that fails on a newer moto, drop this
    module and its test.
"""
from _patch_util import already_patched


def apply() -> None:
    from moto.ec2.responses.vpcs import VPCs

    if already_patched(VPCs, "modify_vpc_endpoint_private_dns"):
        return
    original = VPCs.modify_vpc_endpoint

    def modify_vpc_endpoint(self):
        result = original(self)
        value = self._get_param("PrivateDnsEnabled")
        if value is not None:
            endpoint = self.ec2_backend.describe_vpc_endpoints(vpc_end_point_ids=[self._get_param("VpcEndpointId")])[0]
            endpoint.private_dns_enabled = str(value).lower() == "true"
        return result

    VPCs.modify_vpc_endpoint = modify_vpc_endpoint
