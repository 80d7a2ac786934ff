import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ScenarioContext, ScenarioDefinition } from '../scenario/types';
import { EnvironmentError } from '../core/errors';
import { StackState, assertNotBusy, describeStack, listStackResources } from '../engines/cfn/stack-state';
import { listStackEvents } from '../engines/cfn/stack-events';
import { pollUntil } from '../core/poll';
import { waitsOf } from '../targets/target';
import { Probes, StackInventory, findLeftovers, inventoryOf, probeFor } from '../cleanup/inventory';
import { deletePoliciesMadeDuringLab, sweepLearnerIamAfterStack } from '../cleanup/iam-sweeper';
import { readLabRecord, removeLabRecord, writeLabRecord } from '../cleanup/lab-record';
import {
  addedResources,
  belongsToOther,
  diffListings,
  listRegion,
  listingTypesFor,
  listingBesideOtherLabs,
  OtherLabs,
  otherLabs,
  RegionListing,
} from '../cleanup/region-listing';
import { PlannedResource, sweepPlannedNetwork } from '../cleanup/listing-sweeper';
import { revokeReferencesTo } from '../cleanup/security-group-references';

export interface DestroyResult {
  readonly scenario: string;
  readonly stackName: string;
  /** Everything removed, in order: `stackOwned` and `learnerCreated` together. */
  readonly removed: string[];
  /** The stack and what it created or retained. */
  readonly stackOwned: string[];
  /** What the learner created or changed outside the stack, undone. */
  readonly learnerCreated: string[];
  readonly leftovers: string[];
  /** Resource types whose listing failed before or after: their leftovers cannot be shown absent. */
  readonly unproven: string[];
  /** True when there was no lab to remove (no stack, no record, nothing retained). */
  readonly nothingToRemove: boolean;
}

/**
 * Services listed for every lab besides those the scenario declares: every
 * lab has a stack and roles, and the shared lab VPC is where learners add
 * endpoints and routes.
 */
const ALWAYS_LISTED = ['cloudformation', 'iam', 'ec2'];

/** The listing types of a scenario's labs: its declared services and breakfix's always-listed ones. */
export function labListingTypes(scenario: ScenarioDefinition, resourceTypes: Iterable<string> = []): string[] {
  return listingTypesFor([...ALWAYS_LISTED, ...scenario.meta.services], resourceTypes).types;
}

/**
 * Before a lab's first deploy: the region listing destroy compares against,
 * kept in the lab's record. An existing record's baseline is kept (a reset
 * rebuilds the lab, not the region it started from).
 */
