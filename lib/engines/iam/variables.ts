import type { ContextLookup } from './context';
import { IamPolicyError } from './errors';
import type { PatternToken } from './wildcard';

export interface ResolveOptions {
  /** `*` and `?` are wildcards (StringLike, ArnLike, Resource) rather than literal characters. */
  wildcards: boolean;
  /** Substitute `${...}` (policy language 2012-10-17 only). */
  variables: boolean;
}

/** The variable's key has no value in this request (and there is no default): "effectively null". */
export const NO_VALUE = 'no-value' as const;
/** The variable's key is unknown in the request context, so its value is too. */
export const UNKNOWN = 'unknown' as const;

/** Tokens, or why there are none. */
export type Resolved = PatternToken[] | typeof NO_VALUE | typeof UNKNOWN;

const SPECIALS: Record<string, string> = { '*': '*', '?': '?', $: '$' };
const VARIABLE_BODY = /^\s*([^,]+?)\s*(?:,\s*'([^']*)'\s*)?$/;

function variableValue(body: string, context: ContextLookup, unknownKeys?: Set<string>): string | typeof NO_VALUE | typeof UNKNOWN {
  const special = SPECIALS[body];
  if (special !== undefined) return special;
  const parsed = VARIABLE_BODY.exec(body);
  if (!parsed) return NO_VALUE;
  const [, key, fallback] = parsed;
  if (context.state(key) === 'unknown') {
    unknownKeys?.add(key);
    return UNKNOWN;
  }
  const value = context.get(key);
  // "You can't use a multivalued condition key as a variable." (Policy variables): refused, not guessed.
  if (Array.isArray(value)) throw new IamPolicyError(`policy variable \${${key}} names a key with several values in this request`);
  if (typeof value === 'string') return value;
  return fallback ?? NO_VALUE;
}

/** Turns a policy string into match tokens, substituting variables as literal text. */
export function resolvePattern(source: string, context: ContextLookup, options: ResolveOptions, unknownKeys?: Set<string>): Resolved {
  const tokens: PatternToken[] = [];
  let text = '';
  const flush = () => {
    if (text) tokens.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (options.variables && ch === '$' && source[i + 1] === '{') {
      const end = source.indexOf('}', i + 2);
      if (end !== -1) {
        const value = variableValue(source.slice(i + 2, end), context, unknownKeys);
        if (value === NO_VALUE || value === UNKNOWN) return value;
        text += value;
        i = end + 1;
        continue;
      }
    }
    if (options.wildcards && (ch === '*' || ch === '?')) {
      flush();
      tokens.push({ kind: ch === '*' ? 'star' : 'one' });
    } else {
      text += ch;
    }
    i++;
  }
  flush();
  return tokens;
}

/** The substituted string for exact comparisons, or why there is none. */
export function resolveLiteral(
  source: string,
  context: ContextLookup,
  variables: boolean,
  unknownKeys?: Set<string>,
): string | typeof NO_VALUE | typeof UNKNOWN {
  const tokens = resolvePattern(source, context, { wildcards: false, variables }, unknownKeys);
  if (tokens === NO_VALUE || tokens === UNKNOWN) return tokens;
  return tokens.map((t) => (t.kind === 'text' ? t.text : '')).join('');
}

/** Does the string use a policy variable (other than the ${*} ${?} ${$} escapes)? */
export function usesVariables(source: string): boolean {
  return /\$\{(?![*?$]\})[^}]+\}/.test(source);
}
