/**
 * Deploys a stored cloud assembly (a template-cache hit) with the
 * CloudFormation SDK alone: CreateStack or UpdateStack with what the CDK
 * toolkit's direct method would send, then the stack's events as they
 * arrive. A hit then never loads `@aws-cdk/toolkit-lib`, whose start-up
 * (its SDK provider, the bootstrap lookup, the security diff that loads the
 * service-spec database) costs a CLI process seconds before CloudFormation
 * sees a request. Hand-written because the toolkit offers no deploy that
 * skips those steps; everything it would decide for a bootstrapless stack
 * with no assets is decided the same way here, and anything else (assets,
 * a template too large to send inline, a pinned account, parameters without
 * defaults) is left to the toolkit: `readPlainStack` says undefined.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  Capability,
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  GetTemplateCommand,
  StackEvent,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { EnvironmentError } from '../core/errors';
import { pollUntil } from '../core/poll';
import { describeStack, isBusy, type StackState } from '../engines/cfn/stack-state';

/** CloudFormation's documented limit for a template passed in the request body (TemplateBody), in bytes. */
export const TEMPLATE_BODY_LIMIT = 51_200;

/** The capabilities the CDK toolkit acknowledges on every deploy. */
const CAPABILITIES: Capability[] = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];

/** The message CloudFormation's UpdateStack fails with when the stack already matches (documented; the toolkit treats it as success). */
const NO_UPDATES = 'No updates are to be performed.';

/** A stack of a stored assembly that can be deployed without the toolkit. */
export interface PlainStack {
  readonly stackName: string;
  readonly templateBody: string;
  readonly template: { readonly Parameters?: Record<string, { readonly Default?: unknown }> };
  readonly tags: { Key: string; Value: string }[];
  readonly terminationProtection: boolean;
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly parameters?: Record<string, string>;
    readonly tags?: Record<string, string>;
    readonly terminationProtection?: boolean;
  };
  readonly metadata?: Record<string, { readonly type: string }[]>;
}

/**
 * The stack `stackName` of the assembly in `dir`, when it needs nothing only
 * the toolkit does: one stack artifact, no asset manifest or asset metadata,
 * no nested assemblies, no parameters without a default, a template small
 * enough for TemplateBody, an environment whose account is not pinned and
 * whose region (if any) is `region`. Otherwise undefined, and the caller
 * deploys with the toolkit.
 */
