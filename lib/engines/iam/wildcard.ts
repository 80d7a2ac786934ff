/**
 * IAM wildcard matching: `*` is any run of characters (including none), `?` is exactly one.
 * Patterns are token lists so that text substituted from policy variables stays literal.
 */

export type PatternToken = { kind: 'text'; text: string } | { kind: 'star' } | { kind: 'one' };

const STAR = -1;
const ONE = -2;

function flatten(tokens: PatternToken[], ignoreCase: boolean): Array<string | number> {
  const out: Array<string | number> = [];
  for (const token of tokens) {
    if (token.kind === 'star') out.push(STAR);
    else if (token.kind === 'one') out.push(ONE);
    else for (const ch of ignoreCase ? token.text.toLowerCase() : token.text) out.push(ch);
  }
  return out;
}

/** Whole-string match of a token pattern against a value. */
export function matchTokens(tokens: PatternToken[], value: string, ignoreCase = false): boolean {
  const pattern = flatten(tokens, ignoreCase);
  const text = Array.from(ignoreCase ? value.toLowerCase() : value);
  // Greedy scan remembering the last star; linear-time in practice, no regex built from policy text.
  let p = 0;
  let t = 0;
  let starAt = -1;
  let starText = 0;
  while (t < text.length) {
    const item = pattern[p];
    if (p < pattern.length && (item === ONE || item === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && item === STAR) {
      starAt = p++;
      starText = t;
    } else if (starAt !== -1) {
      p = starAt + 1;
      t = ++starText;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === STAR) p++;
  return p === pattern.length;
}

/** Tokens for a plain pattern string where `*` and `?` are wildcards (no variables). */
export function globTokens(pattern: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  let text = '';
  for (const ch of pattern) {
    if (ch === '*' || ch === '?') {
      if (text) tokens.push({ kind: 'text', text });
      text = '';
      tokens.push({ kind: ch === '*' ? 'star' : 'one' });
    } else {
      text += ch;
    }
  }
  if (text) tokens.push({ kind: 'text', text });
  return tokens;
}

export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return matchTokens(globTokens(pattern), value, ignoreCase);
}

/** The literal string of a token list (wildcards kept as written), for exact comparisons. */
export function tokensToLiteral(tokens: PatternToken[]): string {
  return tokens.map((t) => (t.kind === 'text' ? t.text : t.kind === 'star' ? '*' : '?')).join('');
}
