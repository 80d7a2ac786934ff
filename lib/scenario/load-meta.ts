import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ScenarioMeta, scenarioMetaSchema } from './meta';

/**
 * Loads and validates `scenario.json` from a scenario folder. The folder name
 * must equal the ID inside (the template's folder, `_template`, holds ID
 * `template`); loading fails loudly otherwise.
 */
export function loadScenarioMeta(dir: string): ScenarioMeta {
  const file = join(dir, 'scenario.json');
  const parsed = scenarioMetaSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  if (parsed.data.id !== basename(dir).replace(/^_/, '')) {
    throw new Error(`${file} says id "${parsed.data.id}" but its folder is "${basename(dir)}"`);
  }
  return parsed.data;
}

/** Scenario folders live beside their compiled code in dist/ only as JS; docs stay in the source tree. */
export function scenarioSourceDir(compiledDir: string): string {
  return compiledDir.replace(/([\\/])dist[\\/](scenarios)(?=[\\/]|$)/, '$1$2');
}
