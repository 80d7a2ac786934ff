/**
 * breakfix's own record of a lab, one file per lab under
 * `BREAKFIX_HOME/labs/`: which scenario and variant it is, when it was
 * deployed, and the region listing taken before it (the baseline destroy
 * compares against). It is written before the first deploy and removed when
 * destroy leaves the region as it was, so a record without a stack is a lab
 * that existed and is gone: evidence the learner cannot edit in their account.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { breakfixHome } from '../targets/moto/server';
import type { Target } from '../targets/target';
import type { RegionListing } from './region-listing';

export interface LabRecord {
  readonly scenario: string;
  readonly stackName: string;
  readonly learner?: string;
  readonly variant: string;
  /** `kind@endpoint/region`, as the progress store names targets. */
  readonly target: string;
  readonly recordedAt: string;
  /** The stack's ID once deployed. */
  stackId?: string;
  /** The region listing before the lab; absent when it could not be taken. */
  readonly baseline?: RegionListing;
}

const targetName = (target: Target) => (target.endpoint ? `${target.kind}@${target.endpoint}/${target.region}` : `aws/${target.region}`);

function recordFile(target: Target, stackName: string): string {
  const key = createHash('sha256')
    .update(`${targetName(target)}|${stackName}`)
    .digest('hex')
    .slice(0, 16);
  return join(breakfixHome(), 'labs', `${stackName}-${key}.json`);
}

export function readLabRecord(target: Target, stackName: string): LabRecord | undefined {
  const file = recordFile(target, stackName);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LabRecord;
  } catch {
    return undefined;
  }
}

export function writeLabRecord(target: Target, record: Omit<LabRecord, 'target' | 'recordedAt'> & { recordedAt?: string }): LabRecord {
  const full: LabRecord = { ...record, target: targetName(target), recordedAt: record.recordedAt ?? new Date().toISOString() };
  const file = recordFile(target, record.stackName);
  mkdirSync(join(breakfixHome(), 'labs'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(full));
  renameSync(tmp, file);
  return full;
}

export function removeLabRecord(target: Target, stackName: string): void {
  rmSync(recordFile(target, stackName), { force: true });
}
