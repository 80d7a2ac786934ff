/**
 * Can a set of condition literals hold together? Keys the workload fixes (or AWS leaves out) are
 * evaluated as they are; each free key is solved on its own: a string value is found with the glob
 * automaton, numbers, dates, addresses and booleans from a finite set of values that covers every
 * region the policy's constants carve out. A literal that ties a free key to another free key (a
 * policy variable) is taken as satisfiable: the answer over-approximates, which keeps "not granted"
 * sound, and the approximation is reported.
 */
import { splitArn } from '../arn';
import { conditionMatches, NEGATED, parseDate, parseNumber } from '../conditions';
import { ContextLookup } from '../context';
import { parseCidr } from '../ip';
import type { BaseOperator, ParsedCondition } from '../parse';
import type { ContextValue, RequestContext, StatedContext } from '../types';
import { NO_VALUE, resolvePattern, UNKNOWN } from '../variables';
import type { PatternToken } from '../wildcard';
import { ANY, findString, glob, text, union, type Lang, type Seq } from './lang';

/** One condition pair of a statement, required to hold (`holds`) or to fail. */
export interface Literal {
  readonly cond: ParsedCondition;
  /** Policy language 2012-10-17 (variables substituted). */
  readonly variables: boolean;
  readonly holds: boolean;
  /** For messages: which statement it came from. */
  readonly origin: string;
}

/** Context constraints: fixed values and absent keys as in a StatedContext; its unknown keys are free. */
export class Constraints {
  readonly lookup: ContextLookup;
  constructor(readonly stated: StatedContext) {
    this.lookup = new ContextLookup(stated);
  }

  isFree(key: string): boolean {
    return this.lookup.state(key) === 'unknown';
  }

  /** A lookup where `key` has `value` (or is absent), everything else as stated. */
  with(key: string, value: ContextValue | undefined): ContextLookup {
    const values: RequestContext = { ...this.stated.values };
    for (const k of Object.keys(values)) if (k.toLowerCase() === key.toLowerCase()) delete values[k];
    if (value !== undefined) values[key] = value;
    return new ContextLookup({
      values,
      unknown: this.stated.unknown,
      absent: [...(this.stated.absent ?? []), ...(value === undefined ? [key] : [])],
    });
  }
}

export type Satisfiable = { sat: true; witness: RequestContext; approximations: string[] } | { sat: false; approximations: string[] };

const STRING_FAMILY = /^(String|Arn)/;

function truth(lit: Literal, lookup: ContextLookup): boolean | 'unknown' {
  const r = conditionMatches(lit.cond, lookup, lit.variables);
  return r === 'unknown' ? r : r === lit.holds;
}

