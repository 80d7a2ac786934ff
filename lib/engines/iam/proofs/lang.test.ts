/**
 * findString and member against brute force on generated wildcard patterns: every string findString
 * finds is in each `inside` language and in no `outside` one, none shorter is, and when it proves there
 * is none, no string up to a few characters has the property. Membership is decided here independently,
 * by a regular expression written from each pattern's atoms. Patterns use two characters so every string up to
 * that length can be tried; characters a pattern does not name all behave alike, so one ('x') stands
 * for them.
 */
import fc from 'fast-check';
import { findString, forgetSearches, glob, member, type Atom, type Lang } from './lang';

const CHARS = 'a:';
/** Strings up to this length are all tried (4^6 of them). */
const BRUTE_LENGTH = 6;

const pattern = fc.array(fc.constantFrom(...CHARS, '*', '?'), { minLength: 0, maxLength: 4 }).map((cs) => cs.join(''));
const lang = fc
  .record({
    patterns: fc.array(pattern, { minLength: 1, maxLength: 2 }),
    ignoreCase: fc.boolean(),
    excludes: fc.constantFrom('', ':'),
  })
  .map(({ patterns, ignoreCase, excludes }): Lang => ({ seqs: patterns.map((p) => glob(p, { ignoreCase, excludes })) }));

const ALPHABET = ['x', ...CHARS, ...CHARS.toUpperCase()].filter((c, i, all) => all.indexOf(c) === i);

function* strings(length: number, prefix = ''): Generator<string> {
  if (prefix.length === length) {
    yield prefix;
    return;
  }
  for (const c of ALPHABET) yield* strings(length, prefix + c);
}

const escape = (chars: string) => chars.replace(/[\\\]^-]/g, (c) => `\\${c}`);
const atomRegex = (a: Atom) =>
  a.kind === 'char' ? `[${escape(a.chars)}]` : `${a.excludes ? `[^${escape(a.excludes)}]` : '[^]'}${a.kind === 'star' ? '*' : ''}`;
const regexes = new WeakMap<Lang, RegExp[]>();
/** Membership by RegExp, independent of the automata under test. */
function inLang(l: Lang, s: string): boolean {
  let res = regexes.get(l);
  if (!res) regexes.set(l, (res = l.seqs.map((seq) => new RegExp(`^${seq.map(atomRegex).join('')}$`, 'u'))));
  return res.some((re) => re.test(s));
}

/** The shortest string in every inside language and no outside one, up to `max` characters, by trying them all. */
function bruteForce(inside: Lang[], outside: Lang[], max: number): string | null {
  for (let n = 0; n <= max; n++)
    for (const s of strings(n)) if (inside.every((l) => inLang(l, s)) && !outside.some((l) => inLang(l, s))) return s;
  return null;
}

describe('findString', () => {
  beforeEach(() => forgetSearches());

  it('finds a shortest string in the intersection and outside the others, or proves there is none', () => {
    fc.assert(
      fc.property(fc.array(lang, { minLength: 1, maxLength: 3 }), fc.array(lang, { minLength: 0, maxLength: 2 }), (inside, outside) => {
        const answer = findString(inside, outside);
        expect(answer.found).not.toBeUndefined();
        const brute = bruteForce(inside, outside, BRUTE_LENGTH);
        if (answer.found === null) {
          expect(brute).toBeNull();
          return;
        }
        const found = answer.found!;
        for (const l of inside) expect(inLang(l, found)).toBe(true);
        for (const l of outside) expect(inLang(l, found)).toBe(false);
        // Shortest: brute force finds one of the same length, or none when the answer is longer than it tries.
        expect(brute?.length ?? null).toBe(found.length <= BRUTE_LENGTH ? found.length : null);
      }),
      { numRuns: 300, seed: 18 },
    );
  });

  it('member agrees with the regular expression on every string up to 5 characters', () => {
    fc.assert(
      fc.property(lang, (l) => {
        const disagreements: string[] = [];
        for (let n = 0; n <= 5; n++) for (const s of strings(n)) if (member(l, s) !== inLang(l, s)) disagreements.push(s);
        expect(disagreements).toEqual([]);
      }),
      { numRuns: 100, seed: 18 },
    );
  });

  it('answers a known question: an ARN under one prefix that a narrower grant does not cover', () => {
    const broad: Lang = { seqs: [glob('arn:aws:s3:::data/*')] };
    const narrow: Lang = { seqs: [glob('arn:aws:s3:::data/expired/*')] };
    const found = findString([broad], [narrow]).found;
    expect(typeof found).toBe('string');
    expect(member(broad, found!)).toBe(true);
    expect(member(narrow, found!)).toBe(false);
    expect(findString([narrow], [broad])).toEqual({ found: null });
  });

  it('rules a branch out only when an outside pattern matches every continuation, not just those its star allows', () => {
    // `a*` with ':' excluded matches "a" and "ab" but not "a:": the shortest string in `a*` and outside it is "a:".
    const open: Lang = { seqs: [glob('a*')] };
    const noColon: Lang = { seqs: [glob('a*', { excludes: ':' })] };
    expect(bruteForce([open], [noColon], BRUTE_LENGTH)).toBe('a:');
    expect(findString([open], [noColon])).toEqual({ found: 'a:' });
    // An outside pattern that does match everything after "a" leaves nothing, and the search says so.
    expect(findString([open], [open])).toEqual({ found: null });
    expect(findString([{ seqs: [glob('a*b')] }], [{ seqs: [glob('a**')] }])).toEqual({ found: null });
  });
});
