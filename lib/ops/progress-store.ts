import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { breakfixHome } from '../targets/moto/server';
import type { Target } from '../targets/target';

/** What breakfix remembers locally about one learner's lab. */
export interface LabProgress {
  scenario: string;
  learner?: string;
  variant?: string;
  target: string;
  deployedAt?: string;
  hintsSeen: number[];
  solutionSeenAt?: string;
  firstFixedAt?: string;
}

type StoreShape = { version: 1; labs: Record<string, LabProgress> };

export function targetKey(target: Target): string {
  return target.endpoint ? `${target.kind}@${target.endpoint}/${target.region}` : `aws/${target.region}`;
}

export function storeFile(): string {
  return process.env.BREAKFIX_STATE_FILE ?? join(breakfixHome(), 'progress.json');
}

function read(): StoreShape {
  const file = storeFile();
  if (!existsSync(file)) return { version: 1, labs: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as StoreShape;
    return parsed?.labs ? parsed : { version: 1, labs: {} };
  } catch {
    return { version: 1, labs: {} };
  }
}

function write(data: StoreShape): void {
  const file = storeFile();
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data, null, 2));
  renameSync(tmp, file); // atomic replace: concurrent readers never see half a file
}

export function labKey(target: Target, stackName: string): string {
  return `${targetKey(target)}|${stackName}`;
}

export function getProgress(target: Target, stackName: string): LabProgress | undefined {
  return read().labs[labKey(target, stackName)];
}

export function updateProgress(
  target: Target,
  stackName: string,
  base: Omit<LabProgress, 'hintsSeen' | 'target'>,
  change: (p: LabProgress) => void,
): LabProgress {
  const data = read();
  const key = labKey(target, stackName);
  const current = data.labs[key] ?? { ...base, target: targetKey(target), hintsSeen: [] };
  change(current);
  data.labs[key] = current;
  write(data);
  return current;
}
