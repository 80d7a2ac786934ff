/**
 * breakfix's own record of its labs, one entry per lab in
 * `BREAKFIX_HOME/lab-records.json`, keyed by target, Region, account and stack
 * name: which scenario, variant and learner it is, the region listing taken
 * before its first deploy (the baseline destroy's leftover proof compares
 * against), and the evidence that breakfix armed it. It is the only evidence
 * of a lab's variant and armed identity that a learner cannot edit from
 * inside their account. A stack tag is theirs to change (and `cdk deploy`
 * writes one without arming anything), so tags are never trusted alone: arm
 * evidence counts only while the live stack's StackId and CreationTime match it.
 *
 * Earlier versions kept two files (`armed-labs.json` and one file per lab under
 * `labs/`); both are still read, and a lab's old entries move into this record
 * the first time it is written, so a lab deployed before an upgrade keeps its
 * variant, arm evidence and baseline.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { JsonStore } from '../core/json-store';
import type { AwsClients } from './clients';
import { breakfixHome } from './moto/server';
import type { Target } from './target';

/** breakfix's evidence of arming one stack. */
export interface ArmedRecord {
  readonly scenario: string;
  readonly learner?: string;
  readonly variant: string;
  /** The live StackId when breakfix verified the fault armed. */
  readonly stackId: string;
  /** The stack's CreationTime (ISO) at that moment. */
  readonly creationTime: string;
  readonly armedAt: string;
}

/** One lab, as breakfix recorded it. `B` is the baseline's type (the region listing, defined by lib/cleanup). */
export interface LabRecord<B = unknown> {
  readonly scenario: string;
  readonly stackName: string;
  readonly learner?: string;
  readonly variant: string;
  /** `kind@endpoint/region` (`aws/region` on AWS), as the progress store names targets. */
  readonly target: string;
  /** The account the lab is in; empty for an entry carried over from a layout that did not record it. */
  readonly account: string;
  /** When breakfix first recorded the lab (before its first deploy). */
  readonly recordedAt: string;
  /** The region listing before the lab; absent when it could not be taken. */
  readonly baseline?: B;
  /** Present once breakfix verified the fault armed on a live stack. */
  readonly armed?: ArmedRecord;
}

/** What a live stack shows of its identity. */
export interface LiveStackIdentity {
  readonly stackName: string;
  readonly stackId: string;
  readonly creationTime?: Date | string;
}

/** `kind@endpoint/region`, or `aws/region`: how breakfix's local records name a target. */
export function targetName(target: Target): string {
  return target.endpoint ? `${target.kind}@${target.endpoint}/${target.region}` : `aws/${target.region}`;
}

/** The account in a StackId ARN (arn:partition:cloudformation:region:account:stack/name/id). */
export function accountOfStackId(stackId: string): string {
  return stackId.split(':')[4] ?? '';
}

const accounts = new WeakMap<AwsClients, Promise<string>>();

/** The account these clients act in (STS GetCallerIdentity, asked once per set of clients). */
export function callerAccount(clients: AwsClients): Promise<string> {
  let account = accounts.get(clients);
  if (!account) {
    account = clients.sts.send(new GetCallerIdentityCommand({})).then((who) => who.Account ?? '');
    account.catch(() => accounts.delete(clients));
    accounts.set(clients, account);
  }
  return account;
}

function keyOf(target: Target, account: string, stackName: string): string {
  const where = target.endpoint ? `${target.kind}@${target.endpoint}` : target.kind;
  return `${where}/${target.region}/${account}/${stackName}`;
}

/** Target + Region + account + stack: two accounts or two emulators never share a record. */
export function recordKey(target: Target, stack: Pick<LiveStackIdentity, 'stackName' | 'stackId'>): string {
  return keyOf(target, accountOfStackId(stack.stackId), stack.stackName);
}

const store = new JsonStore<LabRecord>(() => join(breakfixHome(), 'lab-records.json'), 2);

// The layout before lab-records.json: arm evidence in one file (same keys), baselines in one file per lab (no account).
const legacyArmed = new JsonStore<ArmedRecord>(() => join(breakfixHome(), 'armed-labs.json'));

function legacyLabFile(target: Target, stackName: string): string {
  const hash = createHash('sha256')
    .update(`${targetName(target)}|${stackName}`)
    .digest('hex')
    .slice(0, 16);
  return join(breakfixHome(), 'labs', `${stackName}-${hash}.json`);
}

type LegacyLabFile = Omit<LabRecord, 'account' | 'armed'> & { stackId?: string };

function readLegacyLab(target: Target, stackName: string): LegacyLabFile | undefined {
  const file = legacyLabFile(target, stackName);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LegacyLabFile;
  } catch {
    return undefined;
  }
}

