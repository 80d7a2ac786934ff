/**
 * Statements as regions of the request space: the actions they name (a glob language), the resources
 * (another), and the condition pairs that must hold. Resource patterns with a variable on a free key
 * cannot be written as one language; they are widened where that widens what is allowed and narrowed
 * where that narrows what is denied, so every approximation errs towards "could be granted".
 */
import { splitArn } from '../arn';
import { ContextLookup } from '../context';
import type { LoadedPolicy } from '../document';
import { statementPrincipal, statementRef } from '../document';
import type { PrincipalInfo } from '../arn';
import type { ParsedStatement } from '../parse';
import type { PrincipalMatch } from '../principals';
import type { StatementRef } from '../types';
import { NO_VALUE, resolvePattern, UNKNOWN } from '../variables';
import type { Constraints, Literal } from './keys';
import { ANY, EMPTY, glob, text, union, type Lang, type Seq } from './lang';

/** A set of strings given as: in every `in` language and in no `out` language. */
export interface Dim {
  readonly in: Lang[];
  readonly out: Lang[];
}

/** Actions are compared case-insensitively: everything is lower-cased. service:name, no second colon. */
export const ACTION_UNIVERSE: Lang = { seqs: [glob('?*:?*', { excludes: ':' })] };
/** arn:partition:service:region:account:resource (the resource part may hold colons). */
export const ARN_UNIVERSE: Lang = { seqs: [[...glob('arn:*:*:*:*:', { excludes: ':' }), { kind: 'star', excludes: '' }]] };

export function actionLang(patterns: readonly string[]): Lang {
  return union(
    ...patterns.map((p): Lang => {
      if (p === '*') return ANY;
      const colon = p.indexOf(':');
      const seq: Seq = [...text(p.slice(0, colon + 1).toLowerCase()), ...glob(p.slice(colon + 1).toLowerCase(), { excludes: ':' })];
      return { seqs: [seq] };
    }),
  );
}

/**
 * A Resource pattern as a language over canonical ARNs (partition, service, region and account lower-cased,
 * as the engine compares them case-insensitively). `widen` says which way to approximate a variable on a
 * free key: true stands it for any text, false drops the entry.
 */
// A lookup for patterns given without constraints (the question itself): variables are not substituted.
const EMPTY_LOOKUP = new ContextLookup({ values: {}, unknown: [] });

export function resourceLang(
  patterns: readonly string[],
  c: Constraints | undefined,
  variables: boolean,
  widen: boolean,
  notes: string[],
  where: string,
): Lang {
  const langs: Lang[] = [];
  for (const p of patterns) {
    if (p === '*') {
      langs.push(ANY);
      continue;
    }
    const full = splitArn(p);
    if (!full) {
      // A shortened ARN ending in "*": the last segment's trailing star runs past colons.
      const segs = p.split(':').slice(1);
      const last = segs.length - 1;
      const seq: Seq = [...text('arn:')];
      segs.forEach((s, i) => {
        if (i < last) seq.push(...glob(s.toLowerCase(), { excludes: ':' }), ...text(':'));
        else seq.push(...glob(i < 4 ? s.toLowerCase() : s));
      });
      langs.push({ seqs: [seq] });
      continue;
    }
    const seq: Seq = [...text('arn:')];
    for (const part of ['partition', 'service', 'region', 'account'] as const)
      seq.push(...glob(full[part].toLowerCase(), { excludes: ':' }), ...text(':'));
    const tokens = c
      ? resolvePattern(full.resource, c.lookup, { wildcards: true, variables })
      : resolvePattern(full.resource, EMPTY_LOOKUP, { wildcards: true, variables: false });
    if (tokens === NO_VALUE) continue; // matches no resource ("Policy variables with no value")
    if (tokens === UNKNOWN) {
      notes.push(`${where}: "${p}" uses a variable on a free key; taken as ${widen ? 'any resource of that prefix' : 'no resource'}`);
      if (widen) langs.push({ seqs: [[...seq, { kind: 'star', excludes: '' }]] });
      continue;
    }
    for (const t of tokens) {
      if (t.kind === 'star') seq.push({ kind: 'star', excludes: '' });
      else if (t.kind === 'one') seq.push({ kind: 'one', excludes: '' });
      else seq.push(...text(t.text));
    }
    langs.push({ seqs: [seq] });
  }
  return langs.length ? union(...langs) : EMPTY;
}

