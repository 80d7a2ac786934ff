/**
 * Reads, once per check, everything the criteria, the symptom and the armed
 * proof look at: every place AWS shows a stack's values (parameters,
 * outputs, template, tags, events), the function's configuration, plain
 * Parameter Store parameters, and where the database's password comes from.
 * Read-only. The one secret value read in clear (the version the database
 * uses) stays in memory and is only compared, never printed.
 */
import { DescribeStacksCommand, GetTemplateCommand, paginateDescribeStackEvents } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient, ListTagsCommand } from '@aws-sdk/client-lambda';
import {
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  paginateListSecretVersionIds,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ScenarioContext } from '../../lib/scenario/types';
import { type ReadView, withReadView } from '../../lib/scenario/read-view';
import type { NamedPolicy } from '../../lib/engines/iam';
import { physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { collectPages } from '../../lib/core/paging';
import { ignoring } from '../../lib/toolkit/aws-errors';
import { arnParts, roleNameOf } from '../../lib/toolkit/arn';
import { readRolePolicies, type RolePolicies } from '../../lib/live-policies';
import type { Tags } from 'yaml';
import { EXPOSED_PASSWORD, labRecordName, type LabRecord, MIN_PASSWORD_LENGTH } from './lab';

export type TemplateValue = unknown;
export interface Template {
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown; NoEcho?: unknown }>;
  readonly Resources?: Record<string, { Type?: string; Properties?: Record<string, TemplateValue> }>;
  readonly Outputs?: Record<string, unknown>;
}

/** YAML's short forms (!Ref x) as the long forms ({ Ref: x }) CloudFormation documents them as equivalent to. */
const SHORT_FORMS: Tags = [
  'Ref',
  'Sub',
  'Join',
  'GetAtt',
  'Select',
  'Split',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'Base64',
  'ImportValue',
  'GetAZs',
  'Cidr',
].flatMap((name) => {
  const key = name === 'Ref' ? 'Ref' : `Fn::${name}`;
  const toLong = (value: unknown) => ({ [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value });
  return (['scalar', 'seq', 'map'] as const).map((nodeClass) => ({
    tag: `!${name}`,
    collection: nodeClass === 'scalar' ? undefined : nodeClass,
    resolve: (value: unknown) =>
      toLong(value && typeof value === 'object' && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value),
  })) as unknown as Tags;
});

export function parseTemplate(body: string): Template {
  try {
    return JSON.parse(body) as Template;
  } catch {
    // yaml loads on the first body that is not JSON (moto answers YAML), not with every command that imports this module.
    const { parse: parseYaml } = require('yaml') as typeof import('yaml');
    return parseYaml(body, { customTags: SHORT_FORMS }) as Template;
  }
}

/** What a Ref or a resource's physical ID stands for in this stack, when it can be known. */
export interface Refs {
  readonly parameters: Readonly<Record<string, string | undefined>>;
  readonly physicalIds: Readonly<Record<string, string | undefined>>;
  readonly pseudo: Readonly<Record<string, string>>;
}

/**
 * The string a property value comes to, for the intrinsics that build
 * strings (Ref, Fn::Join, Fn::Sub without a variable map, Fn::Sub with one);
 * undefined when it depends on something this cannot know.
 */
export function stringOf(v: TemplateValue, refs: Refs): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.Ref === 'string') return refOf(o.Ref, refs);
  if (Array.isArray(o['Fn::Join'])) {
    const [sep, items] = o['Fn::Join'] as [unknown, unknown];
    if (typeof sep !== 'string' || !Array.isArray(items)) return undefined;
    const parts = items.map((i) => stringOf(i, refs));
    return parts.some((p) => p === undefined) ? undefined : parts.join(sep);
  }
  if (o['Fn::Sub'] !== undefined) {
    const sub = o['Fn::Sub'];
    const [text, vars] = Array.isArray(sub) ? [sub[0], (sub[1] ?? {}) as Record<string, unknown>] : [sub, {}];
    if (typeof text !== 'string') return undefined;
    let unknown = false;
    const out = text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      const value = name in vars ? stringOf(vars[name], refs) : name.includes('.') ? undefined : refOf(name, refs);
      if (value === undefined) unknown = true;
      return value ?? '';
    });
    return unknown ? undefined : out;
  }
  return undefined;
}

