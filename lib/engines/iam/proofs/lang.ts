/**
 * Sets of strings denoted by IAM wildcard patterns, and the search for a string inside an intersection
 * of such sets and outside others. Hand-written because no library here decides emptiness of glob
 * languages under complement: the search walks the product of small NFAs over a finite alphabet (every
 * character a pattern names, plus one standing for all others), so it is exact, not sampled.
 */

/** One element of a compiled pattern. */
export type Atom =
  /** One character from `chars` (both cases for case-insensitive text). */
  | { kind: 'char'; chars: string }
  /** Exactly one character not in `excludes`. */
  | { kind: 'one'; excludes: string }
  /** Any run (possibly empty) of characters not in `excludes`. */
  | { kind: 'star'; excludes: string };

export type Seq = Atom[];

/** A union of patterns. An empty union is the empty set. */
export interface Lang {
  readonly seqs: readonly Seq[];
}

export const EMPTY: Lang = { seqs: [] };
export const ANY: Lang = { seqs: [[{ kind: 'star', excludes: '' }]] };

export function union(...langs: Lang[]): Lang {
  return { seqs: langs.flatMap((l) => l.seqs) };
}

/** Literal text (case-insensitive: each letter matches both cases). */
export function text(s: string, ignoreCase = false): Seq {
  return Array.from(s, (ch) => ({ kind: 'char' as const, chars: ignoreCase ? uniq(ch.toLowerCase() + ch.toUpperCase()) : ch }));
}

/** An IAM glob: `*` any run, `?` one character; `excludes` are characters the wildcards may not stand for. */
export function glob(pattern: string, options: { ignoreCase?: boolean; excludes?: string } = {}): Seq {
  const excludes = options.excludes ?? '';
  const out: Seq = [];
  for (const ch of pattern) {
    if (ch === '*') out.push({ kind: 'star', excludes });
    else if (ch === '?') out.push({ kind: 'one', excludes });
    else out.push(...text(ch, options.ignoreCase));
  }
  return out;
}

function uniq(s: string): string {
  return [...new Set(s)].join('');
}

function accepts(atom: Atom, ch: string): boolean {
  return atom.kind === 'char' ? atom.chars.includes(ch) : !atom.excludes.includes(ch);
}

/** Positions reachable without reading a character (a star may match nothing). */
function closure(seq: Seq, positions: Set<number>): Set<number> {
  const out = new Set(positions);
  const stack = [...positions];
  while (stack.length) {
    const p = stack.pop()!;
    if (p < seq.length && seq[p].kind === 'star' && !out.has(p + 1)) {
      out.add(p + 1);
      stack.push(p + 1);
    }
  }
  return out;
}

function step(seq: Seq, positions: Set<number>, ch: string): Set<number> {
  const next = new Set<number>();
  for (const p of positions) {
    if (p >= seq.length) continue;
    const atom = seq[p];
    if (!accepts(atom, ch)) continue;
    next.add(atom.kind === 'star' ? p : p + 1);
  }
  return closure(seq, next);
}

type LangState = Set<number>[];

function start(lang: Lang): LangState {
  return lang.seqs.map((seq) => closure(seq, new Set([0])));
}

function accepting(lang: Lang, state: LangState): boolean {
  return lang.seqs.some((seq, i) => state[i].has(seq.length));
}

function dead(state: LangState): boolean {
  return state.every((s) => s.size === 0);
}

function key(states: LangState[]): string {
  return states.map((st) => st.map((s) => [...s].sort((a, b) => a - b).join(',')).join('|')).join('#');
}

const SPARE = 'xyzqwk0123456789abcdefghijlmnoprstuv-_.';

/** The alphabet: every character some atom names, and one character none of them names. */
function alphabet(langs: Lang[]): string[] {
  const named = new Set<string>();
  for (const l of langs)
    for (const seq of l.seqs) for (const atom of seq) for (const ch of atom.kind === 'char' ? atom.chars : atom.excludes) named.add(ch);
  let other = [...SPARE].find((c) => !named.has(c));
  for (let code = 0x61; other === undefined; code++) if (!named.has(String.fromCodePoint(code))) other = String.fromCodePoint(code);
  // Try the "other" character first: witnesses then read like ordinary names.
  return [other, ...[...named].sort()];
}

export type Search = { found: string } | { found: null } | { found: undefined; reason: string };

/** Limit on product states explored; beyond it the answer is "undecided", which callers treat as non-empty. */
const MAX_STATES = 50_000;

/**
 * A shortest string in every `inside` language and in none of the `outside` ones: found, null when there
 * is none (proved), or undefined when the search gave up (callers must then assume there may be one).
 */
export function findString(inside: Lang[], outside: Lang[]): Search {
  // Keyed by the exact languages (every atom of every pattern), so an answer is only ever reused for the
  // very same question: labs whose statements name the same actions share those searches, and a lab
  // whose patterns differ in one character asks its own.
  const memoKey = JSON.stringify([inside, outside]);
  const known = searches.get(memoKey);
  if (known) {
    searchStats.reused++;
    // Most recently used last, so the oldest answer is the one dropped.
    searches.delete(memoKey);
    searches.set(memoKey, known);
    return known;
  }
  searchStats.searched++;
  const answer = search(inside, outside);
  searches.set(memoKey, answer);
  if (searches.size > MAX_REMEMBERED) searches.delete(searches.keys().next().value!);
  return answer;
}

/**
 * Answers of findString by their exact input. A search is a pure function of its languages, so sharing
 * one is sharing a proof step, never a verdict: each lab's proof still composes its own steps. Bounded,
 * so a long `class serve` holds at most this many.
 */
const searches = new Map<string, Search>();
const MAX_REMEMBERED = 20_000;

/** How many searches findString ran and how many answers it reused (tests count these; never timed). */
export const searchStats = { searched: 0, reused: 0 };

/** Forgets every remembered answer (tests start from a cold engine). */
export function forgetSearches(): void {
  searches.clear();
}

function search(inside: Lang[], outside: Lang[]): Search {
  const langs = [...inside, ...outside];
  if (inside.some((l) => l.seqs.length === 0)) return { found: null };
  const sigma = alphabet(langs);
  const initial = langs.map(start);
  const done = (states: LangState[]) =>
    inside.every((l, i) => accepting(l, states[i])) && outside.every((l, j) => !accepting(l, states[inside.length + j]));
  if (done(initial)) return { found: '' };
  const seen = new Map<string, { prev: string | null; ch: string }>([[key(initial), { prev: null, ch: '' }]]);
  let frontier: LangState[][] = [initial];
  while (frontier.length > 0) {
    const next: LangState[][] = [];
    for (const states of frontier) {
      const from = key(states);
      for (const ch of sigma) {
        const moved = langs.map((l, i) => l.seqs.map((seq, k) => step(seq, states[i][k], ch)));
        if (inside.some((_, i) => dead(moved[i]))) continue;
        const k = key(moved);
        if (seen.has(k)) continue;
        seen.set(k, { prev: from, ch });
        if (done(moved)) {
          let s = '';
          for (let at: string | null = k; at !== null; at = seen.get(at)!.prev) s = seen.get(at)!.ch + s;
          return { found: s };
        }
        if (seen.size > MAX_STATES) return { found: undefined, reason: `more than ${MAX_STATES} automaton states` };
        next.push(moved);
      }
    }
    frontier = next;
  }
  return { found: null };
}

/** Does the language contain the string? */
export function member(lang: Lang, s: string): boolean {
  let state = start(lang);
  for (const ch of s) state = lang.seqs.map((seq, i) => step(seq, state[i], ch));
  return accepting(lang, state);
}
