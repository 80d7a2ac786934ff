/**
 * The README's scenario x target matrix, generated from each scenario.json
 * (`npm run docs` writes it between the markers; a test holds the README to
 * it), so a new scenario's row needs no hand edit.
 */
import type { TargetKind } from '../core/target-kind';
import { TARGET_KINDS } from '../core/target-kind';
import type { ScenarioMeta } from './meta';

export const MATRIX_START = '<!-- scenario-matrix:start (generated from scenario.json by `npm run docs`; do not edit) -->';
export const MATRIX_END = '<!-- scenario-matrix:end -->';

const TARGET_NAMES: Record<TargetKind, string> = { moto: 'moto', floci: 'Floci', localstack: 'LocalStack', aws: 'AWS' };

/** Only the embedded emulator runs on this project's CI; the other columns say so. */
const RUN_HERE: readonly TargetKind[] = ['moto'];

function variantsCell(meta: ScenarioMeta): string {
  const supported = TARGET_KINDS.filter((t) => meta.targets[t] !== 'unsupported');
  return meta.variants
    .map((v) => {
      const narrower = v.targets && supported.some((t) => !v.targets!.includes(t));
      return narrower ? `\`${v.id}\` (${v.targets!.map((t) => TARGET_NAMES[t]).join(' and ')} only)` : `\`${v.id}\``;
    })
    .join(', ');
}

function targetCell(meta: ScenarioMeta, target: TargetKind): string {
  const fidelity = meta.targets[target];
  return `${fidelity} (${RUN_HERE.includes(target) ? 'tested' : 'not run here'})`;
}

/** The markdown table, one row per scenario in the order given. */
export function scenarioMatrix(metas: readonly ScenarioMeta[]): string {
  const rows = metas.map((m) =>
    ['`' + m.id + '`', variantsCell(m), m.symptom, ...TARGET_KINDS.map((t) => targetCell(m, t))].map((c) => c.replace(/\|/g, '\\|')),
  );
  return [
    `| ID | Variants (causes) | What you see | ${TARGET_KINDS.map((t) => TARGET_NAMES[t]).join(' | ')} |`,
    `|${'---|'.repeat(3 + TARGET_KINDS.length)}`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** `text` with the block between the markers replaced by `matrix`; fails loudly when the markers are missing. */
export function withMatrix(text: string, matrix: string): string {
  const start = text.indexOf(MATRIX_START);
  const end = text.indexOf(MATRIX_END);
  if (start < 0 || end < start) throw new Error(`The README has no ${MATRIX_START} ... ${MATRIX_END} block.`);
  return `${text.slice(0, start + MATRIX_START.length)}\n${matrix}\n${text.slice(end)}`;
}
