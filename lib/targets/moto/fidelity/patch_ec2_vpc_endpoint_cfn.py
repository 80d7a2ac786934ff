"""AWS::EC2::VPCEndpoint created by CloudFormation stores its policy as JSON,
applies the documented defaults, and is deleted with its stack.

Defect in stock moto 5.2.1
    `VPCEndPoint.create_from_cloudformation_json` hands the template's
    PolicyDocument object to the model unchanged, so DescribeVpcEndpoints
    returns it as a Python repr ("{'Version': ...}"), which no JSON parser
    accepts. Without VpcEndpointType the endpoint has no type, and without
    PrivateDnsEnabled the field is missing. The model has no CloudFormation
    delete, so DeleteStack leaves the endpoint "available" with its network
    interfaces (interface endpoint) or its prefix-list routes (gateway
    endpoint), and no update, so a stack update drops it from the stack.

AWS behaviour restored
    "AWS::EC2::VPCEndpoint" (CloudFormation Template Reference) and
    "CreateVpcEndpoint" / "DescribeVpcEndpoints" (Amazon EC2 API Reference):
    PolicyDocument is returned as a JSON string; VpcEndpointType defaults to
    Gateway; in CloudFormation PrivateDnsEnabled defaults to false. Deleting
    the resource calls DeleteVpcEndpoints. PolicyDocument, PrivateDnsEnabled,
    RouteTableIds, SubnetIds and SecurityGroupIds update without
    interruption; ServiceName, VpcId and VpcEndpointType changes replace the
    endpoint.

When to drop
    test/fidelity/ec2-vpc-endpoint-cfn.test.ts asserts stock moto returns a
    non-JSON policy and keeps the endpoint after DeleteStack. When those
    assertions fail on a newer moto, drop this module and its test.
"""
from _patch_util import already_patched, cfn_bool, policy_json, set_classmethod


def _endpoint_type(properties: dict) -> str:
    return properties.get("VpcEndpointType") or "Gateway"


def apply() -> None:
    from moto.ec2.exceptions import InvalidRouteError, InvalidRouteTableIdError
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.vpcs import VPCEndPoint as cls
    from moto.ec2.utils import random_private_ip

    if already_patched(cls, __name__):
        return

    def _create(account_id: str, region_name: str, properties: dict):
        backend = ec2_backends[account_id][region_name]
        return backend.create_vpc_endpoint(
            vpc_id=properties.get("VpcId"),
            service_name=properties.get("ServiceName"),
            endpoint_type=_endpoint_type(properties),
            policy_document=policy_json(properties.get("PolicyDocument")),
            route_table_ids=list(properties.get("RouteTableIds") or []),
            subnet_ids=properties.get("SubnetIds"),
            security_group_ids=properties.get("SecurityGroupIds"),
            private_dns_enabled=cfn_bool(properties.get("PrivateDnsEnabled"), False),
        )

    def _delete(endpoint, account_id: str, region_name: str) -> None:
        if endpoint.state == "deleted":
            return
        backend = ec2_backends[account_id][region_name]
        if (endpoint.vpc_endpoint_type or "").lower() != "interface":
            # Remove the endpoint's routes here, tolerating ones already gone,
            # so DeleteVpcEndpoints has none left to trip over.
            for rt_id in endpoint.route_table_ids or []:
                if endpoint.destination_prefix_list_id:
                    try:
                        backend.delete_route(rt_id, None, destination_prefix_list_id=endpoint.destination_prefix_list_id)
                    except (InvalidRouteError, InvalidRouteTableIdError):
                        pass
            endpoint.route_table_ids = []
        backend.delete_vpc_endpoints([endpoint.id])

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        return _create(account_id, region_name, cloudformation_json["Properties"])

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        if (
            properties.get("VpcId") != original_resource.vpc_id
            or properties.get("ServiceName") != original_resource.service_name
            or _endpoint_type(properties).lower() != (original_resource.vpc_endpoint_type or "gateway").lower()
        ):
            new = _create(account_id, region_name, properties)
            _delete(original_resource, account_id, region_name)
            return new

        backend = ec2_backends[account_id][region_name]
        endpoint = original_resource
        # Route tables: the model keeps the list, the backend owns the routes.
        wanted_rts = list(properties.get("RouteTableIds") or [])
        for rt_id in [r for r in endpoint.route_table_ids or [] if r not in wanted_rts]:
            if endpoint.destination_prefix_list_id:
                try:
                    backend.delete_route(rt_id, None, destination_prefix_list_id=endpoint.destination_prefix_list_id)
                except (InvalidRouteError, InvalidRouteTableIdError):
                    pass
        for rt_id in [r for r in wanted_rts if r not in (endpoint.route_table_ids or [])]:
            if endpoint.destination_prefix_list_id:
                backend.create_route(
                    rt_id, None, gateway_id=endpoint.id, destination_prefix_list_id=endpoint.destination_prefix_list_id
                )
        endpoint.route_table_ids = wanted_rts
        if (endpoint.vpc_endpoint_type or "").lower() == "interface":
            wanted_subnets = list(properties.get("SubnetIds") or [])
            current = list(endpoint.subnet_ids or [])
            # One network interface per subnet, as CreateVpcEndpoint made them.
            for eni_id in list(endpoint.network_interface_ids):
                eni = backend.enis.get(eni_id)
                if eni is None or eni.subnet.id not in wanted_subnets:
                    backend.enis.pop(eni_id, None)
                    endpoint.network_interface_ids.remove(eni_id)
            for subnet_id in [s for s in wanted_subnets if s not in current]:
                backend.get_subnet(subnet_id)
                eni = backend.create_network_interface(subnet_id, random_private_ip())
                endpoint.network_interface_ids.append(eni.id)
            endpoint.subnet_ids = wanted_subnets
        endpoint.security_group_ids = list(properties.get("SecurityGroupIds") or [])
        endpoint.policy_document = policy_json(properties.get("PolicyDocument")) or policy_json(cls.DEFAULT_POLICY)
        endpoint.private_dns_enabled = cfn_bool(properties.get("PrivateDnsEnabled"), False)
        return endpoint

    def delete(self, account_id: str, region_name: str) -> None:
        _delete(self, account_id, region_name)

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
    cls.delete = delete
