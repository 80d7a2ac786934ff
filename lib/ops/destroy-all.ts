/**
 * `destroy --all`: finds every lab breakfix deployed on a target by its tags
 * (`breakfix:managed`, and `breakfix:learner` when one learner is named),
 * removes each with its scenario's hooks (what the learner created inside
 * the lab VPC, the stack, what the stack retained), and then asks the
 * tagging API whether anything tagged as breakfix's is still there.
 */
import { Stack, paginateDescribeStacks } from '@aws-sdk/client-cloudformation';
import { paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import { collectPages } from '../core/paging';
import { classifyError } from '../core/classify';
import { busySentence, isBusy, listStackResources } from '../engines/cfn/stack-state';
import { TAG_LEARNER, TAG_MANAGED, TAG_SCENARIO, TAG_VARIANT } from '../scenario/naming';
import type { ScenarioDefinition } from '../scenario/types';
import type { AwsClients } from '../targets/clients';
import type { Target } from '../targets/target';
import { mapWithLimit } from '../core/pool';
import { makeContext } from './context';
import { destroyStackAndSweep } from './destroy';

export interface ManagedStack {
  readonly stackName: string;
  readonly stackId: string;
  readonly status: string;
  readonly scenario?: string;
  readonly learner?: string;
  readonly variant?: string;
}

export interface DestroyAllResult {
  readonly target: string;
  readonly learner?: string;
  /** One entry per lab removed, with what went with it (stack-owned and learner-created apart). */
  readonly destroyed: {
    stackName: string;
    scenario?: string;
    learner?: string;
    removed: string[];
    stackOwned: string[];
    learnerCreated: string[];
  }[];
  /** Labs of scenarios this breakfix does not know, left alone (pass includeUnknown to remove them). */
  readonly skipped: { stackName: string; scenario?: string; reason: string }[];
  /** Labs that could not be removed, each with one sentence. */
  readonly failed: { stackName: string; message: string }[];
  /** Resources still tagged as breakfix's (and this learner's) afterwards, or a hook's leftovers. */
  readonly leftovers: string[];
}

const tagsOf = (s: Stack) => Object.fromEntries((s.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));

/** Every live stack tagged as breakfix's (and the learner's, when given). */
export async function findManagedStacks(clients: AwsClients, learner?: string): Promise<ManagedStack[]> {
  const stacks = await collectPages(paginateDescribeStacks({ client: clients.cloudformation }, {}), (p) => p.Stacks);
  const found: ManagedStack[] = [];
  for (const s of stacks) {
    const tags = tagsOf(s);
    if (tags[TAG_MANAGED] !== 'true' || s.StackStatus === 'DELETE_COMPLETE') continue;
    if (learner !== undefined && tags[TAG_LEARNER] !== learner) continue;
    found.push({
      stackName: s.StackName!,
      stackId: s.StackId!,
      status: s.StackStatus!,
      scenario: tags[TAG_SCENARIO],
      learner: tags[TAG_LEARNER],
      variant: tags[TAG_VARIANT],
    });
  }
  return found.sort((a, b) => a.stackName.localeCompare(b.stackName));
}

/** Services whose resources breakfix labs (and learners in them) create. */
export const LAB_RESOURCE_TYPES = ['cloudformation', 'dynamodb', 'ec2', 'ecr', 'ecs', 'iam', 'logs', 's3'] as const;

/**
 * ARNs the tagging API still lists with breakfix's tags (and the learner's).
 * Asked one service at a time: moto's unfiltered GetResources fails on some
 * resource types, and one service's failure on an emulator (Floci or
 * LocalStack without the API) must not hide the others. On real AWS any
 * failure is reported.
 */
export async function taggedLeftovers(clients: AwsClients, learner?: string): Promise<string[]> {
  const filters = [{ Key: TAG_MANAGED, Values: ['true'] }, ...(learner !== undefined ? [{ Key: TAG_LEARNER, Values: [learner] }] : [])];
  const perType = await Promise.all(
    LAB_RESOURCE_TYPES.map(async (type) => {
      try {
        const pages = paginateGetResources({ client: clients.tagging }, { TagFilters: filters, ResourceTypeFilters: [type] });
        return (await collectPages(pages, (p) => p.ResourceTagMappingList)).map((r) => r.ResourceARN!).filter(Boolean);
      } catch (err) {
        if (clients.target.kind === 'aws') throw err;
        return [];
      }
    }),
  );
  return perType.flat().sort();
}

/** Whether a tagged ARN belongs to one of the skipped (unknown-scenario) labs: its stack, or a resource the stack lists. */
async function ownedBySkipped(clients: AwsClients, arn: string, skipped: readonly ManagedStack[]): Promise<boolean> {
  if (skipped.length === 0) return false;
  for (const s of skipped) {
    if (arn === s.stackId) return true;
    const resources = await listStackResources(clients.cloudformation, s.stackId);
    if (
      resources.some(
        (r) =>
          r.PhysicalResourceId &&
          (arn === r.PhysicalResourceId || arn.endsWith(`/${r.PhysicalResourceId}`) || arn.endsWith(`:${r.PhysicalResourceId}`)),
      )
    )
      return true;
  }
  return false;
}

export interface DestroyAllOptions {
  readonly target: Target;
  readonly clients: AwsClients;
  readonly scenarios: readonly ScenarioDefinition[];
  readonly learner?: string;
  /** The stacks to remove, when the caller already listed them (to confirm first). */
  readonly stacks?: readonly ManagedStack[];
  readonly progress?: (m: string) => void;
  /** Labs removed at once. @default 4 */
  readonly concurrency?: number;
  /**
   * Also remove labs of scenarios this breakfix does not know (tagged as
   * breakfix's by another version, or forged tags), without scenario hooks.
   * @default false
   */
  readonly includeUnknown?: boolean;
}

/** Splits managed stacks into those of known scenarios and the rest. */
export function partitionKnown(
  stacks: readonly ManagedStack[],
  scenarios: readonly ScenarioDefinition[],
): { known: ManagedStack[]; unknown: ManagedStack[] } {
  const isKnown = (s: ManagedStack) => scenarios.some((x) => x.id === s.scenario);
  return { known: stacks.filter(isKnown), unknown: stacks.filter((s) => !isKnown(s)) };
}

export async function destroyAll(opts: DestroyAllOptions): Promise<DestroyAllResult> {
  const progress = opts.progress ?? (() => undefined);
  const found = opts.stacks ?? (await findManagedStacks(opts.clients, opts.learner));
  const { known, unknown } = partitionKnown(found, opts.scenarios);
  const stacks = opts.includeUnknown ? found : known;
  const skipped: DestroyAllResult['skipped'] = opts.includeUnknown
    ? []
    : unknown.map((s) => ({
        stackName: s.stackName,
        scenario: s.scenario,
        reason: `scenario ${s.scenario ?? '(none tagged)'} is not one this breakfix knows; pass --include-unknown to remove it anyway`,
      }));
  const destroyed: DestroyAllResult['destroyed'] = [];
  const failed: DestroyAllResult['failed'] = [];
  const leftovers: string[] = [];
  await mapWithLimit(stacks, opts.concurrency ?? 4, async (s) => {
    const scenario = opts.scenarios.find((x) => x.id === s.scenario);
    if (isBusy(s.status)) {
      failed.push({
        stackName: s.stackName,
        message: `${busySentence(s.stackName, s.status)}; wait for CloudFormation to finish and run destroy --all again.`,
      });
      return;
    }
    // A lab of a scenario this breakfix does not know still goes, without scenario hooks.
    const hooks: ScenarioDefinition =
      scenario ??
      ({ id: s.scenario ?? s.stackName, meta: { variants: [{ id: s.variant ?? 'unknown' }] } } as unknown as ScenarioDefinition);
    const ctx = {
      ...makeContext({
        scenario: hooks,
        target: opts.target,
        learner: s.learner,
        variant: s.variant ?? 'unknown',
        clients: opts.clients,
        progress: (m) => progress(`${s.stackName}: ${m}`),
      }),
      stackName: s.stackName,
    };
    try {
      const r = await destroyStackAndSweep(hooks, ctx);
      const note = `(scenario ${s.scenario ?? 'unknown'} is not in this breakfix: its learner-resource sweep did not run)`;
      destroyed.push({
        stackName: s.stackName,
        scenario: s.scenario,
        learner: s.learner,
        removed: scenario ? r.removed : [...r.removed, note],
        stackOwned: r.stackOwned,
        learnerCreated: scenario ? r.learnerCreated : [...r.learnerCreated, note],
      });
      leftovers.push(...r.leftovers);
    } catch (err) {
      failed.push({ stackName: s.stackName, message: classifyError(err).message });
    }
  });
  // Tagged resources of skipped labs are theirs, not leftovers.
  const skippedLabs = opts.includeUnknown ? [] : unknown;
  for (const arn of await taggedLeftovers(opts.clients, opts.learner))
    if (!leftovers.includes(arn) && !(await ownedBySkipped(opts.clients, arn, skippedLabs))) leftovers.push(arn);
  destroyed.sort((a, b) => a.stackName.localeCompare(b.stackName));
  return { target: opts.target.kind, learner: opts.learner, destroyed, skipped, failed, leftovers };
}
