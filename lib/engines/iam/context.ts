import { classifyPrincipal } from './arn';
import type { ContextValue, RequestContext } from './types';

/** Case-insensitive view of the request context; values normalised to strings. */
export class ContextLookup {
  private readonly values = new Map<string, string | string[]>();

  constructor(context: RequestContext = {}) {
    for (const [key, value] of Object.entries(context)) {
      this.values.set(key.toLowerCase(), Array.isArray(value) ? value.map(String) : String(value));
    }
  }

  has(key: string): boolean {
    return this.values.has(key.toLowerCase());
  }

  /** A string for a single-valued key, an array for a multivalued key, undefined when absent. */
  get(key: string): string | string[] | undefined {
    return this.values.get(key.toLowerCase());
  }
}

export interface BaseContextInput {
  principalArn: string;
  principalAccount?: string;
  /** The role's full ARN (with path) for an assumed-role session; derived without path otherwise. */
  roleArn?: string;
  /** Unique id of the user or role (AIDA.../AROA...); aws:userid is "ROLEID:session" for sessions. */
  uniqueId?: string;
  principalTags?: Record<string, string>;
  principalOrgId?: string;
  sourceIp?: string;
  sourceVpce?: string;
  sourceVpc?: string;
  /** Defaults to true: SDK requests use TLS unless told otherwise. */
  secureTransport?: boolean;
  /** Defaults to the time of the call. */
  currentTime?: Date;
  requestedRegion?: string;
  /** Further keys (service keys such as s3:prefix); these win over the derived ones. */
  extra?: RequestContext;
}

/**
 * The global condition keys AWS would put in a request made by `principalArn`.
 * Only keys that can be derived (or are given) are set: an absent key behaves differently from an empty one.
 */
export function baseContext(input: BaseContextInput): RequestContext {
  const principal = classifyPrincipal(input.principalArn);
  const account = input.principalAccount ?? principal.account;
  const ctx: Record<string, ContextValue> = {};
  const now = input.currentTime ?? new Date();
  ctx['aws:CurrentTime'] = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  ctx['aws:EpochTime'] = String(Math.floor(now.getTime() / 1000));
  ctx['aws:SecureTransport'] = String(input.secureTransport ?? true);
  ctx['aws:PrincipalIsAWSService'] = String(principal.kind === 'service');

  if (principal.kind === 'service') {
    ctx['aws:PrincipalServiceName'] = principal.service;
  } else {
    if (account) ctx['aws:PrincipalAccount'] = account;
    switch (principal.kind) {
      case 'user':
        ctx['aws:PrincipalArn'] = input.principalArn;
        ctx['aws:PrincipalType'] = 'User';
        ctx['aws:username'] = principal.name;
        if (input.uniqueId) ctx['aws:userid'] = input.uniqueId;
        break;
      case 'assumed-role':
        // For a role session aws:PrincipalArn is the role's ARN, not the session's.
        ctx['aws:PrincipalArn'] = input.roleArn ?? `arn:${principal.partition}:iam::${principal.account}:role/${principal.roleName}`;
        ctx['aws:PrincipalType'] = 'AssumedRole';
        if (input.uniqueId) ctx['aws:userid'] = `${input.uniqueId}:${principal.sessionName}`;
        break;
      case 'role':
        ctx['aws:PrincipalArn'] = input.principalArn;
        ctx['aws:PrincipalType'] = 'AssumedRole';
        break;
      case 'federated-user':
        ctx['aws:PrincipalArn'] = input.principalArn;
        ctx['aws:PrincipalType'] = 'FederatedUser';
        if (account) ctx['aws:userid'] = `${account}:${principal.name}`;
        break;
      case 'root':
        ctx['aws:PrincipalArn'] = input.principalArn;
        ctx['aws:PrincipalType'] = 'Account';
        if (account) ctx['aws:userid'] = account;
        break;
    }
  }
  for (const [tag, value] of Object.entries(input.principalTags ?? {})) ctx[`aws:PrincipalTag/${tag}`] = value;
  if (input.principalOrgId) ctx['aws:PrincipalOrgID'] = input.principalOrgId;
  if (input.sourceIp) ctx['aws:SourceIp'] = input.sourceIp;
  if (input.sourceVpce) ctx['aws:SourceVpce'] = input.sourceVpce;
  if (input.sourceVpc) ctx['aws:SourceVpc'] = input.sourceVpc;
  if (input.requestedRegion) ctx['aws:RequestedRegion'] = input.requestedRegion;
  return mergeContext(ctx, input.extra ?? {});
}

/** Merges contexts case-insensitively; later keys replace earlier ones. */
export function mergeContext(...contexts: RequestContext[]): RequestContext {
  const byLower = new Map<string, [string, ContextValue]>();
  for (const context of contexts) {
    for (const [key, value] of Object.entries(context)) byLower.set(key.toLowerCase(), [key, value]);
  }
  const out: Record<string, ContextValue> = {};
  for (const [key, value] of byLower.values()) out[key] = value;
  return out;
}