/** Keys named by policy variables in the literal's values. */
function variableKeys(lit: Literal): string[] {
  if (!lit.variables) return [];
  const keys: string[] = [];
  for (const v of lit.cond.values)
    for (const m of v.matchAll(/\$\{([^},']+?)\s*(?:,[^}]*)?\}/g)) if (!['*', '?', '$'].includes(m[1])) keys.push(m[1]);
  return keys;
}

function tokensToSeq(tokens: PatternToken[], ignoreCase: boolean, excludes = ''): Seq {
  const seq: Seq = [];
  for (const t of tokens) {
    if (t.kind === 'star') seq.push({ kind: 'star', excludes });
    else if (t.kind === 'one') seq.push({ kind: 'one', excludes });
    else seq.push(...text(t.text, ignoreCase));
  }
  return seq;
}

const ARN_UNIVERSE: Lang = { seqs: [glob('arn:*:*:*:*:', { excludes: ':' }).concat({ kind: 'star', excludes: '' })] };

/** The set of request values the positive form of a string or ARN operator accepts, or undefined if not expressible. */
function positiveLang(cond: ParsedCondition, lookup: ContextLookup, variables: boolean): Lang | undefined {
  const langs: Lang[] = [];
  const vars = variables;
  for (const v of cond.values) {
    const base = cond.base;
    if (
      base === 'StringEquals' ||
      base === 'StringNotEquals' ||
      base === 'StringEqualsIgnoreCase' ||
      base === 'StringNotEqualsIgnoreCase'
    ) {
      const tokens = resolvePattern(v, lookup, { wildcards: false, variables: vars });
      if (tokens === UNKNOWN) return undefined;
      if (tokens === NO_VALUE) continue;
      langs.push({ seqs: [tokensToSeq(tokens, base.includes('IgnoreCase'))] });
    } else if (base === 'StringLike' || base === 'StringNotLike') {
      const tokens = resolvePattern(v, lookup, { wildcards: true, variables: vars });
      if (tokens === UNKNOWN) return undefined;
      if (tokens === NO_VALUE) continue;
      langs.push({ seqs: [tokensToSeq(tokens, false)] });
    } else {
      // ArnEquals / ArnLike and their negations: six parts, each matched on its own.
      const parts = splitArn(v);
      if (!parts) continue;
      const seq: Seq = [...text('arn:')];
      for (const [i, part] of (['partition', 'service', 'region', 'account', 'resource'] as const).entries()) {
        const tokens = resolvePattern(parts[part], lookup, { wildcards: true, variables: vars });
        if (tokens === UNKNOWN) return undefined;
        if (tokens === NO_VALUE) return { seqs: [] };
        seq.push(...tokensToSeq(tokens, false, i < 4 ? ':' : ''));
        if (i < 4) seq.push(...text(':'));
      }
      langs.push({ seqs: [seq] });
    }
  }
  return union(...langs);
}

/** Values worth trying for a free key: they cover every region the literals' constants separate. */
function candidates(lits: Literal[]): Array<string | undefined> {
  const out = new Set<string>(['x', '', 'true', 'false']);
  const numbers: number[] = [];
  const dates: number[] = [];
  for (const lit of lits) {
    for (const v of lit.cond.values) {
      out.add(v);
      const n = parseNumber(v);
      if (n !== null) numbers.push(n);
      const d = parseDate(v);
      if (d !== null) dates.push(d);
      const cidr = parseCidr(v);
      if (cidr) {
        const bits = cidr.version === 4 ? 32 : 128;
        const first = cidr.network << BigInt(bits - cidr.prefix);
        const last = first + (1n << BigInt(bits - cidr.prefix)) - 1n;
        for (const a of [first, last, first - 1n, last + 1n]) if (a >= 0n && a < 1n << BigInt(bits)) out.add(formatIp(a, cidr.version));
      }
    }
  }
  out.add('198.51.100.7');
  out.add('2001:db8::7');
  const between = (xs: number[]) => {
    const s = [...new Set(xs)].sort((a, b) => a - b);
    const pts = new Set<number>();
    if (s.length) {
      pts.add(s[0] - 1);
      pts.add(s[s.length - 1] + 1);
    }
    s.forEach((x, i) => {
      pts.add(x);
      if (i > 0) pts.add((x + s[i - 1]) / 2);
    });
    return [...pts];
  };
  for (const n of between(numbers)) out.add(String(n));
  for (const d of between(dates)) if (Number.isFinite(d) && d > -8.64e15 && d < 8.64e15) out.add(new Date(d).toISOString());
  return [undefined, ...out];
}

function formatIp(value: bigint, version: 4 | 6): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  return groups.join(':');
}

/** Is every literal on this one free key satisfiable by some value (or its absence)? */
function solveKey(key: string, lits: Literal[], c: Constraints): Satisfiable {
  const tryValue = (value: ContextValue | undefined) => {
    const lookup = c.with(key, value);
    return lits.every((l) => truth(l, lookup) === true);
  };
  const found = (value: ContextValue | undefined): Satisfiable => ({
    sat: true,
    witness: value === undefined ? {} : { [key]: value },
    approximations: [],
  });
  const usesSets = lits.some((l) => l.cond.setOperator !== undefined);
  const single = candidates(lits);

  // A string satisfying every string/ARN literal, found exactly with the automaton.
  // Exact when one family decides the key: strings and ARNs through the automaton, the others through
  // candidates that cover every interval their constants separate. Mixed families or sets are not proved.
  const stringy = lits.filter((l) => STRING_FAMILY.test(l.cond.base)).length;
  const others = lits.filter((l) => !STRING_FAMILY.test(l.cond.base) && l.cond.base !== 'Null').length;
  let exact = !usesSets && (stringy === 0 || others === 0);
  const inside: Lang[] = [];
  const outside: Lang[] = [];
  for (const l of lits) {
    if (!STRING_FAMILY.test(l.cond.base)) continue;
    const lang = positiveLang(l.cond, c.lookup, l.variables);
    if (!lang) {
      exact = false;
      continue;
    }
    const negated = NEGATED.has(l.cond.base);
    const isArn = l.cond.base.startsWith('Arn');
    // Present value v: positive op true iff v in lang; negated op true iff v not in lang (and, for ARN operators, v is an ARN).
    const wantIn = negated ? !l.holds : l.holds;
    if (wantIn) inside.push(lang);
    else outside.push(lang);
    if (isArn && negated && l.holds) inside.push(ARN_UNIVERSE);
    if (isArn && !l.holds) exact = false; // a non-ARN value also makes an ARN operator fail
  }
  if (inside.length + outside.length > 0) {
    const s = findString(inside.length ? inside : [ANY], outside);
    if (s.found) single.unshift(s.found);
    if (s.found === undefined) exact = false;
  }
  for (const v of single) if (tryValue(v)) return found(v);
  if (usesSets) {
    const strings = single.filter((v): v is string => v !== undefined).slice(0, 24);
    const sets: string[][] = [[], ...strings.map((v) => [v])];
    for (let i = 0; i < strings.length; i++) for (let j = i + 1; j < strings.length; j++) sets.push([strings[i], strings[j]]);
    for (const set of sets) if (tryValue(set)) return found(set);
  }
  if (exact) return { sat: false, approximations: [] };
  return {
    sat: true,
    witness: {},
    approximations: [`no value of ${key} was found for ${lits.map((l) => l.origin).join(', ')}; assumed satisfiable (not proved)`],
  };
}

/** Are all literals satisfiable together under the constraints? Free keys are solved independently. */
export function satisfiable(lits: Literal[], c: Constraints): Satisfiable {
  const approximations: string[] = [];
  const byKey = new Map<string, Literal[]>();
  for (const lit of lits) {
    const free = [lit.cond.key, ...variableKeys(lit)].filter((k) => c.isFree(k));
    if (free.length === 0) {
      if (truth(lit, c.lookup) !== true) return { sat: false, approximations };
      continue;
    }
    // Tied to a free key other than its own (a variable): not solved, taken as satisfiable.
    if (free.some((k) => k.toLowerCase() !== lit.cond.key.toLowerCase()) || !c.isFree(lit.cond.key)) {
      approximations.push(`${lit.origin} compares ${lit.cond.key} with a free key (${free.join(', ')}); assumed satisfiable`);
      continue;
    }
    const k = lit.cond.key.toLowerCase();
    byKey.set(k, [...(byKey.get(k) ?? []), lit]);
  }
  const witness: RequestContext = {};
  for (const [, group] of byKey) {
    const r = solveKey(group[0].cond.key, group, c);
    approximations.push(...r.approximations);
    if (!r.sat) return { sat: false, approximations };
    Object.assign(witness, r.witness);
  }
  return { sat: true, witness, approximations };
}

export type { BaseOperator };
