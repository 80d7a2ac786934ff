/**
 * How CloudFormation decides whether one resource drifted, given its
 * expected properties (template values, intrinsics resolved) and its live
 * properties in the template's shape. Pure: no SDK here.
 *
 * Semantics ("Detect unmanaged configuration changes to stacks and resources
 * with drift detection", CloudFormation User Guide; "StackResourceDrift" and
 * "PropertyDifference", CloudFormation API Reference):
 * - only properties set in the template are compared; a default the template
 *   leaves unset is never drift;
 * - a resource that no longer exists is DELETED; one of a type without a
 *   reader is NOT_CHECKED;
 * - each difference has a PropertyPath (/Prop/sub/0), ExpectedValue and
 *   ActualValue (scalars as text, objects and arrays as JSON, a missing value
 *   as "null") and a DifferenceType: NOT_EQUAL, REMOVE (gone from the live
 *   configuration) or ADD (an item or key added to a list or object the
 *   template set);
 * - lists CloudFormation treats as sets match regardless of order (live items
 *   indexed in canonical order), lists of named items match by name.
 * Where AWS documents nothing we chose: numbers and booleans compare by value
 * however the template wrote them; the moto emulator's drift module
 * (lib/targets/moto/fidelity/_cfn_drift.py) makes the same choices, and
 * test/fidelity/cfn-drift-agreement.test.ts checks both agree.
 */

export type ResourceDriftStatus = 'IN_SYNC' | 'MODIFIED' | 'DELETED' | 'NOT_CHECKED';
export type DifferenceType = 'ADD' | 'REMOVE' | 'NOT_EQUAL';

export interface PropertyDifference {
  readonly propertyPath: string;
  readonly expectedValue: string;
  readonly actualValue: string;
  readonly differenceType: DifferenceType;
}

/** A JSON value as templates and SDK reads produce it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

interface TypeSpec {
  /** Properties compared when the template sets them. */
  readonly props: readonly string[];
  /** Lists compared as sets: null for whole items, or the field naming an item. */
  readonly sets: Readonly<Record<string, string | null>>;
}

/** The resource types drift detection supports here, and what it compares. */
export const DRIFT_SPECS: Readonly<Record<string, TypeSpec>> = {
  'AWS::EC2::SecurityGroup': {
    props: ['GroupDescription', 'GroupName', 'VpcId', 'SecurityGroupIngress', 'SecurityGroupEgress'],
    sets: { '/SecurityGroupIngress': null, '/SecurityGroupEgress': null },
  },
  'AWS::IAM::Role': {
    props: [
      'AssumeRolePolicyDocument',
      'Policies',
      'ManagedPolicyArns',
      'Path',
      'RoleName',
      'Description',
      'MaxSessionDuration',
      'PermissionsBoundary',
    ],
    sets: { '/ManagedPolicyArns': null, '/Policies': 'PolicyName' },
  },
  'AWS::IAM::ManagedPolicy': {
    props: ['PolicyDocument', 'Description', 'Path', 'ManagedPolicyName', 'Roles', 'Users', 'Groups'],
    sets: { '/Roles': null, '/Users': null, '/Groups': null },
  },
  'AWS::IAM::Policy': {
    props: ['PolicyName', 'PolicyDocument', 'Roles', 'Users', 'Groups'],
    sets: { '/Roles': null, '/Users': null, '/Groups': null },
  },
  'AWS::Lambda::Function': {
    props: ['FunctionName', 'Handler', 'Runtime', 'Role', 'Timeout', 'MemorySize', 'Description', 'Environment'],
    sets: {},
  },
  'AWS::SSM::Parameter': { props: ['Name', 'Type', 'Value', 'Description', 'AllowedPattern', 'Tier', 'DataType'], sets: {} },
  'AWS::Logs::LogGroup': { props: ['LogGroupName', 'RetentionInDays', 'KmsKeyId'], sets: {} },
  'AWS::DynamoDB::Table': {
    props: [
      'TableName',
      'BillingMode',
      'ProvisionedThroughput',
      'TimeToLiveSpecification',
      'KeySchema',
      'AttributeDefinitions',
      'DeletionProtectionEnabled',
      'StreamSpecification',
    ],
    sets: { '/AttributeDefinitions': 'AttributeName' },
  },
  'AWS::S3::Bucket': { props: ['BucketName', 'VersioningConfiguration', 'PublicAccessBlockConfiguration'], sets: {} },
  'AWS::S3::BucketPolicy': { props: ['Bucket', 'PolicyDocument'], sets: {} },
  'AWS::ECS::Service': {
    props: ['ServiceName', 'DesiredCount', 'TaskDefinition', 'LaunchType', 'NetworkConfiguration'],
    sets: {
      '/NetworkConfiguration/AwsvpcConfiguration/Subnets': null,
      '/NetworkConfiguration/AwsvpcConfiguration/SecurityGroups': null,
    },
  },
  'AWS::ECS::TaskDefinition': {
    props: ['Family', 'Cpu', 'Memory', 'NetworkMode', 'RequiresCompatibilities', 'ExecutionRoleArn', 'TaskRoleArn'],
    sets: { '/RequiresCompatibilities': null },
  },
};

