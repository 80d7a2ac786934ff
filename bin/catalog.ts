import { join } from 'node:path';
import { discoverScenarios, type DiscoverOptions } from '../lib/scenario/catalog';
import type { ScenarioDefinition } from '../lib/scenario/types';

/** Where the scenarios this breakfix ships live: dist/scenarios when compiled, scenarios/ under ts-jest. */
export const SCENARIOS_ROOT = join(__dirname, '..', 'scenarios');

/**
 * The scenario catalog: every folder under scenarios/ (or under `root`).
 * bin/ is the only place that assembles the program, so the CLI and the CDK
 * app both get their scenarios from here.
 */
export function scenarioCatalog(opts: DiscoverOptions & { root?: string } = {}): ScenarioDefinition[] {
  return discoverScenarios(opts.root ?? SCENARIOS_ROOT, opts);
}
