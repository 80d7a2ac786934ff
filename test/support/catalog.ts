import { scenarioCatalog } from '../../bin/catalog';
import type { ScenarioDefinition } from '../../lib/scenario/types';

/** Every shipped scenario, loaded (as the CDK app loads them); the CLI gets the lazy catalog from bin/catalog.ts. */
export const SCENARIOS: readonly ScenarioDefinition[] = scenarioCatalog({ eager: true });
