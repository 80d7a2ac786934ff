import { IamPolicyError } from './errors';

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon; may itself contain colons. */
  resource: string;
}

/** Splits an ARN into its six parts, or null if it has fewer than six. */
export function splitArn(arn: string): ArnParts | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  return {
    partition: parts[1],
    service: parts[2],
    region: parts[3],
    account: parts[4],
    resource: parts.slice(5).join(':'),
  };
}

export type PrincipalInfo =
  | { kind: 'user'; arn: string; partition: string; account: string; name: string }
  | { kind: 'role'; arn: string; partition: string; account: string; name: string; serviceLinked: boolean }
  | {
      kind: 'assumed-role';
      arn: string;
      partition: string;
      account: string;
      roleName: string;
      sessionName: string;
      /** The role's ARN with its path, when the caller gave it. */
      issuer?: string;
      serviceLinked: boolean;
    }
  | { kind: 'federated-user'; arn: string; partition: string; account: string; name: string; issuer?: string }
  | { kind: 'root'; arn: string; partition: string; account: string }
  | { kind: 'service'; arn: string; service: string; account?: undefined };

const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i;

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Service-linked roles live under the path /aws-service-role/ ("Using service-linked roles"). */
const SERVICE_LINKED_PATH = /^role\/aws-service-role\//;

/** Classifies the caller of a request. Unrecognised shapes are errors, not guesses. */
export function classifyPrincipal(arn: string, sessionIssuerArn?: string): PrincipalInfo {
  if (SERVICE_PRINCIPAL.test(arn)) return { kind: 'service', arn, service: arn };
  const parts = splitArn(arn);
  if (!parts || !/^\d{12}$/.test(parts.account)) {
    throw new IamPolicyError(
      `principal "${arn}" is not an IAM user, role, role session, federated user, account root or service principal`,
    );
  }
  const { partition, account, resource } = parts;
  if (parts.service === 'iam') {
    if (resource === 'root') return { kind: 'root', arn, partition, account };
    if (resource.startsWith('user/')) return { kind: 'user', arn, partition, account, name: lastSegment(resource) };
    if (resource.startsWith('role/'))
      return { kind: 'role', arn, partition, account, name: lastSegment(resource), serviceLinked: SERVICE_LINKED_PATH.test(resource) };
  }
  if (parts.service === 'sts') {
    const segments = resource.split('/');
    if (segments[0] === 'assumed-role' && segments.length >= 3) {
      const roleName = segments[1];
      if (sessionIssuerArn !== undefined) {
        const issuer = splitArn(sessionIssuerArn);
        if (
          !issuer ||
          issuer.service !== 'iam' ||
          issuer.account !== account ||
          lastSegment(issuer.resource) !== roleName ||
          !issuer.resource.startsWith('role/')
        )
          throw new IamPolicyError(`sessionIssuerArn ${sessionIssuerArn} is not the role ${roleName} of ${arn}`);
      }
      return {
        kind: 'assumed-role',
        arn,
        partition,
        account,
        roleName,
        sessionName: segments.slice(2).join('/'),
        issuer: sessionIssuerArn,
        serviceLinked: sessionIssuerArn !== undefined && SERVICE_LINKED_PATH.test(splitArn(sessionIssuerArn)!.resource),
      };
    }
    if (segments[0] === 'federated-user' && segments.length >= 2) {
      if (sessionIssuerArn !== undefined && !/^arn:[^:]+:iam::\d{12}:user\//.test(sessionIssuerArn))
        throw new IamPolicyError(`sessionIssuerArn ${sessionIssuerArn} of federated user ${arn} is not an IAM user`);
      return { kind: 'federated-user', arn, partition, account, name: segments.slice(1).join('/'), issuer: sessionIssuerArn };
    }
  }
  throw new IamPolicyError(`principal "${arn}" is not an IAM user, role, role session, federated user, account root or service principal`);
}
