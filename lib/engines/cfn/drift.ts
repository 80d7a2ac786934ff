/**
 * Drift of a stack computed by breakfix itself, from the stack's current
 * template (GetTemplate) and live reads of its resources through the SDK,
 * with CloudFormation's drift semantics (drift-compare.ts). It works the
 * same on every target, whether or not the target implements
 * DetectStackDrift, and never changes anything.
 *
 * Use it where a verdict or advice needs "does reality match the template":
 * the drift scenario's checker, the rollback scenario's advice. The emulator's
 * own DetectStackDrift (lib/targets/moto/fidelity/patch_cfn_drift_detection.py)
 * follows the same rules; test/fidelity/cfn-drift-agreement.test.ts keeps
 * the two in step.
 */
import { DescribeStacksCommand, GetTemplateCommand, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { compareResource, isDriftSupported, Json, JsonObject, PropertyDifference, ResourceDriftStatus } from './drift-compare';
import { DriftClients, READERS, ReaderContext, readAttribute } from './drift-readers';
import { parseTemplate, pseudoFromStackId, resolve, ResolveContext, Template, Unresolvable } from './drift-resolve';
import { SKIPPED_DURING_UPDATE_ROLLBACK } from './stack-events';
import { listStackResources } from './stack-state';

export type { DriftClients } from './drift-readers';
export type { PropertyDifference, ResourceDriftStatus } from './drift-compare';
export { compareResource, isDriftSupported } from './drift-compare';

export interface ResourceDrift {
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly resourceType: string;
  readonly status: ResourceDriftStatus;
  readonly differences: readonly PropertyDifference[];
  /** The template values compared (absent unless IN_SYNC or MODIFIED). */
  readonly expected?: JsonObject;
  /** The live values of the compared properties (absent unless IN_SYNC or MODIFIED). */
  readonly actual?: JsonObject;
  /** Template properties this engine could not compare, each with why. */
  readonly notCompared: readonly string[];
  /** Why the resource is NOT_CHECKED, or why its check failed. */
  readonly reason?: string;
}

export interface StackDrift {
  readonly stackName: string;
  readonly stackId: string;
  /** DRIFTED when a checked resource is MODIFIED or DELETED; NOT_CHECKED when none could be checked. */
  readonly status: 'DRIFTED' | 'IN_SYNC' | 'NOT_CHECKED';
  readonly driftedCount: number;
  /** Every resource of the template, in template order. */
  readonly resources: readonly ResourceDrift[];
  /** Resources whose read failed (an error other than "not found"): DETECTION_FAILED in CloudFormation's terms. */
  readonly failed: readonly string[];
}

export interface DetectOptions {
  /** Check only these logical IDs (DetectStackDrift's LogicalResourceIds). */
  readonly logicalIds?: readonly string[];
}

/**
 * A value set by a dynamic reference ({{resolve:...}}) is not compared: the
 * value CloudFormation resolved at the last stack operation cannot be read
 * back, and a secret must never appear in drift output.
 */
function containsDynamicReference(node: Json | undefined): boolean {
  if (typeof node === 'string') return node.includes('{{resolve:');
  if (Array.isArray(node)) return node.some(containsDynamicReference);
  if (node !== null && typeof node === 'object') return Object.values(node).some(containsDynamicReference);
  return false;
}

interface Resolved {
  readonly props: JsonObject;
  readonly notCompared: string[];
}

/** A resource's properties with intrinsics resolved; those that cannot be are listed with why. */
async function resolveResource(template: Template, ctx: ResolveContext, logicalId: string): Promise<Resolved> {
  const props: JsonObject = {};
  const notCompared: string[] = [];
  for (const [name, value] of Object.entries(template.Resources[logicalId].Properties ?? {})) {
    if (containsDynamicReference(value)) {
      notCompared.push(`${name}: set by a dynamic reference`);
      continue;
    }
    try {
      props[name] = await resolve(ctx, value);
    } catch (err) {
      if (!(err instanceof Unresolvable)) throw err; // a failed read fails the resource's check
      notCompared.push(`${name}: ${err.message} cannot be resolved`);
    }
  }
  return { props, notCompared };
}

function readerContext(
  clients: DriftClients,
  template: Template,
  resolved: (logicalId: string) => Promise<Resolved>,
  physical: Record<string, string>,
): ReaderContext {
  const ofType = (type: string) => Object.keys(template.Resources).filter((id) => template.Resources[id].Type === type && physical[id]);
  const listed = (v: Json | undefined) => (Array.isArray(v) ? v.map(String) : []);
  const naming = async (type: string, property: string, value: string) => {
    const found: string[] = [];
    for (const id of ofType(type)) if (listed((await resolved(id)).props[property]).includes(value)) found.push(id);
    return found;
  };
  return {
    clients,
    async stackManagedAttachments(roleName) {
      const inline = new Set<string>();
      for (const id of await naming('AWS::IAM::Policy', 'Roles', roleName)) inline.add(String((await resolved(id)).props.PolicyName));
      const managed = new Set((await naming('AWS::IAM::ManagedPolicy', 'Roles', roleName)).map((id) => physical[id]));
      return { inline, managed };
    },
    async rolesAttachingInTemplate(policyArn) {
      return new Set((await naming('AWS::IAM::Role', 'ManagedPolicyArns', policyArn)).map((id) => physical[id]));
    },
  };
}

/**
 * Detects drift on a stack as CloudFormation's DetectStackDrift would,
 * reading through `clients`. Read-only.
 */
export async function detectStackDrift(clients: DriftClients, stackName: string, opts: DetectOptions = {}): Promise<StackDrift> {
  const described = await clients.cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = described.Stacks?.[0];
  if (!stack?.StackId) throw new Error(`Stack ${stackName} does not exist.`);
  const body = (await clients.cfn.send(new GetTemplateCommand({ StackName: stack.StackId }))).TemplateBody ?? '{}';
  const template = parseTemplate(body);
  const summaries = await listStackResources(clients.cfn, stack.StackId);
  const byId = new Map<string, StackResourceSummary>(summaries.map((s) => [s.LogicalResourceId ?? '', s]));
  const physical: Record<string, string> = {};
  for (const s of summaries) if (s.LogicalResourceId && s.PhysicalResourceId) physical[s.LogicalResourceId] = s.PhysicalResourceId;

  const pseudo = pseudoFromStackId(stack.StackId, stack.StackName ?? stackName);
  const ctx: ResolveContext = {
    template,
    parameters: Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? ''])),
    pseudo,
    physicalIds: physical,
    getAtt: async (logicalId, attribute) => {
      const type = template.Resources[logicalId]?.Type;
      if (!type || !physical[logicalId]) throw new Unresolvable(`Fn::GetAtt ${logicalId}.${attribute}`);
      return readAttribute(clients, pseudo, type, physical[logicalId], attribute);
    },
  };
  const cache = new Map<string, Promise<Resolved>>();
  const resolved = (logicalId: string): Promise<Resolved> => {
    if (!cache.has(logicalId)) cache.set(logicalId, resolveResource(template, ctx, logicalId));
    return cache.get(logicalId)!;
  };
  const readers = readerContext(clients, template, resolved, physical);

  const wanted = opts.logicalIds ? new Set(opts.logicalIds) : undefined;
  for (const id of wanted ?? []) if (!(id in template.Resources)) throw new Error(`Resource ${id} does not exist for stack ${stackName}`);
  const resources: ResourceDrift[] = [];
  const failed: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (wanted && !wanted.has(logicalId)) continue;
    const base = { logicalId, physicalId: physical[logicalId], resourceType: resource.Type, differences: [], notCompared: [] };
    const summary = byId.get(logicalId);
    if (!isDriftSupported(resource.Type) || !READERS[resource.Type]) {
      resources.push({ ...base, status: 'NOT_CHECKED', reason: `drift detection does not support ${resource.Type}` });
      continue;
    }
    if (!summary || !physical[logicalId]) {
      resources.push({ ...base, status: 'NOT_CHECKED', reason: 'the stack has no such resource (not created)' });
      continue;
    }
    if (summary.ResourceStatusReason === SKIPPED_DURING_UPDATE_ROLLBACK) {
      resources.push({ ...base, status: 'NOT_CHECKED', reason: 'skipped by ContinueUpdateRollback (ResourcesToSkip)' });
      continue;
    }
    try {
      const { props, notCompared } = await resolved(logicalId);
      const actual = await READERS[resource.Type](readers, physical[logicalId], props);
      resources.push({ ...base, ...compareResource(resource.Type, props, actual), notCompared });
    } catch (err) {
      failed.push(logicalId);
      resources.push({ ...base, status: 'NOT_CHECKED', reason: `could not be read: ${(err as Error).name}: ${(err as Error).message}` });
    }
  }
  const checked = resources.filter((r) => r.status !== 'NOT_CHECKED');
  const driftedCount = checked.filter((r) => r.status === 'MODIFIED' || r.status === 'DELETED').length;
  return {
    stackName: stack.StackName ?? stackName,
    stackId: stack.StackId,
    status: checked.length === 0 ? 'NOT_CHECKED' : driftedCount ? 'DRIFTED' : 'IN_SYNC',
    driftedCount,
    resources,
    failed,
  };
}

/** One line per drifted property, for advice and verdicts: "AppRole /Policies/0/... expected X, found Y". */
export function describeDrift(drift: ResourceDrift): string[] {
  if (drift.status === 'DELETED') return [`${drift.logicalId} (${drift.resourceType}) was deleted outside CloudFormation`];
  return drift.differences.map((d) => {
    const what = `${drift.logicalId} ${d.propertyPath}`;
    if (d.differenceType === 'ADD') return `${what} was added: ${d.actualValue}`;
    if (d.differenceType === 'REMOVE') return `${what} was removed (the template has ${d.expectedValue})`;
    return `${what} is ${d.actualValue}; the template has ${d.expectedValue}`;
  });
}
