import { splitArn } from './arn';
import { IamPolicyError } from './errors';
import type { ContextLookup } from './context';
import { inCidr, parseCidr, parseIp } from './ip';
import type { BaseOperator, ParsedCondition } from './parse';
import { triAll, type Tri } from './tri';
import { NO_VALUE, resolveLiteral, resolvePattern, UNKNOWN } from './variables';
import { matchTokens } from './wildcard';

/**
 * Compares one request value with one condition value for the positive form of an operator:
 * true/false, null when the pair cannot be compared (unparseable number, ...), NO_VALUE when a policy
 * variable in the condition value has no value, UNKNOWN when it names a key the context marks unknown.
 */
type Comparison = boolean | null | typeof NO_VALUE | typeof UNKNOWN;
type Comparator = (
  requestValue: string,
  conditionValue: string,
  ctx: ContextLookup,
  variables: boolean,
  unknown: Set<string>,
) => Comparison;

export const NEGATED: ReadonlySet<BaseOperator> = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'ArnNotEquals',
  'ArnNotLike',
  'NotIpAddress',
]);

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ].*)?$/;

export function parseNumber(text: string): number | null {
  return NUMBER.test(text.trim()) ? Number(text.trim()) : null;
}

/** Milliseconds since the epoch; a bare integer is epoch seconds (aws:EpochTime style). */
export function parseDate(text: string): number | null {
  if (/^-?\d+$/.test(text)) return Number(text) * 1000;
  if (!ISO_DATE.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

const literal =
  (test: (req: string, expected: string) => boolean): Comparator =>
  (req, cond, ctx, vars, unknown) => {
    const expected = resolveLiteral(cond, ctx, vars, unknown);
    return expected === NO_VALUE || expected === UNKNOWN ? expected : test(req, expected);
  };
const stringEquals = literal((req, expected) => req === expected);
const stringEqualsIgnoreCase = literal((req, expected) => req.toLowerCase() === expected.toLowerCase());
const stringLike: Comparator = (req, cond, ctx, vars, unknown) => {
  const tokens = resolvePattern(cond, ctx, { wildcards: true, variables: vars }, unknown);
  return tokens === NO_VALUE || tokens === UNKNOWN ? tokens : matchTokens(tokens, req);
};
const numeric =
  (test: (req: number, cond: number) => boolean): Comparator =>
  (req, cond) => {
    const a = parseNumber(req);
    const b = parseNumber(cond);
    return a === null || b === null ? null : test(a, b);
  };
const date =
  (test: (req: number, cond: number) => boolean): Comparator =>
  (req, cond) => {
    const a = parseDate(req);
    const b = parseDate(cond);
    return a === null || b === null ? null : test(a, b);
  };
/** Bool takes policy variables (see the engine README on why, and on the page that says otherwise). */
const bool: Comparator = (req, cond, ctx, vars, unknown) => {
  const expected = resolveLiteral(cond, ctx, vars, unknown);
  if (expected === NO_VALUE || expected === UNKNOWN) return expected;
  const a = req.toLowerCase();
  const b = expected.toLowerCase();
  if ((a !== 'true' && a !== 'false') || (b !== 'true' && b !== 'false')) return null;
  return a === b;
};
const binary: Comparator = (req, cond) => req === cond;
const ipAddress: Comparator = (req, cond) => {
  const ip = parseIp(req);
  const range = parseCidr(cond);
  return ip === null || range === null ? null : inCidr(ip, range);
};
/** ArnEquals and ArnLike are the same test: each of the six parts matched separately, wildcards allowed, case-sensitive. */
const arnLike: Comparator = (req, cond, ctx, vars, unknown) => {
  const actual = splitArn(req);
  const pattern = splitArn(cond);
  if (!actual || !pattern) return null;
  let result: Comparison = true;
  for (const part of ['partition', 'service', 'region', 'account', 'resource'] as const) {
    const tokens = resolvePattern(pattern[part], ctx, { wildcards: true, variables: vars }, unknown);
    if (tokens === NO_VALUE) return NO_VALUE;
    if (tokens === UNKNOWN) result = UNKNOWN;
    else if (!matchTokens(tokens, actual[part])) return false;
  }
  return result;
};

export const COMPARATORS: Record<Exclude<BaseOperator, 'Null'>, Comparator> = {
  StringEquals: stringEquals,
  StringNotEquals: stringEquals,
  StringEqualsIgnoreCase: stringEqualsIgnoreCase,
  StringNotEqualsIgnoreCase: stringEqualsIgnoreCase,
  StringLike: stringLike,
  StringNotLike: stringLike,
  NumericEquals: numeric((a, b) => a === b),
  NumericNotEquals: numeric((a, b) => a === b),
  NumericLessThan: numeric((a, b) => a < b),
  NumericLessThanEquals: numeric((a, b) => a <= b),
  NumericGreaterThan: numeric((a, b) => a > b),
  NumericGreaterThanEquals: numeric((a, b) => a >= b),
  DateEquals: date((a, b) => a === b),
  DateNotEquals: date((a, b) => a === b),
  DateLessThan: date((a, b) => a < b),
  DateLessThanEquals: date((a, b) => a <= b),
  DateGreaterThan: date((a, b) => a > b),
  DateGreaterThanEquals: date((a, b) => a >= b),
  Bool: bool,
  BinaryEquals: binary,
  IpAddress: ipAddress,
  NotIpAddress: ipAddress,
  ArnEquals: arnLike,
  ArnLike: arnLike,
  ArnNotEquals: arnLike,
  ArnNotLike: arnLike,
};

/**
 * Variables are substituted in string and ARN operators ("Policy variables") and, by the choice the
 * engine README explains, in Bool ("Condition operators": "You can use a policy variable with the Bool
 * condition operator").
 */
export function allowsVariables(base: BaseOperator): boolean {
  return base.startsWith('String') || base.startsWith('Arn') || base === 'Bool';
}

/**
 * One request value against all condition values. Positive operators need any value to match (OR).
 * Negated operators need every value to be compared and none to match; a variable with no value is
 * "not equal to or like" anything ("Policy variables with no value": inverted operators match it).
 */
function valueMatches(cond: ParsedCondition, requestValue: string, ctx: ContextLookup, variables: boolean, unknown: Set<string>): Tri {
  const compare = COMPARATORS[cond.base as Exclude<BaseOperator, 'Null'>];
  const vars = variables && allowsVariables(cond.base);
  const results = cond.values.map((v) => compare(requestValue, v, ctx, vars, unknown));
  if (NEGATED.has(cond.base)) {
    if (results.some((r) => r === true || r === null)) return false;
    return results.some((r) => r === UNKNOWN) ? 'unknown' : true;
  }
  if (results.some((r) => r === true)) return true;
  return results.some((r) => r === UNKNOWN) ? 'unknown' : false;
}

/** "" and [] (and lists of only "") are the null data set of "Single-valued vs. multivalued context keys". */
function isEmptySet(values: string[]): boolean {
  return values.every((v) => v === '');
}

/**
 * Evaluates one operator/key pair of a Condition block. `variables` is false for 2008-10-17 policies.
 * Keys the context marks unknown make the pair 'unknown' (recorded in `unknown`), whatever the operator.
 */
export function conditionMatches(cond: ParsedCondition, ctx: ContextLookup, variables: boolean, unknown: Set<string> = new Set()): Tri {
  const state = ctx.state(cond.key);
  if (state === 'unknown') {
    unknown.add(cond.key);
    return 'unknown';
  }
  const value = ctx.get(cond.key);
  if (cond.base === 'Null') {
    // Null: "true" means the key must be absent, "false" that it must be present.
    const absent = value === undefined;
    return cond.values.some((v) => (v.toLowerCase() === 'true') === absent);
  }
  if (cond.setOperator) {
    const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
    // ForAllValues is true for no key or a null data set, ForAnyValue false ("Single-valued vs. multivalued context keys").
    if (value === undefined || isEmptySet(values)) return cond.setOperator === 'ForAllValues' || cond.ifExists;
    const each = values.map((v) => valueMatches(cond, v, ctx, variables, unknown));
    if (cond.setOperator === 'ForAllValues') return triAll(each);
    if (each.some((r) => r === true)) return true;
    return each.some((r) => r === 'unknown') ? 'unknown' : false;
  }
  if (value === undefined) return cond.ifExists || NEGATED.has(cond.base);
  // "Multivalued condition keys require condition set operators ForAllValues or ForAnyValue" (Single-valued vs.
  // multivalued context keys); AWS documents no result without one, so the engine refuses rather than guess.
  if (Array.isArray(value))
    throw new IamPolicyError(
      `condition ${cond.operator} on ${cond.key}: the request has several values for it, which needs ForAnyValue or ForAllValues`,
    );
  return valueMatches(cond, value, ctx, variables, unknown);
}

/** All pairs of a statement's Condition block must hold (AND). */
export function conditionsMatch(
  conditions: ParsedCondition[],
  ctx: ContextLookup,
  variables: boolean,
  unknown: Set<string> = new Set(),
): Tri {
  return triAll(conditions.map((c) => conditionMatches(c, ctx, variables, unknown)));
}