export async function recordBaseline(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<void> {
  const existing = await readLabRecord(ctx);
  if (existing?.baseline) return;
  ctx.progress('Listing the region before the lab, to prove destroy leaves it as it was');
  const baseline = await listRegion(ctx.clients, labListingTypes(scenario));
  await writeLabRecord(ctx, { scenario: scenario.id, learner: ctx.learner, variant: ctx.variant, baseline });
}

/** The region listing beside the other live labs (see listingBesideOtherLabs), read through this lab's clients. */
function listingBesideOthers(
  ctx: ScenarioContext,
  types: readonly string[],
  unexplained: (now: RegionListing, others: OtherLabs) => boolean,
): Promise<{ now: RegionListing; others: OtherLabs }> {
  return listingBesideOtherLabs(
    {
      list: () => listRegion(ctx.clients, [...types]),
      others: () => otherLabs(ctx.clients, ctx.stackName),
      pause: () => sleep(waitsOf(ctx.target).pollMs),
    },
    unexplained,
  );
}

/** Lines the region listing shows now that it did not before the lab (other live labs excepted), and the types it could not list. */
async function listingLeftovers(ctx: ScenarioContext): Promise<{ leftovers: string[]; unproven: string[] }> {
  const baseline = (await readLabRecord(ctx))?.baseline;
  if (!baseline) return { leftovers: [], unproven: [] };
  const { now, others } = await listingBesideOthers(ctx, baseline.types, (n, o) => diffListings(baseline, n, o).added.length > 0);
  const diff = diffListings(baseline, now, others);
  return { leftovers: diff.added.map((l) => `${l} (not there before the lab)`), unproven: diff.unlisted };
}

/**
 * The listing half of the destroy plan: what the region shows now that it
 * did not before the lab, belongs to no other live lab and is not one of the
 * stack's resources. A type listed before the lab that cannot be listed now
 * (refused, throttled) fails the plan, before anything is deleted.
 */
async function planFromListing(ctx: ScenarioContext, inventory: StackInventory): Promise<PlannedResource[]> {
  const baseline = (await readLabRecord(ctx))?.baseline;
  if (!baseline) return [];
  ctx.progress('Planning: listing what the region holds now that it did not before the lab');
  const { now, others } = await listingBesideOthers(ctx, baseline.types, (n, o) => addedResources(baseline, n, o).length > 0);
  const lost = baseline.types.filter((t) => baseline.unlisted[t] === undefined && now.unlisted[t] !== undefined);
  if (lost.length)
    throw new EnvironmentError(
      'plan-failed',
      `Could not plan the removal of ${ctx.stackName}, so nothing was deleted: listing ${lost.map((t) => `${t} failed (${now.unlisted[t]})`).join('; ')}.`,
    );
  const stackIds = new Set(Object.values(inventory).flat());
  return addedResources(baseline, now, others).filter((p) => !stackIds.has(p.resource.id));
}

/**
 * The planned resources the region still lists (a type that cannot be listed now keeps all of its planned
 * ones), less any that another live lab now owns: the plan was made before this lab's stack was deleted,
 * and a neighbour lab created since then must never lose a resource to this lab's sweep.
 */
async function stillListed(ctx: ScenarioContext, planned: readonly PlannedResource[]): Promise<PlannedResource[]> {
  if (!planned.length) return [];
  const now = await listRegion(ctx.clients, [...new Set(planned.map((p) => p.type))]);
  const others = await otherLabs(ctx.clients, ctx.stackName);
  return planned.filter(
    (p) => !belongsToOther(p.resource, others) && (!now.resources[p.type] || now.resources[p.type].some((r) => r.line === p.resource.line)),
  );
}

/** Sends DeleteStack (with RetainResources when given) and waits; resolves with the stack when it ends DELETE_FAILED. */
async function deleteOnce(ctx: ScenarioContext, stackId: string, retain?: string[]): Promise<StackState | undefined> {
  const cfn = ctx.clients.cloudformation;
  await cfn.send(new DeleteStackCommand({ StackName: stackId, RetainResources: retain }));
  const waits = waitsOf(ctx.target);
  let lastStatus = '';
  return pollUntil(
    async () => {
      const state = await describeStack(cfn, stackId);
      if (state && state.status !== lastStatus) ctx.progress(`${ctx.stackName}: ${state.status}`);
      lastStatus = state?.status ?? lastStatus;
      return state;
    },
    (state) => !state || state.status === 'DELETE_FAILED',
    {
      pollMs: waits.pollMs,
      timeoutMs: waits.stackMs,
      timedOut: () =>
        new EnvironmentError('wait-timed-out', `Stack ${ctx.stackName} was still ${lastStatus} when breakfix stopped waiting.`),
    },
  );
}

/**
 * The stack's resources whose delete failed because they were already gone
 * (a learner deleted the repository or table the stack owns): each one's
 * probe says it no longer exists. A resource no probe can read is never
 * counted as gone, and a probe that is refused (AccessDenied, throttling)
 * throws rather than say "gone".
 */
async function failedButGone(ctx: ScenarioContext, stackId: string, probes: Probes | undefined, inventory: StackInventory) {
  const failed = (await listStackResources(ctx.clients.cloudformation, stackId)).filter((r) => r.ResourceStatus === 'DELETE_FAILED');
  const gone: string[] = [];
  for (const r of failed) {
    const probe = probeFor(r.ResourceType ?? '', probes);
    if (typeof probe === 'function' && r.PhysicalResourceId && !(await probe(ctx.clients, r.PhysicalResourceId, inventory)))
      gone.push(r.LogicalResourceId!);
  }
  return { failed: failed.map((r) => r.LogicalResourceId!), gone };
}

/**
 * Deletes the stack and waits; resolves when it is gone, rejects on
 * DELETE_FAILED naming why. When every resource that failed to delete is
 * already gone (deleted outside CloudFormation), the stack is deleted again
 * retaining them: RetainResources is CloudFormation's documented way out of
 * DELETE_FAILED, and retaining what no longer exists leaves nothing behind.
 */
async function deleteStackAndWait(ctx: ScenarioContext, probes: Probes | undefined, inventory: StackInventory): Promise<void> {
  const cfn = ctx.clients.cloudformation;
  const before = await describeStack(cfn, ctx.stackName);
  if (!before) return;
  let now = await deleteOnce(ctx, before.stackId);
  if (now) {
    const { failed, gone } = await failedButGone(ctx, before.stackId, probes, inventory);
    if (gone.length && gone.length === failed.length) {
      ctx.progress(`Deleting ${ctx.stackName} again without ${gone.join(', ')}, which no longer exist`);
      now = await deleteOnce(ctx, before.stackId, gone);
    }
  }
  if (!now) return;
  const events = await listStackEvents(cfn, before.stackId);
  const reason = events.find((e) => e.status === 'DELETE_FAILED' && e.reason)?.reason ?? now.statusReason ?? 'no reason given';
  throw new EnvironmentError('stack-delete-failed', `CloudFormation could not delete stack ${ctx.stackName}: ${reason}`);
}

/**
 * Removes what the learner created, then the stack, then anything the stack
 * retained, and finally lists what is still there: every resource the stack
 * listed, probed by type, plus whatever the scenario checks itself.
 */
export async function destroyStackAndSweep(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<DestroyResult> {
  const learnerCreated: string[] = [];
  const stackOwned: string[] = [];
  // What the stack owns, captured now: after deletion CloudFormation no longer says.
  const stackExists = Boolean(await describeStack(ctx.clients.cloudformation, ctx.stackName));
  const inventory = stackExists ? inventoryOf(await listStackResources(ctx.clients.cloudformation, ctx.stackName)) : {};
  // The plan, made before anything is deleted: a planning failure deletes nothing.
  const planned = await planFromListing(ctx, inventory);
  if (stackExists) {
    // A learner's rule in a group outside the stack that names a lab group would block that group's deletion.
    const labGroups = inventory['AWS::EC2::SecurityGroup'] ?? [];
    learnerCreated.push(...(await revokeReferencesTo(ctx.clients.ec2, labGroups, new Set(labGroups))));
  }
  if (stackExists && scenario.sweepLearnerResources) {
    ctx.progress('Removing resources created outside the stack');
    learnerCreated.push(...(await scenario.sweepLearnerResources(ctx)));
  }
  if (stackExists) {
    ctx.progress(`Deleting stack ${ctx.stackName}`);
    await deleteStackAndWait(ctx, scenario.probes, inventory);
    stackOwned.push(`CloudFormation stack ${ctx.stackName}`);
  }
  if (scenario.afterStackDeleted) stackOwned.push(...(await scenario.afterStackDeleted(ctx)));
  // Roles and policies named after the stack that only the stack's deletion freed (a learner's boundary policy).
  learnerCreated.push(...(await sweepLearnerIamAfterStack(ctx.clients, ctx.stackName)));
  // What the plan found new in the region and the sweeps before did not remove (a learner's endpoint in a VPC a learner's delete-stack took away).
  const network = await sweepPlannedNetwork(
    ctx.clients.ec2,
    await stillListed(ctx, planned),
    ctx.clients.client(ElasticLoadBalancingV2Client),
  );
  learnerCreated.push(...network.removed);
  const probed = [
    ...network.failed,
    ...(await findLeftovers(ctx.clients, inventory, scenario.probes)),
    ...(scenario.leftovers ? await scenario.leftovers(ctx) : []),
  ];
  let listed = await listingLeftovers(ctx);
  // Policies the learner made during the lab and put on its roles: the listing shows they are new, the sweep that they were the lab's.
  const newPolicies = listed.leftovers.flatMap((l) => /^IAM policy (arn:\S+) \(not there before the lab\)$/.exec(l)?.[1] ?? []);
  const madeDuringLab = await deletePoliciesMadeDuringLab(ctx.clients.iam, learnerCreated, newPolicies);
  if (madeDuringLab.length) {
    learnerCreated.push(...madeDuringLab);
    listed = await listingLeftovers(ctx);
  }
  // A leftover found both by its probe and by the listing is one leftover: the listing's line is kept only when no probe named it.
  const leftovers = [...new Set(probed)];
  const failedLines = network.failed.map((f) => f.slice(0, f.indexOf(' (')));
  for (const l of listed.leftovers)
    if (!probed.some((p) => l.startsWith(p)) && !failedLines.some((f) => l.startsWith(`${f} (`))) leftovers.push(l);
  return {
    scenario: scenario.id,
    stackName: ctx.stackName,
    removed: [...learnerCreated, ...stackOwned],
    stackOwned,
    learnerCreated,
    leftovers,
    unproven: listed.unproven,
    nothingToRemove: false,
  };
}

/**
 * Destroys a lab. Idempotent: with no stack, no record and nothing the lab
 * retained, it removes nothing and says so (`nothingToRemove`); with no stack
 * but a record or retained resources (the learner deleted the stack), it
 * removes what is left. Throws `leftovers` naming what remains.
 */
export async function destroyScenario(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<DestroyResult> {
  const stack = await describeStack(ctx.clients.cloudformation, ctx.stackName);
  if (stack) assertNotBusy(stack);
  else if (!(await readLabRecord(ctx)) && !(scenario.leftovers && (await scenario.leftovers(ctx)).length)) {
    return {
      scenario: scenario.id,
      stackName: ctx.stackName,
      removed: [],
      stackOwned: [],
      learnerCreated: [],
      leftovers: [],
      unproven: [],
      nothingToRemove: true,
    };
  }
  const result = await destroyStackAndSweep(scenario, ctx);
  if (result.leftovers.length > 0) {
    throw new EnvironmentError(
      'leftovers',
      `Stack ${ctx.stackName} was deleted but these resources remain: ${result.leftovers.join('; ')}.`,
    );
  }
  await removeLabRecord(ctx);
  return result;
}
