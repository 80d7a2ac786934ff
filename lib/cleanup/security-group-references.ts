/**
 * Security-group rules that reference a group by ID. AWS refuses to delete a
 * group while another group's rule references it (DependencyViolation), so
 * before a learner's group goes, the rules elsewhere that name it are
 * revoked; and before a lab's stack goes, the rules a learner added to
 * groups outside the stack that name a lab group. Only the referencing
 * permission is revoked: the rest of the other group stays as it was.
 */
import {
  EC2Client,
  IpPermission,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  paginateDescribeSecurityGroups,
} from '@aws-sdk/client-ec2';
import { collectPages } from '../core/paging';
import { ignoring } from '../toolkit/aws-errors';

/** The part of each permission that references one of `ids`, or nothing. */
function referencing(perms: readonly IpPermission[] | undefined, ids: ReadonlySet<string>): IpPermission[] {
  const out: IpPermission[] = [];
  for (const p of perms ?? []) {
    const pairs = (p.UserIdGroupPairs ?? []).filter((g) => g.GroupId && ids.has(g.GroupId));
    if (pairs.length)
      out.push({
        IpProtocol: p.IpProtocol,
        FromPort: p.FromPort,
        ToPort: p.ToPort,
        UserIdGroupPairs: pairs.map((g) => ({ GroupId: g.GroupId })),
      });
  }
  return out;
}

/**
 * Revokes, in every group of the region except `except`, the ingress and
 * egress permissions that reference one of `ids`. Returns one line per
 * group changed. Listing by filter would miss egress references on some
 * targets, so every group is read.
 */
export async function revokeReferencesTo(
  ec2: EC2Client,
  ids: readonly string[],
  except: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  if (!ids.length) return [];
  const wanted = new Set(ids);
  const groups = await collectPages(paginateDescribeSecurityGroups({ client: ec2 }, {}), (p) => p.SecurityGroups);
  const changed: string[] = [];
  for (const g of groups) {
    if (!g.GroupId || except.has(g.GroupId)) continue;
    const ingress = referencing(g.IpPermissions, wanted);
    const egress = referencing(g.IpPermissionsEgress, wanted);
    const gone = ['InvalidGroup.NotFound', 'InvalidPermission.NotFound'];
    if (ingress.length)
      await ignoring(gone, ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: ingress })));
    if (egress.length) await ignoring(gone, ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: g.GroupId, IpPermissions: egress })));
    if (ingress.length || egress.length) changed.push(`rules of security group ${g.GroupId} that reference ${[...wanted].join(', ')}`);
  }
  return changed;
}
