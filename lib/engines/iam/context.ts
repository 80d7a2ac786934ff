import { classifyPrincipal, type PrincipalInfo } from './arn';
import type { ContextValue, RequestContext, StatedContext } from './types';

/** Where a condition key stands in one request. */
export type KeyState = 'present' | 'absent' | 'unknown';

/** A pattern from a StatedContext list: an exact key, or a prefix ending in "*". Case-insensitive. */
function keyPatternMatches(pattern: string, key: string): boolean {
  const p = pattern.toLowerCase();
  return p.endsWith('*') ? key.startsWith(p.slice(0, -1)) : key === p;
}

export function isStatedContext(context: RequestContext | StatedContext | undefined): context is StatedContext {
  if (!context) return false;
  const c = context as Partial<StatedContext>;
  return typeof c.values === 'object' && c.values !== null && !Array.isArray(c.values) && Array.isArray(c.unknown);
}

/**
 * Global keys AWS puts in every signed request of an IAM principal (AWS global condition context keys,
 * "Availability": "This key is always included in the request context" / "for all signed requests").
 * A plain context that lacks one did not state it: it is unknown, never absent.
 */
const ALWAYS_FOR_IAM_PRINCIPALS = [
  'aws:currenttime',
  'aws:epochtime',
  'aws:securetransport',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:userid',
  'aws:principalisawsservice',
  'aws:requestedregion',
];
/** A service principal's request: the keys above that describe an IAM principal are not a service's to state here. */
const UNSTATED_FOR_SERVICES = [
  'aws:currenttime',
  'aws:epochtime',
  'aws:securetransport',
  'aws:principalisawsservice',
  'aws:principalservicename',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:requestedregion',
];

/**
 * The request context as the engine reads it: each key is present (with its value), absent (AWS leaves it
 * out of this request), or unknown (the caller could not say). Key names compare case-insensitively.
 *
 * - A StatedContext (from the request-context builder) says which keys are unknown; every other key it
 *   does not give is absent.
 * - A plain record is read as stated by its caller, except that the global keys AWS puts in every request
 *   (see ALWAYS_FOR_IAM_PRINCIPALS) are unknown when the record lacks them.
 */
export class ContextLookup {
  private readonly values = new Map<string, string | string[]>();
  private readonly unknown: string[];
  private readonly absent: string[];

  constructor(context: RequestContext | StatedContext = {}, caller?: PrincipalInfo) {
    const stated = isStatedContext(context);
    const record = stated ? context.values : context;
    for (const [key, value] of Object.entries(record)) {
      this.values.set(key.toLowerCase(), Array.isArray(value) ? value.map(String) : String(value));
    }
    if (stated) {
      this.unknown = context.unknown.map((k) => k.toLowerCase());
      this.absent = (context.absent ?? []).map((k) => k.toLowerCase());
    } else {
      this.unknown = caller?.kind === 'service' ? UNSTATED_FOR_SERVICES : caller ? ALWAYS_FOR_IAM_PRINCIPALS : [];
      this.absent = [];
    }
  }

  state(key: string): KeyState {
    const k = key.toLowerCase();
    if (this.values.has(k)) return 'present';
    if (this.absent.some((p) => keyPatternMatches(p, k))) return 'absent';
    if (this.unknown.some((p) => keyPatternMatches(p, k))) return 'unknown';
    return 'absent';
  }

  has(key: string): boolean {
    return this.values.has(key.toLowerCase());
  }

  /** A string for a single-valued key, an array for a multivalued key, undefined when absent or unknown. */
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
 * The global condition keys derivable from a principal ARN alone, as a plain record. Kept for existing
 * callers; new code uses `buildRequestContext` (lib/engines/request-context), which states every key AWS
 * would populate and marks what it cannot know. Keys it leaves out that AWS always sends (aws:userid
 * without a unique id, aws:RequestedRegion without a region) are read as unknown, not absent.
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
