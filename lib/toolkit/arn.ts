/**
 * ARNs breakfix builds or takes apart. The partition always comes from an
 * ARN AWS returned (a role's, a table's), never assumed to be `aws`.
 */

/** The parts of an ARN: arn:partition:service:region:account:resource. */
export function arnParts(arn: string): { partition: string; service: string; region: string; account: string; resource: string } {
  const [prefix, partition, service, region, account, ...rest] = arn.split(':');
  if (prefix !== 'arn' || rest.length === 0) throw new Error(`${arn} is not an ARN.`);
  return { partition, service, region, account, resource: rest.join(':') };
}

/** The name of a role from its ARN, without any path: arn:aws:iam::1:role/service-role/x -> x. */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/**
 * The ARN a session of a role carries: arn:<partition>:sts::<account>:assumed-role/<role name>/<session>.
 * Role paths do not appear in it.
 */
export function sessionArnOf(roleArn: string, sessionName: string): string {
  const { partition, account } = arnParts(roleArn);
  return `arn:${partition}:sts::${account}:assumed-role/${roleNameOf(roleArn)}/${sessionName}`;
}
