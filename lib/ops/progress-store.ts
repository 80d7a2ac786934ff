import { join } from 'node:path';
import { JsonStore } from '../core/json-store';
import { breakfixHome } from '../targets/moto/server';
import { targetName } from '../targets/lab-record';
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

export function storeFile(): string {
  return process.env.BREAKFIX_STATE_FILE ?? join(breakfixHome(), 'progress.json');
}

const store = new JsonStore<LabProgress>(storeFile);

/** How the store names a target: the same name breakfix's lab record gives it. */
export const targetKey = (target: Target): string => targetName(target);

export function labKey(target: Target, stackName: string): string {
  return `${targetKey(target)}|${stackName}`;
}

export function getProgress(target: Target, stackName: string): LabProgress | undefined {
  return store.get(labKey(target, stackName));
}

export function updateProgress(
  target: Target,
  stackName: string,
  base: Omit<LabProgress, 'hintsSeen' | 'target'>,
  change: (p: LabProgress) => void,
): LabProgress {
  return store.update(labKey(target, stackName), (found) => {
    const current = found ?? { ...base, target: targetKey(target), hintsSeen: [] };
    change(current);
    return current;
  })!;
}
