/**
 * A stack's template, read back with GetTemplate, and its intrinsic
 * functions resolved the way CloudFormation resolved them for the stack:
 * Ref (resources, parameters, pseudo parameters), Fn::GetAtt, Fn::Sub,
 * Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::If with the template's
 * Conditions (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition).
 *
 * Reference: "Intrinsic function reference" and "Pseudo parameters
 * reference" (CloudFormation User Guide). A value that cannot be resolved
 * from what the APIs show (a NoEcho parameter, an attribute without a
 * resolver, an unknown function) raises Unresolvable; the drift engine then
 * leaves that property out of the comparison and says so.
 */
import type { YAMLMap, YAMLSeq } from 'yaml';
import type { Json, JsonObject } from './drift-compare';

export class Unresolvable extends Error {}

export interface Template {
  readonly Parameters?: Record<string, { Default?: Json; NoEcho?: boolean | string; Type?: string }>;
  readonly Mappings?: Record<string, Record<string, Record<string, Json>>>;
  readonly Conditions?: Record<string, Json>;
  readonly Resources: Record<string, { Type: string; Properties?: JsonObject; Condition?: string }>;
}

/** Short-form YAML tags (!Ref, !GetAtt, !Sub...) as the long-form objects they stand for. */
const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
];
const yamlTags = SHORT_FORMS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const wrap = (value: unknown) => {
    if (name === 'GetAtt' && typeof value === 'string') return { [key]: value.split('.') };
    return { [key]: value };
  };
  return [
    { tag: `!${name}`, resolve: (str: string) => wrap(str) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (seq: YAMLSeq) => wrap(seq.toJSON()) },
    { tag: `!${name}`, collection: 'map' as const, resolve: (map: YAMLMap) => wrap(map.toJSON()) },
  ];
});

/** The template body GetTemplate returns, JSON or YAML (long or short form). */
export function parseTemplate(body: string): Template {
  try {
    return JSON.parse(body) as Template;
  } catch {
    // yaml loads on the first body that is not JSON (moto answers YAML), not with every command that imports this module.
    const { parse: parseYaml } = require('yaml') as typeof import('yaml');
    return parseYaml(body, { customTags: yamlTags as never, intAsBigInt: false }) as Template;
  }
}

export interface ResolveContext {
  readonly template: Template;
  /** Parameter values as DescribeStacks reports them ("****" for NoEcho). */
  readonly parameters: Record<string, string>;
  readonly pseudo: {
    readonly accountId: string;
    readonly region: string;
    readonly partition: string;
    readonly stackName: string;
    readonly stackId: string;
    readonly urlSuffix: string;
  };
  /** Logical ID -> physical ID of the stack's resources. */
  readonly physicalIds: Record<string, string>;
  /** Fn::GetAtt of a resource; raises Unresolvable when it cannot. */
  readonly getAtt: (logicalId: string, attribute: string) => Promise<Json>;
}

export function pseudoFromStackId(stackId: string, stackName: string): ResolveContext['pseudo'] {
  // arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<uuid>
  const [, partition, , region, accountId] = stackId.split(':');
  const urlSuffix = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return { accountId, region, partition, stackName, stackId, urlSuffix };
}

function ref(ctx: ResolveContext, name: string): Json {
  const pseudo: Record<string, Json> = {
    'AWS::AccountId': ctx.pseudo.accountId,
    'AWS::Region': ctx.pseudo.region,
    'AWS::Partition': ctx.pseudo.partition,
    'AWS::StackName': ctx.pseudo.stackName,
    'AWS::StackId': ctx.pseudo.stackId,
    'AWS::URLSuffix': ctx.pseudo.urlSuffix,
  };
  if (name in pseudo) return pseudo[name];
  if (name === 'AWS::NoValue') return null;
  const parameter = ctx.template.Parameters?.[name];
  if (parameter) {
    const value = ctx.parameters[name] ?? parameter.Default;
    if (value === undefined || value === '****') throw new Unresolvable(`parameter ${name} is not readable (NoEcho)`);
    if ((parameter.Type ?? '').startsWith('List<') || parameter.Type === 'CommaDelimitedList') return String(value).split(',');
    return value;
  }
  if (name in ctx.physicalIds) return ctx.physicalIds[name];
  throw new Unresolvable(`Ref ${name}`);
}

