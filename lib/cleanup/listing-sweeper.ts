/**
 * The half of a destroy plan that comes from the region listing: networking
 * resources listed now that were not there before the lab, belong to no
 * other live lab and are not the stack's own. They are the learner's, made
 * anywhere (in the lab VPC, or left in a VPC the learner's delete-stack
 * took away, where no lookup through the VPC finds them), and they are
 * deleted by the IDs the plan holds, after the stack, in dependency order.
 * Each step is idempotent (not found counts as done, by the names each call
 * documents); a refusal or throttling is never read as gone, so it stops
 * the sweep and destroy names what remains.
 */
import {
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DeleteVpcEndpointsCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  EC2Client,
  ReleaseAddressCommand,
} from '@aws-sdk/client-ec2';
import { DeleteTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ignoring } from '../toolkit/aws-errors';
import { revokeReferencesTo } from './security-group-references';
import type { ListedResource } from './region-listing';

export interface PlannedResource {
  readonly type: string;
  readonly resource: ListedResource;
}

/** Listing types the sweep deletes, in the order that frees each one's dependants first. */
export const SWEEP_ORDER: readonly string[] = [
  'elbv2:target-group',
  'ec2:vpc-endpoint',
  'ec2:nat-gateway',
  'ec2:elastic-ip',
  'ec2:internet-gateway',
  'ec2:security-group',
  'ec2:route-table',
  'ec2:subnet',
  'ec2:vpc',
];

type Deleter = (ec2: EC2Client, r: ListedResource, elb?: ElasticLoadBalancingV2Client) => Promise<void>;

const DELETERS: Readonly<Record<string, Deleter>> = {
  // A learner's target group outlives the lab's load balancer, listener and VPC (it holds no network interface);
  // the stack's listener took the learner's rules with it, so nothing references it any more.
  'elbv2:target-group': async (_ec2, r, elb) => {
    if (!elb) throw new Error('no Elastic Load Balancing client to delete it with');
    await ignoring(['TargetGroupNotFoundException'], elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: r.id })));
  },
  'ec2:vpc-endpoint': async (ec2, r) => {
    // AWS reports a failed endpoint delete in Unsuccessful, not as an error: a not-found there is done, anything else is not.
    const out = await ignoring(
      ['InvalidVpcEndpoint.NotFound', 'InvalidVpcEndpointId.NotFound'],
      ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [r.id] })),
    );
    const failed = (out?.Unsuccessful ?? []).find((u) => !/NotFound$/.test(u.Error?.Code ?? ''));
    if (failed) throw new Error(`${failed.Error?.Code}: ${failed.Error?.Message}`);
  },
  'ec2:nat-gateway': async (ec2, r) => {
    await ignoring(['NatGatewayNotFound', 'InvalidNatGatewayID.NotFound'], ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: r.id })));
  },
  'ec2:elastic-ip': async (ec2, r) => {
    await ignoring(['InvalidAllocationID.NotFound'], ec2.send(new ReleaseAddressCommand({ AllocationId: r.id })));
  },
  'ec2:internet-gateway': async (ec2, r) => {
    const found = await ignoring(
      ['InvalidInternetGatewayID.NotFound'],
      ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [r.id] })),
    );
    for (const a of found?.InternetGateways?.[0]?.Attachments ?? [])
      await ignoring(
        ['Gateway.NotAttached', 'InvalidInternetGatewayID.NotFound', 'InvalidVpcID.NotFound'],
        ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: r.id, VpcId: a.VpcId })),
      );
    await ignoring(['InvalidInternetGatewayID.NotFound'], ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: r.id })));
  },
  'ec2:security-group': async (ec2, r) => {
    await revokeReferencesTo(ec2, [r.id]);
    await ignoring(['InvalidGroup.NotFound', 'InvalidGroupId.NotFound'], ec2.send(new DeleteSecurityGroupCommand({ GroupId: r.id })));
  },
  'ec2:route-table': async (ec2, r) => {
    const found = await ignoring(['InvalidRouteTableID.NotFound'], ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [r.id] })));
    const table = found?.RouteTables?.[0];
    if (!table || table.Associations?.some((a) => a.Main)) return; // a VPC's main table goes with its VPC
    for (const a of table.Associations ?? [])
      if (a.RouteTableAssociationId)
        await ignoring(
          ['InvalidAssociationID.NotFound'],
          ec2.send(new DisassociateRouteTableCommand({ AssociationId: a.RouteTableAssociationId })),
        );
    await ignoring(['InvalidRouteTableID.NotFound'], ec2.send(new DeleteRouteTableCommand({ RouteTableId: r.id })));
  },
  'ec2:subnet': async (ec2, r) => {
    await ignoring(['InvalidSubnetID.NotFound'], ec2.send(new DeleteSubnetCommand({ SubnetId: r.id })));
  },
  'ec2:vpc': async (ec2, r) => {
    await ignoring(['InvalidVpcID.NotFound'], ec2.send(new DeleteVpcCommand({ VpcId: r.id })));
  },
};

/** Default security groups go with their VPC; AWS refuses to delete them on their own. */
const isDefaultGroup = (p: PlannedResource) => p.type === 'ec2:security-group' && / default \(VPC /.test(p.resource.line);

/**
 * Deletes the planned resources a deleter covers, in SWEEP_ORDER, each tried
 * twice (a dependant deleted later in the same pass can free it). Returns
 * the lines removed and, for each one that could not be removed, the line
 * and why; it never throws for a single resource.
 */
export async function sweepPlannedNetwork(
  ec2: EC2Client,
  planned: readonly PlannedResource[],
  elb?: ElasticLoadBalancingV2Client,
): Promise<{ removed: string[]; failed: string[] }> {
  const todo = planned.filter((p) => DELETERS[p.type] && !isDefaultGroup(p));
  todo.sort((a, b) => SWEEP_ORDER.indexOf(a.type) - SWEEP_ORDER.indexOf(b.type));
  const removed: string[] = [];
  let errors = new Map<PlannedResource, string>();
  for (let pass = 0; pass < 2 && todo.length; pass++) {
    errors = new Map();
    for (const p of [...todo]) {
      try {
        await DELETERS[p.type](ec2, p.resource, elb);
        removed.push(`${p.resource.line} (created outside the stack)`);
        todo.splice(todo.indexOf(p), 1);
      } catch (err) {
        errors.set(p, `${(err as Error).name}: ${(err as Error).message}`);
      }
    }
  }
  return { removed, failed: todo.map((p) => `${p.resource.line} (${errors.get(p) ?? 'not deleted'})`) };
}
