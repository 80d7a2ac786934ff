import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';

export interface LabVpcProps {
  /** The VPC's IPv4 range; give each scenario its own, so labs are told apart at a glance. */
  readonly cidr: string;
  /**
   * What the subnets reach: `private-isolated` (no route out of the VPC: no
   * NAT, no internet gateway) or `public` (an internet gateway as default route).
   * @default 'private-isolated'
   */
  readonly reach?: 'private-isolated' | 'public';
  /** Name of the one subnet group, which scenarios select by. @default 'app' */
  readonly subnetGroupName?: string;
  /** Availability zones, one subnet each. @default 2 */
  readonly maxAzs?: number;
  /** Subnet size. @default 24 */
  readonly cidrMask?: number;
}

/**
 * The lab VPC breakfix scenarios share: one subnet group over two AZs, no NAT
 * gateway (it costs money by the hour and no lab needs one), DNS support and
 * hostnames on (interface endpoints with private DNS need both), and the
 * default security group left as EC2 creates it (restricting it adds a
 * Lambda-backed custom resource, which emulators cannot run).
 *
 * It is an `ec2.Vpc`, so logical IDs and every Vpc API stay as they were.
 */
export class LabVpc extends ec2.Vpc {
  /** Selects the lab's subnets, e.g. for a service's vpcSubnets or an endpoint's subnets. */
  public readonly labSubnets: ec2.SubnetSelection;

  constructor(scope: Construct, id: string, props: LabVpcProps) {
    const subnetGroupName = props.subnetGroupName ?? 'app';
    if (props.cidrMask !== undefined && (props.cidrMask < 16 || props.cidrMask > 28))
      throw new Error(`LabVpc ${id}: cidrMask must be between 16 and 28 (a subnet AWS accepts), not ${props.cidrMask}.`);
    super(scope, id, {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      maxAzs: props.maxAzs ?? 2,
      natGateways: 0,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        {
          name: subnetGroupName,
          subnetType: (props.reach ?? 'private-isolated') === 'public' ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_ISOLATED,
          cidrMask: props.cidrMask ?? 24,
        },
      ],
    });
    this.labSubnets = { subnetGroupName };
  }
}