function refOf(name: string, refs: Refs): string | undefined {
  if (name in refs.pseudo) return refs.pseudo[name];
  if (name in refs.parameters) return refs.parameters[name];
  return refs.physicalIds[name];
}

/** Does this value take a template parameter, anywhere inside it? */
export function parametersIn(v: TemplateValue, parameterNames: readonly string[]): string[] {
  const found = new Set<string>();
  const walk = (x: unknown): void => {
    if (typeof x === 'string') {
      for (const m of x.matchAll(/\$\{([^}!.]+)\}/g)) if (parameterNames.includes(m[1])) found.add(m[1]);
      return;
    }
    if (Array.isArray(x)) return x.forEach(walk);
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.Ref === 'string' && parameterNames.includes(o.Ref)) found.add(o.Ref);
      Object.values(o).forEach(walk);
    }
  };
  walk(v);
  return [...found];
}

/** Where a DB instance's master password comes from, as its template properties say. */
export type PasswordSource =
  | {
      readonly kind: 'secretsmanager';
      readonly reference: string;
      readonly secretId: string;
      readonly jsonKey?: string;
      readonly versionStage?: string;
      readonly versionId?: string;
    }
  | { readonly kind: 'ssm-secure'; readonly reference: string; readonly name: string; readonly version?: string }
  | { readonly kind: 'ssm'; readonly reference: string; readonly name: string }
  | { readonly kind: 'managed' }
  | { readonly kind: 'parameter'; readonly parameters: string[]; readonly value?: string }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'unknown'; readonly why: string };

const WHOLE_REFERENCE = /^\{\{resolve:(secretsmanager|ssm-secure|ssm):(.+)\}\}$/;

/**
 * secretsmanager:secret-id:SecretString:json-key:version-stage:version-id,
 * where secret-id may be an ARN (which has colons of its own).
 */
function secretsManagerReference(reference: string, body: string): PasswordSource {
  const arn = /^(arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:[^:]+)(.*)$/.exec(body);
  const [secretId, rest] = arn ? [arn[1], arn[2]] : [body.split(':')[0], body.slice(body.split(':')[0].length)];
  const [, , jsonKey, versionStage, versionId] = rest.split(':');
  return {
    kind: 'secretsmanager',
    reference,
    secretId,
    jsonKey: jsonKey || undefined,
    versionStage: versionStage || undefined,
    versionId: versionId || undefined,
  };
}

export function passwordSourceOf(props: Record<string, TemplateValue>, parameterNames: readonly string[], refs: Refs): PasswordSource {
  const value = props.MasterUserPassword;
  if (value === undefined) {
    const managed = props.ManageMasterUserPassword;
    if (managed === true || managed === 'true') return { kind: 'managed' };
    return { kind: 'unknown', why: 'the DB instance sets neither MasterUserPassword nor ManageMasterUserPassword' };
  }
  const parameters = parametersIn(value, parameterNames);
  if (parameters.length > 0) return { kind: 'parameter', parameters, value: stringOf(value, refs) };
  const text = stringOf(value, refs);
  if (text === undefined)
    return { kind: 'unknown', why: `MasterUserPassword is ${JSON.stringify(value)}, which this check cannot resolve` };
  const ref = WHOLE_REFERENCE.exec(text);
  if (!ref) {
    if (text.includes('{{resolve:')) return { kind: 'unknown', why: 'MasterUserPassword mixes a dynamic reference with other text' };
    return { kind: 'literal', value: text };
  }
  const [, service, body] = ref;
  if (service === 'secretsmanager') return secretsManagerReference(text, body);
  const [name, version] = body.split(':');
  if (service === 'ssm-secure') return { kind: 'ssm-secure', reference: text, name, version };
  return { kind: 'ssm', reference: text, name };
}

/** The passwords the checker looks for, kept out of every printed or serialized form. */
export class Passwords {
  readonly #entries: { label: PasswordLabel; value: string }[] = [];