export function isDriftSupported(resourceType: string): boolean {
  return resourceType in DRIFT_SPECS;
}

const JSON_DOCUMENTS = ['PolicyDocument', 'AssumeRolePolicyDocument'];
const PROTOCOLS: Record<string, string> = { all: '-1', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

// --- values --------------------------------------------------------------------

/** Numbers and booleans compare by value, however the template wrote them. */
export function scalar(value: Json): Json {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  return value;
}

/** ExpectedValue / ActualValue: scalars as text, objects and arrays as JSON, missing as "null". */
export function asText(value: Json | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(scalar(value));
}

function canonical(value: Json): Json {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  }
  return scalar(value);
}

/** One text per value whatever its key order: how set items are sorted. */
export function canonicalJson(value: Json): string {
  return JSON.stringify(canonical(value));
}

function equal(a: Json, b: Json): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function documentOf(value: Json): Json {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as Json;
  } catch {
    return value;
  }
}

/** A security group rule in one canonical shape, from a template or a live read. */
export function sgRule(rule: JsonObject, egress: boolean): JsonObject {
  const raw = String(rule.IpProtocol ?? '').toLowerCase();
  const protocol = PROTOCOLS[raw] ?? raw;
  const out: JsonObject = { IpProtocol: protocol };
  if (protocol !== '-1') {
    for (const port of ['FromPort', 'ToPort']) {
      if (rule[port] !== undefined && rule[port] !== null) out[port] = Number(rule[port]);
    }
  }
  const side = egress ? 'Destination' : 'Source';
  for (const key of ['CidrIp', 'CidrIpv6', `${side}SecurityGroupId`, `${side}PrefixListId`, 'Description']) {
    if (rule[key]) out[key] = rule[key];
  }
  return out;
}

/** The template's properties, in the shape the readers produce. */
export function canonicalExpected(resourceType: string, properties: JsonObject): JsonObject {
  const props: JsonObject = { ...properties };
  for (const key of JSON_DOCUMENTS) if (key in props) props[key] = documentOf(props[key]);
  if (resourceType === 'AWS::EC2::SecurityGroup') {
    for (const [key, egress] of [
      ['SecurityGroupIngress', false],
      ['SecurityGroupEgress', true],
    ] as const) {
      const rules = props[key];
      if (Array.isArray(rules)) props[key] = rules.map((r) => sgRule(r as JsonObject, egress));
    }
  }
  if (resourceType === 'AWS::IAM::Role' && Array.isArray(props.Policies)) {
    props.Policies = props.Policies.map((p) => {
      const policy = p as JsonObject;
      return { ...policy, PolicyDocument: documentOf(policy.PolicyDocument ?? null) };
    });
  }
  return props;
}

