import type { ScenarioDefinition } from '../lib/scenario/types';
import { SCENARIO_LOADERS } from './catalog';

/** Every scenario, loaded (the CDK app and tests); the CLI uses the lazy catalog. */
export const SCENARIOS: readonly ScenarioDefinition[] = SCENARIO_LOADERS.map(([, load]) => load());
