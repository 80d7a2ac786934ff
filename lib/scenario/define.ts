import type { ScenarioDefinition } from './types';
import { loadScenarioMeta, scenarioSourceDir } from './load-meta';

/** What a scenario's index.ts wires together; its ID, metadata and folder come from the folder itself. */
export type ScenarioParts<S> = Omit<ScenarioDefinition<S>, 'id' | 'meta' | 'dir' | 'codeDir'>;

/**
 * A scenario's definition, for its index.ts to export as default:
 * `export default defineScenario(__dirname, { buildStack, gather, criteria, ... })`.
 * The ID is the folder's scenario.json `id`, which must equal the folder name.
 */
export function defineScenario<S>(moduleDir: string, parts: ScenarioParts<S>): ScenarioDefinition<S> {
  const dir = scenarioSourceDir(moduleDir);
  const meta = loadScenarioMeta(dir);
  return { id: meta.id, meta, dir, codeDir: moduleDir, ...parts };
}