  add(label: PasswordLabel, value: string | undefined): void {
    if (value && value.length >= MIN_PASSWORD_LENGTH && !this.#entries.some((e) => e.value === value)) this.#entries.push({ label, value });
  }

  /** Which of the passwords appear in this text (by label, never by value). */
  foundIn(text: string | undefined): PasswordLabel[] {
    if (!text) return [];
    return this.#entries.filter((e) => text.includes(e.value)).map((e) => e.label);
  }

  /** Is the password that opens the database now the exposed one? */
  sameAsExposed(value: string): boolean {
    return value === EXPOSED_PASSWORD;
  }

  toJSON(): string {
    return `[${this.#entries.length} password(s), not shown]`;
  }
}

/** `exposed`: the value the review found; `current`: the value the database takes now, when that is another one. */
export type PasswordLabel = 'exposed' | 'current';

/** A place AWS shows a value, and the value it shows. */
export interface Shown {
  readonly where: string;
  readonly text: string | undefined;
}

export interface AppFunction {
  readonly name: string;
  readonly arn: string;
  readonly roleArn: string;
  readonly environment: Record<string, string>;
  readonly tags: Record<string, string>;
}

export interface DbSecret {
  readonly arn: string;
  readonly name: string;
  readonly rotationEnabled: boolean;
  readonly lastRotatedDate?: Date;
  readonly kmsKeyId?: string;
  /** The secret's tags (DescribeSecret): aws:ResourceTag/* and secretsmanager:ResourceTag/* of a request for it. */
  readonly tags: Readonly<Record<string, string>>;
  readonly policy?: NamedPolicy;
}

/** Live state the criteria and the symptom read. */
export interface OrdersSnapshot {
  readonly stackName: string;
  readonly stackId: string;
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly record?: LabRecord;
  /** Parameters as DescribeStacks shows them (NoEcho ones as `****`), limited to those the current template declares. */
  readonly parameters: Shown[];
  readonly outputs: Shown[];
  readonly template: Shown;
  readonly tags: Shown[];
  readonly events: (Shown & { readonly time?: Date })[];
  readonly db: {
    readonly identifier: string;
    readonly dbiResourceId?: string;
    readonly masterUserSecretArn?: string;
    readonly source: PasswordSource;
    /** When CloudFormation last created or updated the DB instance (its latest *_COMPLETE event). */
    readonly lastConfiguredAt?: Date;
  };
  /** The password the database takes now, as far as live state tells: a hash-free in-memory comparison only. */
  readonly password: PasswordState;
  readonly secret?: DbSecret;
  /** The SecureString parameter an ssm-secure reference names. */
  readonly secureParameter?: { readonly name: string; readonly arn: string; readonly type?: string };
  readonly app: AppFunction;
  readonly appRole: RolePolicies;
  /** Plain (String, StringList) Parameter Store parameters of the region, by name and value. */
  readonly plainParameters: Shown[];
  readonly passwords: Passwords;
}

export type PasswordState =
  { readonly known: true; readonly exposed: boolean; readonly how: string } | { readonly known: false; readonly why: string };

export async function gatherOrders(scenarioCtx: ScenarioContext): Promise<OrdersSnapshot> {
  const ctx = withReadView(scenarioCtx);
  const view = ctx.view;
  const cfn = ctx.clients.cloudformation;
  // Per lab: CloudFormation reads templates, resources and events per stack.
  const [stacks, templateOut, resources, events] = await Promise.all([
    cfn.send(new DescribeStacksCommand({ StackName: ctx.stackName })),
    cfn.send(new GetTemplateCommand({ StackName: ctx.stackName, TemplateStage: 'Original' })),
    view.stackResources(ctx.stackName),
    collectPages(paginateDescribeStackEvents({ client: cfn }, { StackName: ctx.stackName }), (p) => p.StackEvents),
  ]);
  const stack = stacks.Stacks?.[0];
  if (!stack?.StackId) throw new Error(`Stack ${ctx.stackName} was not found.`);
  const { partition, account, region } = arnParts(stack.StackId);
  const body = templateOut.TemplateBody ?? '{}';
  const template = parseTemplate(body);
  const declared = template.Parameters ?? {};

  const [dbId] = physicalIdsOfType(resources, 'AWS::RDS::DBInstance');
  const [functionName] = physicalIdsOfType(resources, 'AWS::Lambda::Function');
  if (!dbId || !functionName)
    throw new Error(`Stack ${ctx.stackName} lists no DB instance or no Lambda function; it is not a complete ${ctx.scenarioId} lab.`);
  const dbLogical = resources.find((r) => r.PhysicalResourceId === dbId && r.ResourceType === 'AWS::RDS::DBInstance')!.LogicalResourceId!;

  // AWS lists only the parameters the current template declares, NoEcho ones as ****.
  const parameters: Shown[] = (stack.Parameters ?? [])
    .filter((p) => p.ParameterKey && p.ParameterKey in declared)
    .map((p) => ({
      where: `stack parameter ${p.ParameterKey} (DescribeStacks)`,
      text: isNoEcho(declared[p.ParameterKey!]) ? '****' : p.ParameterValue,
    }));
  const parameterValues = Object.fromEntries(
    Object.entries(declared).map(([key, decl]) => {
      const shown = stack.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
      return [key, isNoEcho(decl) || shown === '****' ? undefined : shown];
    }),
  );
  const refs: Refs = {
    parameters: parameterValues,
    physicalIds: Object.fromEntries(resources.map((r) => [r.LogicalResourceId!, r.PhysicalResourceId])),
    pseudo: {
      'AWS::Region': region,
      'AWS::AccountId': account,
      'AWS::Partition': partition,
      'AWS::StackName': ctx.stackName,
      'AWS::StackId': stack.StackId,
      'AWS::URLSuffix': 'amazonaws.com',
    },
  };
  const lastConfiguredAt = events
    .filter((e) => e.LogicalResourceId === dbLogical && /^(CREATE|UPDATE)_COMPLETE$/.test(e.ResourceStatus ?? ''))
    .map((e) => e.Timestamp!)
    .sort((a, b) => b.getTime() - a.getTime())[0];

  const ssm = ctx.clients.client(SSMClient);
  const lambda = ctx.clients.client(LambdaClient);
  const [record, db, fn, plainParameters] = await Promise.all([
    ignoring(['ParameterNotFound'], ssm.send(new GetParameterCommand({ Name: labRecordName(ctx.stackName) }))),
    // The account's DB instances, listed once per round; one the listing lacks is described by identifier.
    view.dbInstance(dbId),
    lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })),
    readPlainParameters(view),
  ]);
  if (!db) throw new Error(`DB instance ${dbId} was not found.`);
  if (!fn.FunctionArn || !fn.Role) throw new Error(`Lambda function ${functionName} reports no ARN or role.`);
  // A NoEcho parameter shows as **** in DescribeStacks, yet wherever the template hands it on whole (an
  // environment variable, an output) AWS shows its value: learn it there, so a new password passed that
  // way is searched for like the exposed one.
  const fnLogical = resources.find(
    (r) => r.PhysicalResourceId === functionName && r.ResourceType === 'AWS::Lambda::Function',
  )?.LogicalResourceId;
  const learned = learnHiddenParameters(template, fnLogical, fn.Environment?.Variables ?? {}, stack.Outputs ?? [], refs);
  const knownRefs: Refs = { ...refs, parameters: { ...refs.parameters, ...learned } };
  const dbProps = template.Resources?.[dbLogical]?.Properties ?? {};
  const source = passwordSourceOf(dbProps, Object.keys(declared), knownRefs);
  const [fnTags, appRole] = await Promise.all([
    lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn })),
    readRolePolicies(ctx.clients.iam, roleNameOf(fn.Role)),
  ]);

  const passwords = new Passwords();
  passwords.add('exposed', EXPOSED_PASSWORD);
  const found = await currentPassword(ctx, source, db.MasterUserSecret?.SecretArn, lastConfiguredAt, { partition, account, region });
  if (found.value !== undefined) passwords.add('current', found.value);

  return {
    stackName: ctx.stackName,
    stackId: stack.StackId,
    partition,
    account,
    region,
    record: record?.Parameter?.Value ? (JSON.parse(record.Parameter.Value) as LabRecord) : undefined,
    parameters,
    outputs: (stack.Outputs ?? []).map((o) => ({ where: `stack output ${o.OutputKey} (DescribeStacks)`, text: o.OutputValue })),
    template: { where: 'the stack template (GetTemplate)', text: body },
    tags: [
      ...(stack.Tags ?? []).map((t) => ({ where: `stack tag ${t.Key}`, text: `${t.Key}=${t.Value}` })),
      ...(db.TagList ?? []).map((t) => ({ where: `tag ${t.Key} of DB instance ${dbId}`, text: `${t.Key}=${t.Value}` })),
      ...Object.entries(fnTags.Tags ?? {}).map(([k, v]) => ({ where: `tag ${k} of function ${functionName}`, text: `${k}=${v}` })),
    ],
    events: events.map((e) => ({
      where: `stack event ${e.EventId} (${e.LogicalResourceId} ${e.ResourceStatus})`,
      text: [e.ResourceProperties, e.ResourceStatusReason].filter(Boolean).join('\n'),
      time: e.Timestamp,
    })),
    db: {
      identifier: dbId,
      dbiResourceId: db.DbiResourceId,
      masterUserSecretArn: db.MasterUserSecret?.SecretArn,
      source,
      lastConfiguredAt,
    },
    password: found.state,
    secret: found.secret,
    secureParameter: found.secureParameter,
    app: {
      name: functionName,
      arn: fn.FunctionArn,
      roleArn: fn.Role,
      environment: fn.Environment?.Variables ?? {},
      tags: fnTags.Tags ?? {},
    },
    appRole,
    plainParameters,
    passwords,
  };
}

