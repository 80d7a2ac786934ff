import { distance } from 'fastest-levenshtein';
import type { ScenarioDefinition } from '../scenario/types';
import { UsageError } from '../core/errors';

/** Finds a scenario by ID; an unknown ID suggests the closest ones. */
export function findScenario(scenarios: readonly ScenarioDefinition[], id: string): ScenarioDefinition {
  const found = scenarios.find((s) => s.id === id);
  if (found) return found;
  const ranked = scenarios
    .map((s) => ({ id: s.id, d: Math.min(distance(id, s.id), s.id.includes(id) && id.length >= 3 ? 1 : Infinity) }))
    .sort((a, b) => a.d - b.d)
    .filter((s, i) => i < 3 && s.d <= Math.max(4, Math.floor(id.length / 2)));
  const suggestion = ranked.length ? ` Did you mean ${ranked.map((r) => r.id).join(' or ')}?` : ` Run \`breakfix list\` to see them.`;
  throw new UsageError('unknown-scenario', `Unknown scenario "${id}".${suggestion}`);
}
