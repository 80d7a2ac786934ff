import { IamPolicyError } from './errors';
import { checkResourcePattern } from './matchers';
import type { Effect, PolicyDocumentInput } from './types';

export type PolicyVersion = '2012-10-17' | '2008-10-17';

export interface PrincipalSpec {
  /** "*" or {"AWS": "*"} */
  wildcard: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
}

export type BaseOperator =
  | 'StringEquals'
  | 'StringNotEquals'
  | 'StringEqualsIgnoreCase'
  | 'StringNotEqualsIgnoreCase'
  | 'StringLike'
  | 'StringNotLike'
  | 'NumericEquals'
  | 'NumericNotEquals'
  | 'NumericLessThan'
  | 'NumericLessThanEquals'
  | 'NumericGreaterThan'
  | 'NumericGreaterThanEquals'
  | 'DateEquals'
  | 'DateNotEquals'
  | 'DateLessThan'
  | 'DateLessThanEquals'
  | 'DateGreaterThan'
  | 'DateGreaterThanEquals'
  | 'Bool'
  | 'BinaryEquals'
  | 'IpAddress'
  | 'NotIpAddress'
  | 'ArnEquals'
  | 'ArnLike'
  | 'ArnNotEquals'
  | 'ArnNotLike'
  | 'Null';

export const BASE_OPERATORS: readonly BaseOperator[] = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
];

export interface ParsedCondition {
  operator: string;
  base: BaseOperator;
  setOperator?: 'ForAnyValue' | 'ForAllValues';
  ifExists: boolean;
  key: string;
  values: string[];
}

export interface ParsedStatement {
  sid?: string;
  index: number;
  effect: Effect;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  conditions: ParsedCondition[];
}

export interface ParsedPolicy {
  version: PolicyVersion;
  statements: ParsedStatement[];
}

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_KINDS: Record<string, keyof Omit<PrincipalSpec, 'wildcard'>> = {
  AWS: 'aws',
  Service: 'service',
  Federated: 'federated',
  CanonicalUser: 'canonicalUser',
};
const operatorByLowerName = new Map(BASE_OPERATORS.map((op) => [op.toLowerCase(), op]));

