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
  automata.clear();
  automataByObject = new WeakMap();
}

/**
 * One pattern run as a deterministic automaton built on demand: a state is the set of pattern positions
 * the text read so far can be at, numbered in the order first reached, and each move is worked out once
 * per state and character class (every character the pattern does not name moves alike). Searches share
 * the automaton of a pattern they have in common (see automatonOf), and the product search compares and
 * stores small numbers instead of rebuilding position sets for every pattern at every step (a `check`
 * spent most of its time there).
 */
class PatternDfa {
  private readonly ids = new Map<string, number>();
  private readonly sets: number[][] = [];
  private readonly moves: (number | undefined)[][] = [];
  /** The class of each character the pattern names; every other character is class 0. */
  private readonly named = new Map<string, number>();
  /** Per class: a character of it, or null for the characters the pattern does not name. */
  private readonly classChar: (string | null)[] = [null];
  /** Per position: the positions reachable from it without reading (a star may match nothing). */
  private readonly free: number[][];
  /** Per state: the pattern has matched the whole text read. */
  readonly accepting: boolean[] = [];
  /** Per state: no continuation can match any more. */
  readonly dead: boolean[] = [];
  /** Per state: every continuation matches (the text can be at a run of unrestricted stars to the end). */
  readonly universal: boolean[] = [];
  /** Per position: from here to the end the pattern is only stars that exclude nothing. */
  private readonly openTail: boolean[];
  readonly start: number;

  constructor(private readonly seq: Seq) {
    for (const atom of seq)
      for (const ch of atom.kind === 'char' ? atom.chars : atom.excludes)
        if (!this.named.has(ch)) {
          this.named.set(ch, this.classChar.length);
          this.classChar.push(ch);
        }
    this.free = Array.from({ length: seq.length + 1 }, (_, p) => {
      const run = [p];
      for (let q = p; q < seq.length && seq[q].kind === 'star'; q++) run.push(q + 1);
      return run;
    });
    this.openTail = new Array<boolean>(seq.length + 1).fill(false);
    for (let p = seq.length - 1; p >= 0; p--) {
      const atom = seq[p];
      if (atom.kind !== 'star' || atom.excludes !== '') break;
      this.openTail[p] = true;
    }
    const reached = new Uint8Array(seq.length + 1);
    for (const q of this.free[0]) reached[q] = 1;
    this.start = this.intern(reached);
  }

  private intern(reached: Uint8Array): number {
    const positions: number[] = [];
    for (let p = 0; p < reached.length; p++) if (reached[p]) positions.push(p);
    const k = positions.join(',');
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.sets.length;
      this.ids.set(k, id);
      this.sets.push(positions);
      this.moves.push(new Array<number | undefined>(this.classChar.length));
      this.accepting.push(reached[this.seq.length] === 1);
      this.dead.push(positions.length === 0);
      this.universal.push(positions.some((p) => this.openTail[p]));
    }
    return id;
  }

  /** The character class `move` takes for `ch`. */
  classOf(ch: string): number {
    return this.named.get(ch) ?? 0;
  }

  /** The state after reading a character of class `cls` in `state`. */
  move(state: number, cls: number): number {
    const row = this.moves[state];
    let to = row[cls];
    if (to === undefined) {
      const ch = this.classChar[cls];
      const reached = new Uint8Array(this.seq.length + 1);
      for (const p of this.sets[state]) {
        if (p >= this.seq.length) continue;
        const atom = this.seq[p];
        const ok = atom.kind === 'char' ? ch !== null && atom.chars.includes(ch) : ch === null || !atom.excludes.includes(ch);
        if (ok) for (const q of this.free[atom.kind === 'star' ? p : p + 1]) reached[q] = 1;
      }
      to = this.intern(reached);
      row[cls] = to;
    }
    return to;
  }
}

/** Automata by their pattern's exact atoms; a pattern's automaton is a pure function of it. Bounded like `searches`. */
const automata = new Map<string, PatternDfa>();
const MAX_AUTOMATA = 5_000;

/**
 * The same by pattern object, in front of the map: proofs test thousands of candidate strings against
 * the same compiled patterns (`member`), and spelling a pattern out to find its automaton cost about five
 * times what running it did. Compiled patterns are never changed.
 */
let automataByObject = new WeakMap<Seq, PatternDfa>();

function automatonOf(seq: Seq): PatternDfa {
  let dfa = automataByObject.get(seq);
  if (dfa) return dfa;
  const k = JSON.stringify(seq);
  dfa = automata.get(k);
  if (!dfa) {
    dfa = new PatternDfa(seq);
    automata.set(k, dfa);
    if (automata.size > MAX_AUTOMATA) automata.delete(automata.keys().next().value!);
  }
  automataByObject.set(seq, dfa);
  return dfa;
}

function search(inside: Lang[], outside: Lang[]): Search {
  const langs = [...inside, ...outside];
  if (inside.some((l) => l.seqs.length === 0)) return { found: null };
  const sigma = alphabet(langs);
  // Every pattern of every language, in order; a product state holds one automaton state per pattern.
  const dfas = langs.flatMap((l) => l.seqs.map(automatonOf));
  const classes = dfas.map((d) => sigma.map((ch) => d.classOf(ch)));
  const spans: [number, number][] = [];
  for (let i = 0, at = 0; i < langs.length; at += langs[i].seqs.length, i++) spans.push([at, at + langs[i].seqs.length]);
  const accepts = (states: readonly number[], i: number) => {
    for (let k = spans[i][0]; k < spans[i][1]; k++) if (dfas[k].accepting[states[k]]) return true;
    return false;
  };
  const dies = (states: readonly number[], i: number) => {
    for (let k = spans[i][0]; k < spans[i][1]; k++) if (!dfas[k].dead[states[k]]) return false;
    return true;
  };
  // An outside language that will match whatever follows rules out every string from here on; every state
  // after it is ruled out too, so skipping it changes no answer and no witness, only the work.
  const covers = (states: readonly number[], i: number) => {
    for (let k = spans[i][0]; k < spans[i][1]; k++) if (dfas[k].universal[states[k]]) return true;
    return false;
  };
  const done = (states: readonly number[]) =>
    inside.every((_, i) => accepts(states, i)) && outside.every((_, j) => !accepts(states, inside.length + j));
  const initial = dfas.map((d) => d.start);
  if (done(initial)) return { found: '' };
  const seen = new Map<string, { prev: string | null; ch: string }>([[initial.join(','), { prev: null, ch: '' }]]);
  let frontier: number[][] = [initial];
  while (frontier.length > 0) {
    const next: number[][] = [];
    for (const states of frontier) {
      const from = states.join(',');
      for (let c = 0; c < sigma.length; c++) {
        const moved = states.map((st, k) => dfas[k].move(st, classes[k][c]));
        if (inside.some((_, i) => dies(moved, i))) continue;
        if (outside.some((_, j) => covers(moved, inside.length + j))) continue;
        const k = moved.join(',');
        if (seen.has(k)) continue;
        seen.set(k, { prev: from, ch: sigma[c] });
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
  // The shared automata: proofs test many strings against the same patterns.
  return lang.seqs.some((seq) => {
    const dfa = automatonOf(seq);
    let state = dfa.start;
    for (const ch of s) {
      state = dfa.move(state, dfa.classOf(ch));
      if (dfa.dead[state]) return false;
    }
    return dfa.accepting[state];
  });
}
