/**
 * patch_ec2_security_group_cfn: AWS::EC2::SecurityGroup from CloudFormation
 * has exactly the ingress and egress rules of its template (descriptions
 * included; given egress rules replace the default allow-all), and an update
 * changes the rules in place, keeping the group's ID.
 *
 * AWS sources: "AWS::EC2::SecurityGroup" (CloudFormation Template
 * Reference), "DescribeSecurityGroups" (Amazon EC2 API Reference).
 */
import { DescribeSecurityGroupsCommand, EC2Client, IpPermission } from '@aws-sdk/client-ec2';
import { clientConfig, cloneTemplate, Flavour, FLAVOURS, physicalIds, stackOnBothFlavours, Template, updateStack } from './cfn-harness';

const STACK = 'fidelity-sg';
const TEMPLATE: Template = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.80.0.0/16' } },
    AppSg: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'app',
        VpcId: { Ref: 'Vpc' },
        SecurityGroupIngress: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.80.0.0/16', Description: 'https from the VPC' },
        ],
        SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'https out' }],
      },
    },
  },
};

const PORT_CHANGE = cloneTemplate(TEMPLATE);
PORT_CHANGE.Resources.AppSg.Properties!.SecurityGroupIngress = [
  { IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, CidrIp: '10.80.0.0/16', Description: 'app port' },
];
// IpProtocol -1 takes no ports.
const ALL_TRAFFIC = cloneTemplate(PORT_CHANGE);
(ALL_TRAFFIC.Resources.AppSg.Properties!.SecurityGroupIngress as unknown[]).push({
  IpProtocol: '-1',
  CidrIp: '10.80.5.0/24',
  Description: 'ops subnet',
});

/** Rules as plain lines, one per address, sorted. */
function lines(perms: IpPermission[] | undefined): string[] {
  return (perms ?? [])
    .flatMap((p) =>
      (p.IpRanges ?? []).map(
        (r) => `${p.IpProtocol} ${p.FromPort ?? ''}-${p.ToPort ?? ''} ${r.CidrIp} ${r.Description ?? '(no description)'}`,
      ),
    )
    .sort();
}

describe('AWS::EC2::SecurityGroup rules via CloudFormation', () => {
  const { clients, ids } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({ ec2: new EC2Client(clientConfig(endpoint)) }));
  const seen = {} as Record<
    Flavour,
    {
      ingress: string[];
      egress: string[];
      afterPortChange: { id: string; ingress: string[] };
      allTraffic: { status?: number; ingress?: string[] };
    }
  >;

  const group = async (flavour: Flavour, id: string) =>
    (await clients[flavour].ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }))).SecurityGroups![0];

  beforeAll(async () => {
    for (const flavour of FLAVOURS) {
      const { cfn } = clients[flavour];
      const before = await group(flavour, ids[flavour].AppSg);
      expect(await updateStack(cfn, STACK, PORT_CHANGE)).toBe('UPDATE_COMPLETE');
      const id = (await physicalIds(cfn, STACK)).AppSg;
      const afterPortChange = { id, ingress: lines((await group(flavour, id)).IpPermissions) };
      let allTraffic: { status?: number; ingress?: string[] };
      try {
        await updateStack(cfn, STACK, ALL_TRAFFIC);
        allTraffic = { status: 200, ingress: lines((await group(flavour, (await physicalIds(cfn, STACK)).AppSg)).IpPermissions) };
      } catch (err) {
        allTraffic = { status: (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode };
      }
      seen[flavour] = { ingress: lines(before.IpPermissions), egress: lines(before.IpPermissionsEgress), afterPortChange, allTraffic };
    }
  });

  test('stock moto keeps the default allow-all egress and drops the descriptions (patch still needed)', () => {
    expect(seen.stock.egress).toEqual(['-1 - 0.0.0.0/0 (no description)']);
    expect(seen.stock.ingress).toEqual(['tcp 443-443 10.80.0.0/16 (no description)']);
  });

  test('patched moto has exactly the template rules, descriptions included', () => {
    expect(seen.patched.ingress).toEqual(['tcp 443-443 10.80.0.0/16 https from the VPC']);
    expect(seen.patched.egress).toEqual(['tcp 443-443 0.0.0.0/0 https out']);
  });

  test('stock moto replaces the group on update and cannot take a rule without ports (patch still needed)', () => {
    expect(seen.stock.afterPortChange.id).not.toBe(ids.stock.AppSg);
    expect(seen.stock.allTraffic.status).toBe(500);
  });

  test('patched moto updates the rules in place, keeping the group ID', () => {
    expect(seen.patched.afterPortChange).toEqual({ id: ids.patched.AppSg, ingress: ['tcp 8443-8443 10.80.0.0/16 app port'] });
    expect(seen.patched.allTraffic).toEqual({
      status: 200,
      ingress: ['-1 - 10.80.5.0/24 ops subnet', 'tcp 8443-8443 10.80.0.0/16 app port'],
    });
  });
});