export function readPlainStack(dir: string, stackName: string, region: string): PlainStack | undefined {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const artifacts = Object.entries(manifest.artifacts ?? {});
  if (artifacts.some(([, a]) => a.type === 'cdk:asset-manifest' || a.type === 'cdk:cloud-assembly')) return undefined;
  const stacks = artifacts.filter(([, a]) => a.type === 'aws:cloudformation:stack');
  const found = stacks.find(([id, a]) => (a.properties?.stackName ?? id) === stackName);
  if (stacks.length !== 1 || !found) return undefined;
  const [, artifact] = found;
  const props = artifact.properties ?? {};
  const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
  if (!env || env[1] !== 'unknown-account' || (env[2] !== 'unknown-region' && env[2] !== region)) return undefined;
  if (Object.values(artifact.metadata ?? {}).some((entries) => entries.some((e) => e.type === 'aws:cdk:asset'))) return undefined;
  if (Object.keys(props.parameters ?? {}).length > 0 || !props.templateFile) return undefined;
  const file = join(dir, props.templateFile);
  if (statSync(file).size > TEMPLATE_BODY_LIMIT) return undefined;
  const templateBody = readFileSync(file, 'utf8');
  const template = JSON.parse(templateBody) as PlainStack['template'];
  if (Object.values(template.Parameters ?? {}).some((p) => p.Default === undefined)) return undefined;
  return {
    stackName,
    templateBody,
    template,
    tags: Object.entries(props.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    terminationProtection: props.terminationProtection ?? false,
  };
}

export interface DirectDeployOptions {
  readonly progress: (m: string) => void;
  /** The longest pause between two readings of the stack. */
  readonly pollMs: number;
  /** Give up waiting for CloudFormation after this long. */
  readonly timeoutMs: number;
}

export interface DirectDeployResult {
  readonly stackId: string;
  /** True when the stack already matched and nothing was sent (as the toolkit's skip, or UpdateStack's "No updates"). */
  readonly noOp: boolean;
  readonly outputs: Record<string, string>;
}

/** One line per stack event, as the CDK toolkit's activity lines read: stack | time | status | type | logical ID reason. */
export function formatStackEvent(e: StackEvent): string {
  const time = e.Timestamp ? new Date(e.Timestamp).toLocaleTimeString() : '';
  const reason = e.ResourceStatusReason ? ` ${e.ResourceStatusReason}` : '';
  return `${e.StackName} | ${time} | ${e.ResourceStatus ?? ''} | ${e.ResourceType ?? ''} | ${e.LogicalResourceId ?? ''}${reason}`;
}

/**
 * Why a deploy ended in `state`, in one sentence: the stack's status and
 * reason, then each resource whose operation failed (oldest first, once
 * per logical ID) with CloudFormation's own reason.
 */
export function deployFailureSentence(
  state: Pick<StackState, 'stackName' | 'status' | 'statusReason'>,
  events: readonly StackEvent[],
): string {
  const seen = new Set<string>();
  const failed = [...events]
    .sort((a, b) => time(a) - time(b))
    .filter((e) => {
      const isStack = e.ResourceType === 'AWS::CloudFormation::Stack' && e.LogicalResourceId === e.StackName;
      if (isStack || !e.ResourceStatus?.endsWith('_FAILED') || seen.has(e.LogicalResourceId ?? '')) return false;
      seen.add(e.LogicalResourceId ?? '');
      return true;
    })
    .map(
      (e) =>
        `${e.LogicalResourceId} (${e.ResourceType}) ${e.ResourceStatus}${e.ResourceStatusReason ? `: ${clause(e.ResourceStatusReason)}` : ''}`,
    );
  const why = failed.length ? `; ${failed.join('; ')}` : state.statusReason ? ` (${clause(state.statusReason)})` : '';
  return `Deploying stack ${state.stackName} failed: it ended ${state.status}${why}.`;
}

/** A reason as a clause inside the sentence: without its own final full stop. */
function clause(reason: string): string {
  return reason.trim().replace(/\.+$/, '');
}

function time(e: StackEvent): number {
  return e.Timestamp ? new Date(e.Timestamp).getTime() : 0;
}

/** The events of `stackId` not in `seen`, oldest first; reads newest-first pages only until one holds an event already seen. */
async function newEvents(cfn: CloudFormationClient, stackId: string, seen: Set<string>): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackId, NextToken: token }));
    const events = page.StackEvents ?? [];
    const unseen = events.filter((e) => e.EventId && !seen.has(e.EventId));
    fresh.push(...unseen);
    if (unseen.length < events.length) break;
    token = page.NextToken;
  } while (token);
  for (const e of fresh) seen.add(e.EventId!);
  return fresh.sort((a, b) => time(a) - time(b));
}