function fail(where: string, message: string): never {
  throw new IamPolicyError(`${where}: ${message}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) fail(where, 'must not be an empty list');
  return list.map((item, i) => {
    if (typeof item !== 'string') fail(`${where}[${i}]`, `must be a string, got ${JSON.stringify(item)}`);
    return item;
  });
}

/** Condition values may be written as JSON booleans or numbers; IAM compares their text. */
function conditionValueList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'boolean' || typeof item === 'number') return String(item);
    return fail(`${where}[${i}]`, `must be a string, number or boolean, got ${JSON.stringify(item)}`);
  });
}

function parsePrincipal(value: unknown, where: string): PrincipalSpec {
  const spec: PrincipalSpec = { wildcard: false, aws: [], service: [], federated: [], canonicalUser: [] };
  if (value === '*') {
    spec.wildcard = true;
    return spec;
  }
  if (!isPlainObject(value)) fail(where, 'must be "*" or an object such as {"AWS": "..."}');
  for (const [kind, entries] of Object.entries(value)) {
    const field = PRINCIPAL_KINDS[kind];
    if (!field) fail(where, `unknown principal type "${kind}" (expected AWS, Service, Federated or CanonicalUser)`);
    for (const entry of stringList(entries, `${where}.${kind}`)) {
      if (field === 'aws' && entry === '*') spec.wildcard = true;
      else {
        // "You cannot use a wildcard to match part of a principal name or ARN." (Principal)
        if (/[*?]/.test(entry)) fail(`${where}.${kind}`, `"${entry}" uses a wildcard inside a principal, which AWS does not accept`);
        // "You cannot identify a user group as a principal in a policy" (Principal)
        if (field === 'aws' && /^arn:[^:]+:iam::\d{12}:group\//.test(entry))
          fail(`${where}.${kind}`, `"${entry}" is a user group, which cannot be a principal`);
        spec[field].push(entry);
      }
    }
  }
  return spec;
}

function parseAction(entry: string, where: string): string {
  if (entry === '*') return entry;
  const colon = entry.indexOf(':');
  if (colon <= 0 || colon === entry.length - 1 || entry.indexOf(':', colon + 1) !== -1) {
    fail(where, `"${entry}" is not an action; expected "service:Action" or "*"`);
  }
  return entry;
}

export function parseOperator(operator: string, where: string): Omit<ParsedCondition, 'key' | 'values'> {
  let rest = operator;
  let setOperator: ParsedCondition['setOperator'];
  const setMatch = /^(ForAnyValue|ForAllValues):(.+)$/i.exec(rest);
  if (setMatch) {
    setOperator = setMatch[1].toLowerCase() === 'foranyvalue' ? 'ForAnyValue' : 'ForAllValues';
    rest = setMatch[2];
  }
  let ifExists = false;
  if (/IfExists$/i.test(rest)) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = operatorByLowerName.get(rest.toLowerCase());
  if (!base) fail(where, `unknown condition operator "${operator}"`);
  if (base === 'Null' && (ifExists || setOperator)) fail(where, `"${operator}" is not valid: Null takes no IfExists or set prefix`);
  return { operator, base, setOperator, ifExists };
}

function parseConditions(value: unknown, where: string): ParsedCondition[] {
  if (!isPlainObject(value)) fail(where, 'must be an object of operator -> {key: values}');
  const out: ParsedCondition[] = [];
  for (const [operator, block] of Object.entries(value)) {
    const opWhere = `${where}.${operator}`;
    const parsedOp = parseOperator(operator, opWhere);
    if (!isPlainObject(block)) fail(opWhere, 'must be an object of condition key -> values');
    for (const [key, rawValues] of Object.entries(block)) {
      const values = conditionValueList(rawValues, `${opWhere}.${key}`);
      if (values.length === 0) fail(`${opWhere}.${key}`, 'must have at least one value');
      if (parsedOp.base === 'Null') {
        for (const v of values) {
          if (v.toLowerCase() !== 'true' && v.toLowerCase() !== 'false')
            fail(`${opWhere}.${key}`, `Null takes "true" or "false", got "${v}"`);
        }
      }
      out.push({ ...parsedOp, key, values });
    }
  }
  return out;
}

function parseStatement(raw: unknown, index: number, where: string): ParsedStatement {
  if (!isPlainObject(raw)) fail(where, 'must be an object');
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) fail(where, `unknown element "${key}"`);
  }
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') fail(`${where}.Effect`, `must be "Allow" or "Deny", got ${JSON.stringify(effect)}`);
  if (raw.Sid !== undefined && typeof raw.Sid !== 'string') fail(`${where}.Sid`, 'must be a string');
  const hasAction = raw.Action !== undefined;
  const hasNotAction = raw.NotAction !== undefined;
  if (hasAction === hasNotAction) fail(where, 'needs exactly one of Action or NotAction');
  if (raw.Resource !== undefined && raw.NotResource !== undefined) fail(where, 'cannot have both Resource and NotResource');
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) fail(where, 'cannot have both Principal and NotPrincipal');
  // AWS supports NotPrincipal only with Deny; an Allow with it would grant to everyone else, anonymous callers included.
  if (raw.NotPrincipal !== undefined && effect === 'Allow') fail(`${where}.NotPrincipal`, 'can only be used with "Effect": "Deny"');

  const statement: ParsedStatement = { sid: raw.Sid as string | undefined, index, effect, conditions: [] };
  if (hasAction) statement.action = stringList(raw.Action, `${where}.Action`).map((a, i) => parseAction(a, `${where}.Action[${i}]`));
  if (hasNotAction)
    statement.notAction = stringList(raw.NotAction, `${where}.NotAction`).map((a, i) => parseAction(a, `${where}.NotAction[${i}]`));
  if (raw.Resource !== undefined) statement.resource = stringList(raw.Resource, `${where}.Resource`);
  if (raw.NotResource !== undefined) statement.notResource = stringList(raw.NotResource, `${where}.NotResource`);
  statement.resource?.forEach((r, i) => checkResourcePattern(r, `${where}.Resource[${i}]`));
  statement.notResource?.forEach((r, i) => checkResourcePattern(r, `${where}.NotResource[${i}]`));
  if (raw.Principal !== undefined) statement.principal = parsePrincipal(raw.Principal, `${where}.Principal`);
  if (raw.NotPrincipal !== undefined) statement.notPrincipal = parsePrincipal(raw.NotPrincipal, `${where}.NotPrincipal`);
  if (raw.Condition !== undefined) statement.conditions = parseConditions(raw.Condition, `${where}.Condition`);
  return statement;
}

/**
 * Parses and validates a policy document. `label` names the policy in error messages.
 * Anything unrecognised is an error: an engine that skipped what it did not understand could allow too much.
 */
export function parsePolicy(input: PolicyDocumentInput, label: string): ParsedPolicy {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      fail(`policy ${label}`, `is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isPlainObject(doc)) fail(`policy ${label}`, 'must be a JSON object');
  for (const key of Object.keys(doc)) {
    if (key !== 'Version' && key !== 'Statement' && key !== 'Id') fail(`policy ${label}`, `unknown top-level element "${key}"`);
  }
  // Without a Version, IAM uses the 2008 language, where ${...} is literal text.
  const version = doc.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17')
    fail(`policy ${label}.Version`, `must be "2012-10-17" or "2008-10-17", got ${JSON.stringify(version)}`);
  if (doc.Statement === undefined) fail(`policy ${label}`, 'has no Statement');
  const rawStatements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const statements = rawStatements.map((s, i) => parseStatement(s, i, `policy ${label} Statement[${i}]`));
  return { version, statements };
}
