import { splitArn, type ArnParts } from './arn';
import type { ContextLookup } from './context';
import { resolvePattern } from './variables';
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

/**
 * A Resource pattern against the request resource: true, false, or null when the pattern cannot be
 * evaluated (not an ARN, or a policy variable with no value). Partition, service, region and account
 * compare case-insensitively; the resource part is case-sensitive and is the only part with variables.
 */
export function resourceMatches(pattern: string, resource: ArnParts | '*', ctx: ContextLookup, variables: boolean): boolean | null {
  if (pattern === '*') return true;
  if (resource === '*') return false;
  const p = splitArn(pattern);
  if (!p) return null;
  for (const part of ['partition', 'service', 'region', 'account'] as const) {
    if (!globMatch(p[part], resource[part], true)) return false;
  }
  const tokens = resolvePattern(p.resource, ctx, { wildcards: true, variables });
  if (tokens === null) return null;
  return matchTokens(tokens, resource.resource);
}
