/**
 * Variants that cannot run on moto (the s3 scenario's `scp`, which needs AWS
 * Organizations) are graded in tests against documented shapes: real SDK
 * clients whose answers are shaped exactly like the responses in AWS's API
 * references (see stub-clients.ts). A scenario with such a variant provides
 * them in `scenarios/<id>/test/documented-shapes.ts`, exporting
 * `documentedShapes`: for each such variant, the account states worth grading
 * (armed, fixed, and learner changes that send the checker down other reads).
 * The grader-policy test loads the file by convention, so a new scenario's
 * AWS-only variants are derived without edits outside its folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Respond } from './stub-clients';

export interface DocumentedState {
  /** What the account shows, e.g. "armed" or "guardrail detached". */
  readonly name: string;
  /** Answers every call the checker makes in this state; throws for one it has no documented answer for. */
  readonly respond: Respond;
}

/** Per variant that moto cannot run, the states to grade. */
export type DocumentedShapes = Readonly<Record<string, readonly DocumentedState[]>>;

const ROOT = join(__dirname, '..', '..');

/** The scenario's documented shapes, or undefined when its folder has none. */
export function loadDocumentedShapes(scenarioId: string): DocumentedShapes | undefined {
  const file = join(ROOT, 'scenarios', scenarioId, 'test', 'documented-shapes.ts');
  if (!existsSync(file)) return undefined;
  return (require(file) as { documentedShapes?: DocumentedShapes }).documentedShapes;
}
