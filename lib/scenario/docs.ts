import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioDefinition } from './types';
import { assertKnownVariant } from './naming';

/**
 * A variant may have its own doc (`hints.<variant>.md`); otherwise the shared
 * one applies. The variant is one of the scenario's own before it becomes
 * part of a file name, so no doc is ever read from outside the scenario folder.
 */
export function docPath(scenario: ScenarioDefinition, base: 'hints' | 'solution' | 'README', variant?: string): string {
  if (variant !== undefined) {
    const specific = join(scenario.dir, `${base}.${assertKnownVariant(scenario.meta, variant)}.md`);
    if (existsSync(specific)) return specific;
  }
  return join(scenario.dir, `${base}.md`);
}

export interface HintLevel {
  readonly level: number;
  readonly title: string;
  readonly body: string;
}

/** Hints are `## ` sections of hints.md, in order: level 1 first. */
export function readHints(scenario: ScenarioDefinition, variant?: string): HintLevel[] {
  const text = readFileSync(docPath(scenario, 'hints', variant), 'utf8');
  const sections = text.split(/^## /m).slice(1);
  return sections.map((section, i) => {
    const [title, ...rest] = section.split('\n');
    return { level: i + 1, title: title.trim(), body: rest.join('\n').trim() };
  });
}

export function readDoc(scenario: ScenarioDefinition, base: 'solution' | 'README', variant?: string): string {
  return readFileSync(docPath(scenario, base, variant), 'utf8');
}
