/**
 * patch_ec2_vpc_endpoint_cfn: AWS::EC2::VPCEndpoint from CloudFormation
 * returns its policy as JSON, applies the documented defaults, is deleted
 * with its stack, and survives stack updates.
 *
 * Also pins what stock moto already does right (gateway routes, interface
 * subnets and security groups), so a regression there shows up here.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import {
  clientConfig,
  cloneTemplate,
  createStack,
  deleteStack,
  Flavour,
  FLAVOURS,
  MotoPair,
  physicalIds,
  startMotoPair,
  Template,
  updateStack,
} from './cfn-harness';

const STACK = 'fidelity-vpce';
const DELETE_STACK = 'fidelity-vpce-delete';

const ECR_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage'], Resource: '*' }],
};

const network = (cidr: string): Template['Resources'] => ({
  Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: `${cidr}.0.0/16`, EnableDnsHostnames: true, EnableDnsSupport: true } },
  SubnetA: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: `${cidr}.1.0/24` } },
  SubnetB: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: `${cidr}.2.0/24` } },
  EndpointSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'endpoints', VpcId: { Ref: 'Vpc' } } },
});

const TEMPLATE: Template = {
  Resources: {
    ...network('10.60'),
    PrivateRt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
    // No VpcEndpointType: Gateway is the default.
    S3Gateway: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: { VpcId: { Ref: 'Vpc' }, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [{ Ref: 'PrivateRt' }] },
    },
    EcrApi: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcId: { Ref: 'Vpc' },
        ServiceName: 'com.amazonaws.us-east-1.ecr.api',
        VpcEndpointType: 'Interface',
        SubnetIds: [{ Ref: 'SubnetA' }],
        SecurityGroupIds: [{ Ref: 'EndpointSg' }],
        PrivateDnsEnabled: true,
        PolicyDocument: ECR_POLICY,
      },
    },
    // No PrivateDnsEnabled: false in CloudFormation.
    Logs: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcId: { Ref: 'Vpc' },
        ServiceName: 'com.amazonaws.us-east-1.logs',
        VpcEndpointType: 'Interface',
        SubnetIds: [{ Ref: 'SubnetA' }],
        SecurityGroupIds: [{ Ref: 'EndpointSg' }],
      },
    },
  },
};

/** Only interface endpoints, subnets and security groups: a stack stock moto can delete. */
const DELETE_TEMPLATE: Template = {
  Resources: {
    ...network('10.61'),
    Sts: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcId: { Ref: 'Vpc' },
        ServiceName: 'com.amazonaws.us-east-1.sts',
        VpcEndpointType: 'Interface',
        SubnetIds: [{ Ref: 'SubnetA' }],
        SecurityGroupIds: [{ Ref: 'EndpointSg' }],
      },
    },
  },
};

async function endpoint(ec2: EC2Client, id: string): Promise<VpcEndpoint> {
  const out = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }));
  return out.VpcEndpoints![0];
}

function isJson(text: string | undefined): boolean {
  try {
    JSON.parse(text ?? '');
    return true;
  } catch {
    return false;
  }
}

