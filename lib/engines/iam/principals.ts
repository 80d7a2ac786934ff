import { splitArn, type PrincipalInfo } from './arn';
import type { PrincipalSpec } from './parse';

/**
 * How a Principal element names the caller, strongest first:
 * - direct: the caller's own ARN (user, role session), its service name, or "*"
 * - issuer: the role behind a role session, or the IAM user behind a federated-user session
 * - account: the caller's account (12-digit id or arn:...:root)
 */
export type PrincipalMatch = 'direct' | 'issuer' | 'account' | 'none';

const RANK: Record<PrincipalMatch, number> = { direct: 3, issuer: 2, account: 1, none: 0 };

function accountOf(entry: string): string | null {
  if (/^\d{12}$/.test(entry)) return entry;
  const parts = splitArn(entry);
  if (parts && parts.service === 'iam' && parts.resource === 'root' && /^\d{12}$/.test(parts.account)) return parts.account;
  return null;
}

/** Is `entry` the ARN of the role that `caller` (a role session) was assumed from? Role names are case-insensitive. */
function isIssuingRole(entry: string, caller: Extract<PrincipalInfo, { kind: 'assumed-role' }>): boolean {
  if (caller.issuer !== undefined) return entry === caller.issuer;
  const parts = splitArn(entry);
  if (!parts || parts.service !== 'iam' || !parts.resource.startsWith('role/')) return false;
  if (parts.partition !== caller.partition || parts.account !== caller.account) return false;
  const name = parts.resource.slice(parts.resource.lastIndexOf('/') + 1);
  return name.toLowerCase() === caller.roleName.toLowerCase();
}

function awsEntryMatch(entry: string, caller: PrincipalInfo): PrincipalMatch {
  if (caller.kind === 'service') return 'none';
  const account = accountOf(entry);
  if (account !== null) return account === caller.account ? 'account' : 'none';
  // Principal ARNs take no partial wildcards, so they compare as text.
  if (entry === caller.arn) return caller.kind === 'role' ? 'issuer' : 'direct';
  if (caller.kind === 'assumed-role' && isIssuingRole(entry, caller)) return 'issuer';
  if (caller.kind === 'federated-user' && entry === (caller.issuer ?? `arn:${caller.partition}:iam::${caller.account}:user/${caller.name}`))
    return 'issuer';
  return 'none';
}

/** The strongest way any entry of a Principal element names the caller. */
export function principalMatch(spec: PrincipalSpec, caller: PrincipalInfo): PrincipalMatch {
  if (spec.wildcard) return 'direct';
  let best: PrincipalMatch = 'none';
  const consider = (m: PrincipalMatch) => {
    if (RANK[m] > RANK[best]) best = m;
  };
  if (caller.kind === 'service') {
    if (spec.service.includes(caller.service)) consider('direct');
    return best;
  }
  for (const entry of spec.aws) consider(awsEntryMatch(entry, caller));
  for (const entry of [...spec.federated, ...spec.canonicalUser]) if (entry === caller.arn) consider('direct');
  return best;
}

/**
 * NotPrincipal: AWS checks the caller at each level (account, then role or user, then session),
 * so the caller escapes the statement only when every level is listed.
 */
export function excludedByNotPrincipal(spec: PrincipalSpec, caller: PrincipalInfo): boolean {
  if (spec.wildcard) return true;
  if (caller.kind === 'service') return spec.service.includes(caller.service);
  const entries = [...spec.aws, ...spec.federated, ...spec.canonicalUser];
  const listed = (test: (entry: string) => boolean) => entries.some(test);
  const accountListed = listed((e) => accountOf(e) === caller.account);
  switch (caller.kind) {
    case 'root':
      return accountListed;
    case 'user':
    case 'role':
    case 'federated-user':
      return accountListed && listed((e) => e === caller.arn);
    case 'assumed-role':
      return accountListed && listed((e) => isIssuingRole(e, caller)) && listed((e) => e === caller.arn);
  }
}