/** A live read with empty values left out, as a service omits what is unset. */
export function dropEmpty(obj: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

// --- comparison ------------------------------------------------------------------

function difference(path: string, expected: Json | undefined, actual: Json | undefined, type: DifferenceType): PropertyDifference {
  return { propertyPath: path, expectedValue: asText(expected), actualValue: asText(actual), differenceType: type };
}

function diff(expected: Json, actual: Json | undefined, path: string, sets: TypeSpec['sets'], out: PropertyDifference[]): void {
  if (actual === undefined || actual === null) {
    if (expected !== null) out.push(difference(path, expected, undefined, 'REMOVE'));
    return;
  }
  const isObject = (v: Json) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(expected) && isObject(actual)) {
    const e = expected as JsonObject;
    const a = actual as JsonObject;
    for (const [key, value] of Object.entries(e)) diff(value, key in a ? a[key] : undefined, `${path}/${key}`, sets, out);
    for (const [key, value] of Object.entries(a)) if (!(key in e)) out.push(difference(`${path}/${key}`, undefined, value, 'ADD'));
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (path in sets) {
      diffSet(expected, actual, path, sets, out);
      return;
    }
    expected.forEach((value, i) => diff(value, i < actual.length ? actual[i] : undefined, `${path}/${i}`, sets, out));
    for (let i = expected.length; i < actual.length; i++) out.push(difference(`${path}/${i}`, undefined, actual[i], 'ADD'));
    return;
  }
  if (!equal(expected, actual)) out.push(difference(path, expected, actual, 'NOT_EQUAL'));
}

function diffSet(expected: Json[], liveOrder: Json[], path: string, sets: TypeSpec['sets'], out: PropertyDifference[]): void {
  const key = sets[path];
  // A set has no order of its own: live items are indexed in canonical order,
  // so ADD paths do not depend on the order a service happens to list them in.
  const actual = [...liveOrder].sort((a, b) => {
    const x = canonicalJson(a);
    const y = canonicalJson(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const unmatched = actual.map((_v, i) => i);
  const take = (i: number) => unmatched.splice(unmatched.indexOf(i), 1);
  expected.forEach((value, index) => {
    const isNamed = key !== null && value !== null && typeof value === 'object' && !Array.isArray(value);
    if (isNamed) {
      const name = (value as JsonObject)[key];
      const match = unmatched.find((i) => {
        const item = actual[i];
        return item !== null && typeof item === 'object' && !Array.isArray(item) && (item as JsonObject)[key] === name;
      });
      if (match !== undefined) {
        take(match);
        diff(value, actual[match], `${path}/${index}`, sets, out);
        return;
      }
    } else {
      const match = unmatched.find((i) => equal(actual[i], value));
      if (match !== undefined) {
        take(match);
        return;
      }
    }
    out.push(difference(`${path}/${index}`, value, undefined, 'REMOVE'));
  });
  for (const i of unmatched) out.push(difference(`${path}/${i}`, undefined, actual[i], 'ADD'));
}

export interface ResourceComparison {
  readonly status: 'IN_SYNC' | 'MODIFIED' | 'DELETED';
  readonly differences: PropertyDifference[];
  /** The compared template properties (absent for DELETED). */
  readonly expected?: JsonObject;
  /** The live values of the compared properties (absent for DELETED). */
  readonly actual?: JsonObject;
}

/**
 * Compares one resource of a supported type; `actual` undefined means it is
 * gone. Properties not in the type's spec are not compared.
 */
export function compareResource(resourceType: string, expectedProperties: JsonObject, actual: JsonObject | undefined): ResourceComparison {
  const spec = DRIFT_SPECS[resourceType];
  if (!spec) throw new Error(`Drift detection does not support ${resourceType}`);
  if (actual === undefined) return { status: 'DELETED', differences: [] };
  const expected = canonicalExpected(resourceType, expectedProperties);
  const compared: JsonObject = {};
  for (const [k, v] of Object.entries(expected)) if (spec.props.includes(k)) compared[k] = v;
  const differences: PropertyDifference[] = [];
  for (const [name, value] of Object.entries(compared))
    diff(value, name in actual ? actual[name] : undefined, `/${name}`, spec.sets, differences);
  const live: JsonObject = {};
  for (const k of Object.keys(compared)) if (k in actual) live[k] = actual[k];
  return { status: differences.length ? 'MODIFIED' : 'IN_SYNC', differences, expected: compared, actual: live };
}
