/**
 * breakfix's own record of the labs it armed, kept in BREAKFIX_HOME: the only
 * evidence of a lab's variant and armed identity that a learner cannot edit
 * from inside their account. A stack tag is theirs to change (and `cdk deploy`
 * writes one without arming anything), so tags are never trusted alone: a
 * record counts only while the live stack's StackId and CreationTime match it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { breakfixHome } from './moto/server';
import type { Target } from './target';

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

/** What a live stack shows of its identity. */
export interface LiveStackIdentity {
  readonly stackName: string;
  readonly stackId: string;
  readonly creationTime?: Date | string;
}

type RecordFile = { version: 1; labs: Record<string, ArmedRecord> };

function recordFile(): string {
  return join(breakfixHome(), 'armed-labs.json');
}

/** The account in a StackId ARN (arn:partition:cloudformation:region:account:stack/name/id). */
export function accountOfStackId(stackId: string): string {
  return stackId.split(':')[4] ?? '';
}

/** Target + account + stack: two accounts or two emulators never share a record. */
export function recordKey(target: Target, stack: Pick<LiveStackIdentity, 'stackName' | 'stackId'>): string {
  const where = target.endpoint ? `${target.kind}@${target.endpoint}` : target.kind;
  return `${where}/${target.region}/${accountOfStackId(stack.stackId)}/${stack.stackName}`;
}

function readAll(): RecordFile {
  const file = recordFile();
  if (!existsSync(file)) return { version: 1, labs: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as RecordFile;
    return parsed?.labs ? parsed : { version: 1, labs: {} };
  } catch {
    return { version: 1, labs: {} };
  }
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
  const data = readAll();
  const record: ArmedRecord = {
    scenario: lab.scenario,
    ...(lab.learner ? { learner: lab.learner } : {}),
    variant: lab.variant,
    stackId: live.stackId,
    creationTime: isoOf(live.creationTime),
    armedAt: new Date().toISOString(),
  };
  data.labs[recordKey(target, live)] = record;
  const file = recordFile();
  mkdirSync(breakfixHome(), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data, null, 2));
  renameSync(tmp, file); // atomic replace: concurrent readers never see half a file
  return record;
}

/** breakfix's record for the stack of this name in the live stack's account, if any. */
export function readArmedRecord(target: Target, live: Pick<LiveStackIdentity, 'stackName' | 'stackId'>): ArmedRecord | undefined {
  return readAll().labs[recordKey(target, live)];
}

/** True when the record is of exactly this live stack: same StackId and CreationTime. */
export function recordMatches(record: ArmedRecord, live: LiveStackIdentity): boolean {
  return record.stackId === live.stackId && record.creationTime === isoOf(live.creationTime);
}