describe('AWS::EC2::VPCEndpoint via CloudFormation', () => {
  let motos: MotoPair;
  const ids = {} as Record<Flavour, Record<string, string>>;
  const clients = {} as Record<Flavour, { cfn: CloudFormationClient; ec2: EC2Client }>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const endpointUrl = motos[flavour].endpoint;
      clients[flavour] = { cfn: new CloudFormationClient(clientConfig(endpointUrl)), ec2: new EC2Client(clientConfig(endpointUrl)) };
      expect((await createStack(clients[flavour].cfn, STACK, TEMPLATE)).status).toBe('CREATE_COMPLETE');
      ids[flavour] = await physicalIds(clients[flavour].cfn, STACK);
    }
  });

  afterAll(async () => {
    for (const c of Object.values(clients)) {
      c.cfn.destroy();
      c.ec2.destroy();
    }
    await motos?.stop();
  });

  test.each(FLAVOURS)(
    '%s moto: the gateway endpoint routes its prefix list, the interface endpoint sits in its subnet',
    async (flavour) => {
      const { ec2 } = clients[flavour];
      const id = ids[flavour];
      const gw = await endpoint(ec2, id.S3Gateway);
      expect(gw.RouteTableIds).toEqual([id.PrivateRt]);
      const rt = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id.PrivateRt] }))).RouteTables![0];
      const route = rt.Routes?.find((r) => r.GatewayId === id.S3Gateway);
      expect(route?.DestinationPrefixListId).toMatch(/^pl-/);
      expect(route?.State).toBe('active');

      const ecr = await endpoint(ec2, id.EcrApi);
      expect(ecr.VpcEndpointType).toBe('Interface');
      expect(ecr.SubnetIds).toEqual([id.SubnetA]);
      expect(ecr.Groups?.map((g) => g.GroupId)).toEqual([id.EndpointSg]);
      expect(ecr.PrivateDnsEnabled).toBe(true);
      expect(ecr.NetworkInterfaceIds).toHaveLength(1);
    },
  );

  test('stock moto returns a non-JSON policy and leaves the defaults unset (patch still needed)', async () => {
    const { ec2 } = clients.stock;
    const ecr = await endpoint(ec2, ids.stock.EcrApi);
    expect(isJson(ecr.PolicyDocument)).toBe(false);
    expect(ecr.PolicyDocument).toContain("'Version': '2012-10-17'");
    expect((await endpoint(ec2, ids.stock.S3Gateway)).VpcEndpointType).toBeUndefined();
    expect((await endpoint(ec2, ids.stock.Logs)).PrivateDnsEnabled).toBeUndefined();
  });

  test('patched moto returns the policy as JSON and applies the documented defaults', async () => {
    const { ec2 } = clients.patched;
    const ecr = await endpoint(ec2, ids.patched.EcrApi);
    expect(JSON.parse(ecr.PolicyDocument!)).toEqual(ECR_POLICY);
    expect((await endpoint(ec2, ids.patched.S3Gateway)).VpcEndpointType).toBe('Gateway');
    expect((await endpoint(ec2, ids.patched.Logs)).PrivateDnsEnabled).toBe(false);
  });

  test('DeleteStack deletes the endpoint and its network interfaces', async () => {
    const remaining = {} as Record<Flavour, { state?: string; enis: number }>;
    for (const flavour of FLAVOURS) {
      const { cfn, ec2 } = clients[flavour];
      expect((await createStack(cfn, DELETE_STACK, DELETE_TEMPLATE)).status).toBe('CREATE_COMPLETE');
      const id = await physicalIds(cfn, DELETE_STACK);
      const enis = (await endpoint(ec2, id.Sts)).NetworkInterfaceIds ?? [];
      expect(enis).toHaveLength(1);
      await deleteStack(cfn, DELETE_STACK);
      const left = await ec2.send(new DescribeNetworkInterfacesCommand({}));
      const listed = (await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? [];
      remaining[flavour] = {
        state: listed.find((e) => e.VpcEndpointId === id.Sts)?.State,
        enis: (left.NetworkInterfaces ?? []).filter((n) => enis.includes(n.NetworkInterfaceId!)).length,
      };
    }
    expect(remaining.stock).toEqual({ state: 'available', enis: 1 });
    // Deleted, so no longer listed (patch_ec2_vpc_endpoint_route_tables).
    expect(remaining.patched).toEqual({ state: undefined, enis: 0 });
  });

  test('a stack update changes policy, private DNS and subnets in place', async () => {
    const updated = cloneTemplate(TEMPLATE);
    const props = updated.Resources.EcrApi.Properties!;
    props.PrivateDnsEnabled = false;
    props.SubnetIds = [{ Ref: 'SubnetA' }, { Ref: 'SubnetB' }];
    delete props.PolicyDocument;
    for (const flavour of FLAVOURS) {
      expect(await updateStack(clients[flavour].cfn, STACK, updated)).toBe('UPDATE_COMPLETE');
    }
    expect(isJson((await endpoint(clients.stock.ec2, ids.stock.EcrApi)).PolicyDocument)).toBe(false);

    const { cfn, ec2 } = clients.patched;
    const after = await physicalIds(cfn, STACK);
    expect(after.EcrApi).toBe(ids.patched.EcrApi);
    const ecr = await endpoint(ec2, after.EcrApi);
    expect(ecr.State).toBe('available');
    expect(ecr.PrivateDnsEnabled).toBe(false);
    expect(ecr.SubnetIds).toEqual([ids.patched.SubnetA, ids.patched.SubnetB]);
    expect(ecr.NetworkInterfaceIds).toHaveLength(2);
    // Without PolicyDocument the endpoint gets the default full-access policy.
    expect(JSON.parse(ecr.PolicyDocument!)).toMatchObject({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
  });
});