/** The lab's entry, with what the old layout holds for it folded in (the new entry wins). */
function readMerged(target: Target, account: string, stackName: string): LabRecord | undefined {
  const key = keyOf(target, account, stackName);
  const current = store.get(key);
  const oldArmed = legacyArmed.get(key);
  const oldLab = readLegacyLab(target, stackName);
  // An old per-lab file has no account: it is this lab's unless it names a stack in another account.
  const oldLabHere = oldLab && (!oldLab.stackId || accountOfStackId(oldLab.stackId) === account) ? oldLab : undefined;
  if (!current && !oldArmed && !oldLabHere) return undefined;
  const identity = current ?? oldLabHere ?? oldArmed!;
  return {
    scenario: identity.scenario,
    stackName,
    ...(identity.learner ? { learner: identity.learner } : {}),
    variant: current?.variant ?? oldArmed?.variant ?? oldLabHere!.variant,
    target: targetName(target),
    account,
    recordedAt: current?.recordedAt ?? oldLabHere?.recordedAt ?? oldArmed!.armedAt,
    ...((current?.baseline ?? oldLabHere?.baseline) !== undefined ? { baseline: current?.baseline ?? oldLabHere?.baseline } : {}),
    ...((current ? current.armed : oldArmed) ? { armed: current ? current.armed : oldArmed } : {}),
  };
}

/** Writes the lab's entry and drops its old-layout copies, which it now holds. */
function writeLab(target: Target, account: string, stackName: string, change: (r: LabRecord | undefined) => LabRecord | undefined) {
  const key = keyOf(target, account, stackName);
  const next = change(readMerged(target, account, stackName));
  store.update(key, () => next);
  if (legacyArmed.get(key)) legacyArmed.update(key, () => undefined);
  if (readLegacyLab(target, stackName)) rmSync(legacyLabFile(target, stackName), { force: true });
  return next;
}

/** breakfix's record of the lab named `stackName` in `account` on this target, if any. */
export function readLabRecord(target: Target, account: string, stackName: string): LabRecord | undefined {
  return readMerged(target, account, stackName);
}

/**
 * Records a lab before its first deploy (scenario, variant, learner and the
 * region baseline). An existing entry keeps its baseline and arm evidence.
 */
export function writeLabRecord(
  target: Target,
  account: string,
  lab: {
    readonly scenario: string;
    readonly stackName: string;
    readonly learner?: string;
    readonly variant: string;
    readonly baseline?: unknown;
  },
): LabRecord {
  return writeLab(target, account, lab.stackName, (current) => ({
    ...current,
    scenario: lab.scenario,
    stackName: lab.stackName,
    ...(lab.learner ? { learner: lab.learner } : {}),
    variant: lab.variant,
    target: targetName(target),
    account,
    recordedAt: current?.recordedAt ?? new Date().toISOString(),
    ...(current?.baseline === undefined && lab.baseline !== undefined ? { baseline: lab.baseline } : {}),
  }))!;
}

/** Forgets a lab: destroy left the region as it was. */
export function removeLabRecord(target: Target, account: string, stackName: string): void {
  writeLab(target, account, stackName, () => undefined);
}

function isoOf(time: Date | string | undefined): string {
  if (time === undefined) return '';
  return (typeof time === 'string' ? new Date(time) : time).toISOString();
}

/** Records that breakfix armed this live stack with this variant. */
export function recordArmed(
  target: Target,
  live: LiveStackIdentity,
  lab: { readonly scenario: string; readonly learner?: string; readonly variant: string },
): ArmedRecord {
  const armed: ArmedRecord = {
    scenario: lab.scenario,
    ...(lab.learner ? { learner: lab.learner } : {}),
    variant: lab.variant,
    stackId: live.stackId,
    creationTime: isoOf(live.creationTime),
    armedAt: new Date().toISOString(),
  };
  const account = accountOfStackId(live.stackId);
  writeLab(target, account, live.stackName, (current) => ({
    ...current,
    scenario: lab.scenario,
    stackName: live.stackName,
    ...(lab.learner ? { learner: lab.learner } : {}),
    variant: lab.variant,
    target: targetName(target),
    account,
    recordedAt: current?.recordedAt ?? armed.armedAt,
    armed,
  }));
  return armed;
}

/** breakfix's arm evidence for the stack of this name in the live stack's account, if any. */
export function readArmedRecord(target: Target, live: Pick<LiveStackIdentity, 'stackName' | 'stackId'>): ArmedRecord | undefined {
  return readMerged(target, accountOfStackId(live.stackId), live.stackName)?.armed;
}

/** True when the record is of exactly this live stack: same StackId and CreationTime. */
export function recordMatches(record: ArmedRecord, live: LiveStackIdentity): boolean {
  return record.stackId === live.stackId && record.creationTime === isoOf(live.creationTime);
}
