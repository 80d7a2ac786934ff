/**
 * Scenario discovery. Every folder under a scenarios root that holds a
 * scenario.json is a scenario, and its module's default export is the
 * definition (see define.ts). Nothing lists scenarios by hand: adding a
 * folder adds a scenario. Folders starting with `_` (the template) or `.`
 * are not scenarios.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarioMeta, scenarioSourceDir } from './load-meta';
import type { ScenarioDefinition } from './types';

export interface DiscoverOptions {
  /**
   * Load each scenario's code now (the CDK app, tests) instead of on first
   * use of its code (the CLI: `list`, `hint` and `--help` read scenario.json only).
   * @default false
   */
  readonly eager?: boolean;
}

/** Scenario folders of a root, sorted by ID. */
export function scenarioFolders(sourceRoot: string): string[] {
  return readdirSync(sourceRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !/^[_.]/.test(d.name) && existsSync(join(sourceRoot, d.name, 'scenario.json')))
    .map((d) => d.name)
    .sort();
}

/**
 * The scenarios under `codeRoot` (where their compiled or TypeScript modules
 * are); their scenario.json and docs are read from the source tree.
 */
export function discoverScenarios(codeRoot: string, opts: DiscoverOptions = {}): ScenarioDefinition[] {
  const sourceRoot = scenarioSourceDir(codeRoot);
  return scenarioFolders(sourceRoot).map((id) => {
    const load = () => loadScenarioModule(join(codeRoot, id), id);
    return opts.eager ? load() : lazyScenario(id, join(sourceRoot, id), join(codeRoot, id), load);
  });
}

/** Requires a scenario module and checks that its default export is the scenario of that folder. */
export function loadScenarioModule(codeDir: string, id: string): ScenarioDefinition {
  // Scenario code loads on first use, by folder.
  const mod = require(codeDir) as { default?: ScenarioDefinition };
  const def = mod.default;
  if (!def || typeof def !== 'object' || typeof def.gather !== 'function') {
    throw new Error(`${codeDir} has no default export made with defineScenario(); every scenario's index.ts needs one.`);
  }
  if (def.id !== id) throw new Error(`${codeDir} defines scenario "${def.id}", but its folder is "${id}".`);
  return def;
}

const EAGER_FIELDS = new Set<PropertyKey>(['id', 'meta', 'dir', 'codeDir']);

/**
 * A scenario whose metadata is read at once and whose code loads on first
 * use of anything else. Every other property (criteria, hooks, probes, ...)
 * is the loaded definition's own, so nothing is forwarded by hand.
 */
function lazyScenario(id: string, dir: string, codeDir: string, load: () => ScenarioDefinition): ScenarioDefinition {
  const eager = { id, meta: loadScenarioMeta(dir), dir, codeDir };
  let loaded: ScenarioDefinition | undefined;
  const real = () => (loaded ??= load());
  return new Proxy(eager as ScenarioDefinition, {
    get(target, prop) {
      if (EAGER_FIELDS.has(prop)) return target[prop as keyof typeof eager];
      const value = (real() as unknown as Record<PropertyKey, unknown>)[prop];
      return typeof value === 'function' ? value.bind(real()) : value;
    },
    has(target, prop) {
      return EAGER_FIELDS.has(prop) || prop in real();
    },
  });
}