function outputsOf(state: StackState): Record<string, string> {
  return Object.fromEntries((state.raw.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

/** The stack's parameter values as DescribeStacks shows them. */
function currentParameters(state: StackState): Record<string, string> {
  return Object.fromEntries((state.raw.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
}

/**
 * Whether an update would change nothing, decided as the CDK toolkit decides
 * it before a direct deploy: same template (the original, as sent), same
 * tags, same termination protection, the same parameter values (the
 * template's defaults; a NoEcho value reads as asterisks, so such a stack is
 * always updated), and not in a failed state.
 */
async function isUpToDate(cfn: CloudFormationClient, stack: PlainStack, state: StackState): Promise<boolean> {
  if (state.status.endsWith('FAILED')) return false;
  const tags = state.raw.Tags ?? [];
  if (tags.length !== stack.tags.length || stack.tags.some((t) => state.tags[t.Key] !== t.Value)) return false;
  if (!!state.raw.EnableTerminationProtection !== stack.terminationProtection) return false;
  if ((state.raw.NotificationARNs ?? []).length > 0) return false;
  const wanted = Object.fromEntries(Object.entries(stack.template.Parameters ?? {}).map(([k, p]) => [k, String(p.Default)]));
  const current = currentParameters(state);
  const keys = new Set([...Object.keys(wanted), ...Object.keys(current)]);
  if ([...keys].some((k) => wanted[k] !== current[k])) return false;
  const deployed = await cfn.send(new GetTemplateCommand({ StackName: state.stackId, TemplateStage: 'Original' }));
  try {
    // CloudFormation returns the template as it was sent (JSON here); some emulators answer YAML, a superset of JSON.
    const { parse } = require('yaml') as typeof import('yaml');
    return JSON.stringify(parse(deployed.TemplateBody ?? '{}')) === JSON.stringify(stack.template);
  } catch {
    return false;
  }
}

/** Deletes a stack that failed creation (ROLLBACK_COMPLETE, ROLLBACK_FAILED): CloudFormation accepts no update to it, only a delete. */
async function deleteFailedCreation(cfn: CloudFormationClient, state: StackState, opts: DirectDeployOptions): Promise<void> {
  opts.progress(`${state.stackName}: removing the stack that failed creation (${state.status}) before creating it again`);
  await cfn.send(new DeleteStackCommand({ StackName: state.stackId, ClientRequestToken: randomUUID() }));
  const gone = await pollUntil(
    () => describeStack(cfn, state.stackId),
    (s) => !s || !isBusy(s.status),
    {
      pollMs: opts.pollMs,
      timeoutMs: opts.timeoutMs,
      timedOut: (s) =>
        new EnvironmentError('wait-timed-out', `Stack ${state.stackName} was still ${s?.status} when breakfix stopped waiting.`),
    },
  );
  if (gone)
    throw new EnvironmentError(
      'stack-delete-failed',
      `Stack ${state.stackName} failed creation earlier and could not be deleted (${gone.status}${gone.statusReason ? `: ${gone.statusReason}` : ''}).`,
    );
}

/**
 * Creates or updates `stack` and waits for CloudFormation to finish,
 * reporting each stack event as it arrives. Resolves on CREATE_COMPLETE or
 * UPDATE_COMPLETE (or when nothing needed doing); any other final status
 * throws an EnvironmentError naming the failed resources and their reasons.
 */
export async function deployPlainStack(
  cfn: CloudFormationClient,
  stack: PlainStack,
  opts: DirectDeployOptions,
): Promise<DirectDeployResult> {
  let existing = await describeStack(cfn, stack.stackName);
  if (existing && (existing.status === 'ROLLBACK_COMPLETE' || existing.status === 'ROLLBACK_FAILED')) {
    await deleteFailedCreation(cfn, existing, opts);
    existing = undefined;
  }
  const common = {
    StackName: stack.stackName,
    TemplateBody: stack.templateBody,
    Capabilities: CAPABILITIES,
    Tags: stack.tags,
    // The template's defaults apply: the toolkit sends no value for a parameter it was given none for.
    Parameters: [],
  };
  const seen = new Set<string>();
  let stackId: string;
  if (existing) {
    if (await isUpToDate(cfn, stack, existing)) {
      opts.progress(`${stack.stackName}: no changes`);
      return { stackId: existing.stackId, noOp: true, outputs: outputsOf(existing) };
    }
    if (!!existing.raw.EnableTerminationProtection !== stack.terminationProtection)
      await cfn.send(
        new UpdateTerminationProtectionCommand({ StackName: stack.stackName, EnableTerminationProtection: stack.terminationProtection }),
      );
    // Events of earlier operations are history, not this deploy's progress.
    await newEvents(cfn, existing.stackId, seen);
    try {
      stackId = (await cfn.send(new UpdateStackCommand({ ...common, ClientRequestToken: `update${randomUUID()}` }))).StackId!;
    } catch (err) {
      if ((err as Error).message === NO_UPDATES) {
        opts.progress(`${stack.stackName}: no changes`);
        return { stackId: existing.stackId, noOp: true, outputs: outputsOf(existing) };
      }
      throw err;
    }
  } else {
    stackId = (
      await cfn.send(
        new CreateStackCommand({
          ...common,
          ClientRequestToken: `create${randomUUID()}`,
          ...(stack.terminationProtection ? { EnableTerminationProtection: true } : {}),
        }),
      )
    ).StackId!;
  }

  const events: StackEvent[] = [];
  const report = async () => {
    for (const e of await newEvents(cfn, stackId, seen)) {
      events.push(e);
      opts.progress(formatStackEvent(e));
    }
  };
  const final = await pollUntil(
    async () => {
      // Status first, then events: when the status is final, every event up to it has been read.
      const state = await describeStack(cfn, stackId);
      await report();
      return state;
    },
    (state) => !state || !isBusy(state.status),
    {
      pollMs: opts.pollMs,
      timeoutMs: opts.timeoutMs,
      timedOut: (state) =>
        new EnvironmentError('wait-timed-out', `Stack ${stack.stackName} was still ${state?.status} when breakfix stopped waiting.`),
    },
  );
  if (!final) throw new EnvironmentError('stack-deploy-failed', `Stack ${stack.stackName} disappeared while it was being deployed.`);
  if (final.status !== 'CREATE_COMPLETE' && final.status !== 'UPDATE_COMPLETE')
    throw new EnvironmentError('stack-deploy-failed', deployFailureSentence(final, events));
  return { stackId, noOp: false, outputs: outputsOf(final) };
}
