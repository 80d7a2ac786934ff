import { splitArn } from './arn';
import type { ContextLookup } from './context';
import { inCidr, parseCidr, parseIp } from './ip';
import type { BaseOperator, ParsedCondition } from './parse';
import { resolveLiteral, resolvePattern } from './variables';
import { matchTokens } from './wildcard';

/**
 * Compares one request value with one condition value for the positive form of an operator.
 * null means the pair cannot be compared (unparseable number, unresolvable variable, ...).
 */
type Comparator = (requestValue: string, conditionValue: string, ctx: ContextLookup, variables: boolean) => boolean | null;

const NEGATED: ReadonlySet<BaseOperator> = new Set([
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

function parseNumber(text: string): number | null {
  return NUMBER.test(text.trim()) ? Number(text.trim()) : null;
}

/** Milliseconds since the epoch; a bare integer is epoch seconds (aws:EpochTime style). */
function parseDate(text: string): number | null {
  if (/^-?\d+$/.test(text)) return Number(text) * 1000;
  if (!ISO_DATE.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

const stringEquals: Comparator = (req, cond, ctx, vars) => {
  const expected = resolveLiteral(cond, ctx, vars);
  return expected === null ? null : req === expected;
};
const stringEqualsIgnoreCase: Comparator = (req, cond, ctx, vars) => {
  const expected = resolveLiteral(cond, ctx, vars);
  return expected === null ? null : req.toLowerCase() === expected.toLowerCase();
};
const stringLike: Comparator = (req, cond, ctx, vars) => {
  const tokens = resolvePattern(cond, ctx, { wildcards: true, variables: vars });
  return tokens === null ? null : matchTokens(tokens, req);
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
const bool: Comparator = (req, cond) => {
  const a = req.toLowerCase();
  const b = cond.toLowerCase();
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
const arnLike: Comparator = (req, cond, ctx, vars) => {
  const actual = splitArn(req);
  const pattern = splitArn(cond);
  if (!actual || !pattern) return null;
  for (const part of ['partition', 'service', 'region', 'account', 'resource'] as const) {
    const tokens = resolvePattern(pattern[part], ctx, { wildcards: true, variables: vars });
    if (tokens === null) return null;
    if (!matchTokens(tokens, actual[part])) return false;
  }
  return true;
};

const COMPARATORS: Record<Exclude<BaseOperator, 'Null'>, Comparator> = {
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

/** Variables are substituted only where IAM allows them: string and ARN operators. */
function allowsVariables(base: BaseOperator): boolean {
  return base.startsWith('String') || base.startsWith('Arn');
}

/**
 * One request value against all condition values: positive operators need any value to match (OR);
 * negated operators need every value to be compared and none to match.
 */
function valueMatches(cond: ParsedCondition, requestValue: string, ctx: ContextLookup, variables: boolean): boolean {
  const compare = COMPARATORS[cond.base as Exclude<BaseOperator, 'Null'>];
  const vars = variables && allowsVariables(cond.base);
  const results = cond.values.map((v) => compare(requestValue, v, ctx, vars));
  if (NEGATED.has(cond.base)) return results.every((r) => r === false);
  return results.some((r) => r === true);
}

/** Evaluates one operator/key pair of a Condition block. `variables` is false for 2008-10-17 policies. */
export function conditionMatches(cond: ParsedCondition, ctx: ContextLookup, variables: boolean): boolean {
  const value = ctx.get(cond.key);
  if (cond.base === 'Null') {
    // Null: "true" means the key must be absent, "false" that it must be present.
    const absent = value === undefined;
    return cond.values.some((v) => (v.toLowerCase() === 'true') === absent);
  }
  if (cond.setOperator) {
    if (value === undefined) return cond.setOperator === 'ForAllValues' || cond.ifExists;
    const values = Array.isArray(value) ? value : [value];
    return cond.setOperator === 'ForAnyValue'
      ? values.some((v) => valueMatches(cond, v, ctx, variables))
      : values.every((v) => valueMatches(cond, v, ctx, variables));
  }
  if (value === undefined) return cond.ifExists || NEGATED.has(cond.base);
  // A single-valued operator cannot test a multivalued key; it needs ForAnyValue/ForAllValues.
  if (Array.isArray(value)) return false;
  return valueMatches(cond, value, ctx, variables);
}

/** All pairs of a statement's Condition block must hold (AND). */
export function conditionsMatch(conditions: ParsedCondition[], ctx: ContextLookup, variables: boolean): boolean {
  return conditions.every((c) => conditionMatches(c, ctx, variables));
}
