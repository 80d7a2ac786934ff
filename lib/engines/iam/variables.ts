import type { ContextLookup } from './context';
import type { PatternToken } from './wildcard';

export interface ResolveOptions {
  /** `*` and `?` are wildcards (StringLike, ArnLike, Resource) rather than literal characters. */
  wildcards: boolean;
  /** Substitute `${...}` (policy language 2012-10-17 only). */
  variables: boolean;
}

/** Tokens, or null when a variable has no single value and no default: such a pattern can match nothing. */
export type Resolved = PatternToken[] | null;

const SPECIALS: Record<string, string> = { '*': '*', '?': '?', $: '$' };
const VARIABLE_BODY = /^\s*([^,]+?)\s*(?:,\s*'([^']*)'\s*)?$/;

function variableValue(body: string, context: ContextLookup): string | null {
  const special = SPECIALS[body];
  if (special !== undefined) return special;
  const parsed = VARIABLE_BODY.exec(body);
  if (!parsed) return null;
  const [, key, fallback] = parsed;
  const value = context.get(key);
  // A multivalued key cannot stand in for one string; the default, if any, is used instead.
  if (typeof value === 'string') return value;
  return fallback ?? null;
}

/** Turns a policy string into match tokens, substituting variables as literal text. */
export function resolvePattern(source: string, context: ContextLookup, options: ResolveOptions): Resolved {
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
        const value = variableValue(source.slice(i + 2, end), context);
        if (value === null) return null;
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

/** The substituted string for exact comparisons, or null when unresolvable. */
export function resolveLiteral(source: string, context: ContextLookup, variables: boolean): string | null {
  const tokens = resolvePattern(source, context, { wildcards: false, variables });
  if (tokens === null) return null;
  return tokens.map((t) => (t.kind === 'text' ? t.text : '')).join('');
}
