import { splitArn, type ArnParts } from './arn';
import type { ContextLookup } from './context';
import { IamPolicyError } from './errors';
import type { Tri } from './tri';
import { NO_VALUE, resolvePattern, UNKNOWN } from './variables';
import { globMatch, matchTokens } from './wildcard';

/** Action patterns: "*" or "service:Pattern"; the service is compared exactly, the name with wildcards, both case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  const p = pattern.indexOf(':');
  const a = action.indexOf(':');
  if (pattern.slice(0, p).toLowerCase() !== action.slice(0, a).toLowerCase()) return false;
  return globMatch(pattern.slice(p + 1), action.slice(a + 1), true);
}

export function anyActionMatches(patterns: string[], action: string): boolean {
  return patterns.some((p) => actionMatches(p, action));
}

/** What a request without a resource ARN (an action with no resource-level permissions) is made against. */
export interface ServiceWide {
  /** The action's service prefix, e.g. "s3" for s3:ListAllMyBuckets. */
  service: string;
  partition: string;
  account: string;
}

const ALL_STARS = /^\*+$/;

/**
 * A Resource entry is "*", an ARN of six or more colon-separated parts, or a shorter ARN whose last
 * character is "*" ("IAM JSON policy elements: Resource": a "*" that is the last character of a segment
 * "can expand to match beyond the colon boundaries"). Anything else fails closed.
 */
export function checkResourcePattern(pattern: string, where: string): void {
  if (pattern === '*') return;
  const segments = pattern.split(':');
  if (segments[0] !== 'arn' || segments.length < 2) throw new IamPolicyError(`${where}: "${pattern}" is not "*" or an ARN`);
  // "You can't use a variable to replace parts of the ARN before the fifth colon" (Policy variables)
  const variable = pattern.indexOf('${');
  if (variable !== -1 && pattern.slice(0, variable).split(':').length < 6)
    throw new IamPolicyError(`${where}: "${pattern}" uses a policy variable before the fifth colon of the ARN`);
  if (segments.length < 6) {
    if (!pattern.endsWith('*'))
      throw new IamPolicyError(`${where}: "${pattern}" has fewer than six ARN segments and does not end with "*", so it names no resource`);
    if (pattern.includes('${')) throw new IamPolicyError(`${where}: policy variables in a shortened ARN "${pattern}" are not supported`);
  }
}

const PARTS = ['partition', 'service', 'region', 'account', 'resource'] as const;

/** A shortened ARN pattern as [per-segment patterns..., trailing pattern that may span colons]. */
function shortPattern(pattern: string): string[] {
  return pattern.split(':').slice(1);
}

function matchShort(pattern: string, resource: ArnParts): boolean {
  const segments = shortPattern(pattern);
  const last = segments.length - 1;
  for (let i = 0; i < last; i++) if (!globMatch(segments[i], resource[PARTS[i]], true)) return false;
  const rest = PARTS.slice(last)
    .map((p) => resource[p])
    .join(':');
  return globMatch(segments[last], rest, last < 4);
}

/**
 * A request without a resource ARN matches "*" and patterns covering every resource of the action's
 * service: the evaluation-logic example allows s3:ListAllMyBuckets with "arn:aws:s3:::*" and does not
 * deny it with "arn:aws:s3:::*log*" ("Policy evaluation logic", "Example identity-based and
 * resource-based policy evaluation").
 */
function matchServiceWide(pattern: string, target: ServiceWide, ctx: ContextLookup, unknown: Set<string>): Tri {
  const full = splitArn(pattern);
  const parts =
    full ??
    (() => {
      const s = shortPattern(pattern);
      while (s.length < 5) s.push('*');
      return { partition: s[0], service: s[1], region: s[2], account: s[3], resource: s.slice(4).join(':') };
    })();
  if (!globMatch(parts.partition, target.partition, true) || !globMatch(parts.service, target.service, true)) return false;
  if (!ALL_STARS.test(parts.resource)) return false;
  if (parts.account !== '' && !ALL_STARS.test(parts.account) && !globMatch(parts.account, target.account, true)) return false;
  if (parts.region === '' || ALL_STARS.test(parts.region)) return true;
  const state = ctx.state('aws:RequestedRegion');
  if (state === 'unknown') {
    unknown.add('aws:RequestedRegion');
    return 'unknown';
  }
  const region = ctx.get('aws:RequestedRegion');
  return typeof region === 'string' && globMatch(parts.region, region, true);
}

/**
 * A Resource pattern against the request resource. Partition, service, region and account compare
 * case-insensitively; the resource part is case-sensitive and is the only part with variables. A
 * variable with no value makes the entry match no resource ("Policy variables with no value"); one
 * naming an unknown key makes it 'unknown'.
 */
export function resourceMatches(
  pattern: string,
  resource: ArnParts | '*',
  ctx: ContextLookup,
  variables: boolean,
  serviceWide?: ServiceWide,
  unknown: Set<string> = new Set(),
): Tri {
  if (pattern === '*') return true;
  checkResourcePattern(pattern, 'Resource');
  if (resource === '*') return serviceWide ? matchServiceWide(pattern, serviceWide, ctx, unknown) : false;
  const p = splitArn(pattern);
  if (!p) return matchShort(pattern, resource);
  for (const part of ['partition', 'service', 'region', 'account'] as const) {
    if (!globMatch(p[part], resource[part], true)) return false;
  }
  const tokens = resolvePattern(p.resource, ctx, { wildcards: true, variables }, unknown);
  if (tokens === NO_VALUE) return false;
  if (tokens === UNKNOWN) return 'unknown';
  return matchTokens(tokens, resource.resource);
}