/**
 * For a request without a resource ARN: the actions for which a Resource list matches it — "*" matches
 * any, a service-wide pattern (resource part only stars) matches that service's actions.
 */
function serviceWideActions(patterns: readonly string[], widen: boolean): Lang {
  const langs: Lang[] = [];
  for (const p of patterns) {
    if (p === '*') return ANY;
    const segs = p.split(':');
    while (segs.length < 6) segs.push('*');
    const [, , service, region, account] = segs;
    const resource = segs.slice(5).join(':');
    if (!/^\*+$/.test(resource)) continue;
    // Region and account segments are compared with the request's; widening ignores them, narrowing keeps only wildcards.
    const anyRegion = region === '' || /^\*+$/.test(region);
    const anyAccount = account === '' || /^\*+$/.test(account);
    if (!widen && !(anyRegion && anyAccount)) continue;
    langs.push({ seqs: [[...glob(service.toLowerCase(), { excludes: ':' }), ...text(':'), { kind: 'star', excludes: ':' }]] });
  }
  return langs.length ? union(...langs) : EMPTY;
}

/** A statement as a region. */
export interface Shape {
  readonly ref: StatementRef;
  readonly effect: 'Allow' | 'Deny';
  readonly principal: PrincipalMatch;
  readonly notPrincipal: boolean;
  readonly actions: Dim;
  readonly resources: Dim;
  /** The same statement for a request without a resource ARN: its Resource list turned into a constraint on actions. */
  readonly noResourceActions: Dim;
  readonly literals: Literal[];
  readonly notes: string[];
  /** The Resource or NotResource entries as written, for readable witnesses. */
  readonly patterns: readonly string[];
}

export function shapeOf(policy: LoadedPolicy, s: ParsedStatement, caller: PrincipalInfo, c: Constraints): Shape {
  const ref = statementRef(policy, s);
  const variables = policy.parsed.version === '2012-10-17';
  const notes: string[] = [];
  const where = `${ref.policyName}[${ref.sid ?? ref.index}]`;
  const allow = s.effect === 'Allow';
  const actions: Dim = s.action ? { in: [actionLang(s.action)], out: [] } : { in: [], out: [actionLang(s.notAction!)] };
  let resources: Dim = { in: [], out: [] };
  let noResourceActions: Dim = { in: [], out: [] };
  if (s.resource) {
    resources = { in: [resourceLang(s.resource, c, variables, allow, notes, where)], out: [] };
    noResourceActions = { in: [serviceWideActions(s.resource, allow)], out: [] };
  } else if (s.notResource) {
    resources = { in: [], out: [resourceLang(s.notResource, c, variables, !allow, notes, where)] };
    noResourceActions = { in: [], out: [serviceWideActions(s.notResource, !allow)] };
  }
  const literals = s.conditions.map((cond) => ({ cond, variables, holds: true, origin: where }));
  return {
    ref,
    effect: s.effect,
    principal: statementPrincipal(s, caller),
    notPrincipal: s.notPrincipal !== undefined,
    actions,
    resources,
    noResourceActions,
    literals,
    notes,
    patterns: s.resource ?? s.notResource ?? [],
  };
}

export function shapesOf(policy: LoadedPolicy, caller: PrincipalInfo, c: Constraints): Shape[] {
  return policy.parsed.statements.map((s) => shapeOf(policy, s, caller, c));
}