/**
 * Values of parameters the stack does not show (NoEcho) read where the template passes them on: a function
 * environment variable or an output whose value is the parameter (Ref), or an output built around it with
 * Fn::Join / Fn::Sub from parts this check can resolve.
 */
export function learnHiddenParameters(
  template: Template,
  functionLogicalId: string | undefined,
  environment: Record<string, string>,
  outputs: readonly { OutputKey?: string; OutputValue?: string }[],
  refs: Refs,
): Record<string, string> {
  const hidden = Object.keys(refs.parameters).filter((k) => refs.parameters[k] === undefined);
  const learned: Record<string, string> = {};
  const tryLearn = (templateValue: TemplateValue, live: string | undefined) => {
    if (live === undefined) return;
    for (const name of hidden) {
      if (name in learned) continue;
      // Resolve the template value with the parameter as a marker, then read the marker's place in the live value.
      const marker = `\u0000${name}\u0000`;
      const shaped = stringOf(templateValue, { ...refs, parameters: { ...refs.parameters, [name]: marker } });
      if (shaped === undefined || !shaped.includes(marker)) continue;
      const [before, ...rest] = shaped.split(marker);
      if (rest.length !== 1) continue;
      const after = rest[0];
      if (live.startsWith(before) && live.endsWith(after) && live.length > before.length + after.length)
        learned[name] = live.slice(before.length, live.length - after.length);
    }
  };
  const fnProps = functionLogicalId ? template.Resources?.[functionLogicalId]?.Properties : undefined;
  const variables = ((fnProps?.Environment as { Variables?: Record<string, TemplateValue> } | undefined)?.Variables ?? {}) as Record<
    string,
    TemplateValue
  >;
  for (const [key, value] of Object.entries(variables)) tryLearn(value, environment[key]);
  for (const [key, out] of Object.entries((template.Outputs ?? {}) as Record<string, { Value?: TemplateValue }>))
    tryLearn(out?.Value, outputs.find((o) => o.OutputKey === key)?.OutputValue);
  return learned;
}