async function condition(ctx: ResolveContext, name: string): Promise<boolean> {
  const body = ctx.template.Conditions?.[name];
  if (body === undefined) throw new Unresolvable(`condition ${name}`);
  return Boolean(await resolve(ctx, body));
}

/** Resolves every intrinsic function in `node`. */
export async function resolve(ctx: ResolveContext, node: Json): Promise<Json> {
  if (Array.isArray(node)) {
    const out: Json[] = [];
    for (const item of node) {
      const value = await resolve(ctx, item);
      // Fn::If with AWS::NoValue removes the item.
      if (!(value === null && isNoValueIf(item))) out.push(value);
    }
    return out;
  }
  if (node === null || typeof node !== 'object') return node;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const [fn] = keys;
    const arg = node[fn];
    switch (fn) {
      case 'Ref':
        return ref(ctx, String(arg));
      case 'Condition':
        return condition(ctx, String(arg));
      case 'Fn::GetAtt': {
        const [logicalId, ...rest] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
        return ctx.getAtt(String(logicalId), rest.join('.'));
      }
      case 'Fn::Join': {
        const [sep, items] = arg as [string, Json];
        const values = (await resolve(ctx, items)) as Json[];
        return values.map((v) => String(v)).join(String(sep));
      }
      case 'Fn::Select': {
        const [index, list] = arg as [Json, Json];
        const values = (await resolve(ctx, list)) as Json[];
        return values[Number(await resolve(ctx, index))];
      }
      case 'Fn::Split': {
        const [sep, text] = arg as [string, Json];
        return String(await resolve(ctx, text)).split(sep);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = (await resolve(ctx, arg)) as string[];
        const value = ctx.template.Mappings?.[map]?.[top]?.[second];
        if (value === undefined) throw new Unresolvable(`Fn::FindInMap ${map}.${top}.${second}`);
        return value;
      }
      case 'Fn::Sub':
        return sub(ctx, arg);
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = arg as [string, Json, Json];
        return resolve(ctx, (await condition(ctx, name)) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [a, b] = (await resolve(ctx, arg)) as Json[];
        return String(a) === String(b);
      }
      case 'Fn::And':
        return ((await resolve(ctx, arg)) as Json[]).every(Boolean);
      case 'Fn::Or':
        return ((await resolve(ctx, arg)) as Json[]).some(Boolean);
      case 'Fn::Not':
        return !((await resolve(ctx, arg)) as Json[])[0];
      default:
        if (fn.startsWith('Fn::')) throw new Unresolvable(fn);
    }
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    const value = await resolve(ctx, v);
    if (!(value === null && (isNoValue(v) || isNoValueIf(v)))) out[k] = value;
  }
  return out;
}

function isNoValue(node: Json): boolean {
  return node !== null && typeof node === 'object' && !Array.isArray(node) && (node as JsonObject).Ref === 'AWS::NoValue';
}

function isNoValueIf(node: Json): boolean {
  if (node === null || typeof node !== 'object' || Array.isArray(node) || !('Fn::If' in node)) return false;
  const branches = (node as JsonObject)['Fn::If'] as Json[];
  return branches.slice(1).some(isNoValue);
}

async function sub(ctx: ResolveContext, arg: Json): Promise<string> {
  const [text, vars] = Array.isArray(arg) ? (arg as [string, JsonObject]) : [String(arg), {} as JsonObject];
  const values: Record<string, Json> = {};
  for (const [k, v] of Object.entries(vars ?? {})) values[k] = await resolve(ctx, v);
  let out = '';
  let rest = text;
  for (;;) {
    const start = rest.indexOf('${');
    if (start < 0) return out + rest;
    out += rest.slice(0, start);
    if (rest[start + 2] === '!') {
      // ${!Literal} is the literal text ${Literal}.
      const end = rest.indexOf('}', start);
      out += '${' + rest.slice(start + 3, end) + '}';
      rest = rest.slice(end + 1);
      continue;
    }
    const end = rest.indexOf('}', start);
    const name = rest.slice(start + 2, end).trim();
    rest = rest.slice(end + 1);
    if (name in values) out += String(values[name]);
    else if (name.includes('.') && !name.startsWith('AWS::')) {
      const [logicalId, ...attr] = name.split('.');
      out += String(await ctx.getAtt(logicalId, attr.join('.')));
    } else out += String(ref(ctx, name));
  }
}
