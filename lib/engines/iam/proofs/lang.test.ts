/**
 * findString against brute force on generated wildcard patterns: every string it finds is in each
 * `inside` language and in no `outside` one, none shorter is, and when it proves there is none, no
 * string up to a few characters has the property. Patterns use two characters so every string up to
 * that length can be tried; characters a pattern does not name all behave alike, so one ('x') stands
 * for them.
 */
import fc from 'fast-check';
import { findString, forgetSearches, glob, member, type Lang } from './lang';

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

/** The shortest string in every inside language and no outside one, up to `max` characters, by trying them all. */
function bruteForce(inside: Lang[], outside: Lang[], max: number): string | null {
  for (let n = 0; n <= max; n++)
    for (const s of strings(n)) if (inside.every((l) => member(l, s)) && !outside.some((l) => member(l, s))) return s;
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
        for (const l of inside) expect(member(l, found)).toBe(true);
        for (const l of outside) expect(member(l, found)).toBe(false);
        // Shortest: brute force finds one of the same length, or none when the answer is longer than it tries.
        expect(brute?.length ?? null).toBe(found.length <= BRUTE_LENGTH ? found.length : null);
      }),
      { numRuns: 300, seed: 18 },
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
});