function isNoEcho(decl: { NoEcho?: unknown } | undefined): boolean {
  return decl?.NoEcho === true || decl?.NoEcho === 'true';
}

/**
 * Every plain (unencrypted) Parameter Store parameter of the region, with its value: where a password must not be.
 * The same set for every lab of the account, so the round's view reads it once.
 */
async function readPlainParameters(view: ReadView): Promise<Shown[]> {
  return (await view.plainParameters()).map((p) => ({
    where: `${p.Type} parameter ${p.Name} (Parameter Store, not encrypted)`,
    text: p.Value,
  }));
}

interface Found {
  readonly state: PasswordState;
  readonly value?: string;
  readonly secret?: DbSecret;
  readonly secureParameter?: OrdersSnapshot['secureParameter'];
}

/**
 * The password the database takes now. For a Secrets Manager reference
 * without a pinned version, CloudFormation resolved AWSCURRENT when it last
 * created or updated the DB instance, so the version used is the newest one
 * created by then (unless Secrets Manager rotation has run since). The one
 * value read in clear stays in memory and is only compared.
 */
async function currentPassword(
  ctx: ScenarioContext,
  source: PasswordSource,
  managedSecretArn: string | undefined,
  lastConfiguredAt: Date | undefined,
  where: { partition: string; account: string; region: string },
): Promise<Found> {
  switch (source.kind) {
    case 'literal':
      return { state: { known: true, exposed: source.value === EXPOSED_PASSWORD, how: 'a literal in the template' }, value: source.value };
    case 'parameter':
      if (source.value === undefined) return { state: { known: false, why: `parameter ${source.parameters.join(', ')} is NoEcho` } };
      return {
        state: { known: true, exposed: source.value === EXPOSED_PASSWORD, how: `the value of parameter ${source.parameters.join(', ')}` },
        value: source.value,
      };
    case 'ssm':
    case 'ssm-secure': {
      const ssm = ctx.clients.client(SSMClient);
      const name = source.kind === 'ssm-secure' && source.version ? `${source.name}:${source.version}` : source.name;
      const out = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const value = out.Parameter?.Value;
      const arn = `arn:${where.partition}:ssm:${where.region}:${where.account}:parameter/${source.name.replace(/^\//, '')}`;
      return {
        state: { known: true, exposed: value === EXPOSED_PASSWORD, how: `Parameter Store parameter ${name}` },
        value,
        secureParameter: { name: source.name, arn, type: out.Parameter?.Type },
      };
    }
    case 'managed': {
      if (!managedSecretArn)
        return {
          state: { known: false, why: 'the template asks RDS to manage the password, but the DB instance reports no MasterUserSecret' },
        };
      const secret = await describeSecret(ctx, managedSecretArn);
      // RDS generates the password of a secret it manages: it cannot be the exposed one, and is never read here.
      return { state: { known: true, exposed: false, how: `the secret RDS manages, ${secret.arn}` }, secret };
    }
    case 'secretsmanager': {
      const secret = await describeSecret(ctx, source.secretId);
      const sm = ctx.clients.client(SecretsManagerClient);
      let versionId = source.versionId;
      let how = `secret ${secret.name} version ${source.versionId ?? source.versionStage ?? 'AWSCURRENT'}`;
      if (
        !versionId &&
        !source.versionStage &&
        lastConfiguredAt &&
        !(secret.rotationEnabled && secret.lastRotatedDate && secret.lastRotatedDate > lastConfiguredAt)
      ) {
        const versions = await collectPages(
          paginateListSecretVersionIds({ client: sm }, { SecretId: secret.arn, IncludeDeprecated: true }),
          (p) => p.Versions,
        );
        const byThen = versions
          .filter((v) => v.VersionId && v.CreatedDate && v.CreatedDate.getTime() <= lastConfiguredAt.getTime() + 999)
          .sort((a, b) => b.CreatedDate!.getTime() - a.CreatedDate!.getTime())[0];
        if (byThen) {
          versionId = byThen.VersionId;
          how = `secret ${secret.name} version ${versionId}, the newest when CloudFormation last updated the DB instance`;
        }
      }
      const out = await sm.send(
        new GetSecretValueCommand({
          SecretId: secret.arn,
          VersionId: versionId,
          VersionStage: versionId ? undefined : source.versionStage,
        }),
      );
      const value = valueAt(out.SecretString, source.jsonKey);
      return { state: { known: true, exposed: value === EXPOSED_PASSWORD, how }, value, secret };
    }
    default:
      return { state: { known: false, why: source.why } };
  }
}

function valueAt(secretString: string | undefined, jsonKey: string | undefined): string | undefined {
  if (!jsonKey || secretString === undefined) return secretString;
  try {
    const v = (JSON.parse(secretString) as Record<string, unknown>)[jsonKey];
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

async function describeSecret(ctx: ScenarioContext, secretId: string): Promise<DbSecret> {
  const sm = ctx.clients.client(SecretsManagerClient);
  const [d, policy] = await Promise.all([
    sm.send(new DescribeSecretCommand({ SecretId: secretId })),
    sm.send(new GetResourcePolicyCommand({ SecretId: secretId })),
  ]);
  if (!d.ARN || !d.Name) throw new Error(`Secret ${secretId} reports no ARN or name.`);
  return {
    arn: d.ARN,
    name: d.Name,
    rotationEnabled: d.RotationEnabled === true,
    lastRotatedDate: d.LastRotatedDate,
    kmsKeyId: d.KmsKeyId,
    tags: Object.fromEntries((d.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? ''])),
    policy: policy.ResourcePolicy
      ? { name: `resource policy of secret ${d.Name}`, kind: 'secret policy', document: policy.ResourcePolicy }
      : undefined,
  };
}

/** The places among `shown` that show one of the passwords, one sentence each (never the value). */
export function exposuresIn(shown: readonly Shown[], passwords: Passwords): string[] {
  return shown.flatMap((s) =>
    passwords.foundIn(s.text).map((label) => `${s.where[0].toUpperCase()}${s.where.slice(1)} shows the ${describeLabel(label)}`),
  );
}

export function describeLabel(label: PasswordLabel): string {
  return label === 'exposed' ? 'exposed database password' : "database's current password";
}
