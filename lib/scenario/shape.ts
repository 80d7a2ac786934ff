/**
 * The one shape of a scenario folder. The registry test holds every folder
 * (and the template) to it, and fails loudly on a missing or stray file;
 * docs/adding-a-scenario.md explains each part.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioMeta } from './meta';

/** Files every scenario has, and what each holds. */
export const REQUIRED_FILES: Readonly<Record<string, string>> = {
  'index.ts': 'wiring only: `export default defineScenario(__dirname, { ... })`',
  'stack.ts': 'the CDK stack (a ScenarioStack)',
  'lab.ts': 'names and constants the parts share',
  'arm.ts': 'post-deploy steps and the armed proof (verifyArmed)',
  'gather.ts': 'reads live state once per check, read-only',
  'symptom.ts': 'what AWS would show the learner',
  'cleanup.ts': 'what the learner may have created, swept before destroy; leftover probes for the stack types breakfix does not know',
  'scenario.json': 'metadata: targets, variants, hints and their costs, grader actions',
  'README.md': "the learner's brief, no spoilers",
  'hints.md': 'progressive hints, one `## ` section per level',
  'solution.md': "the instructor's solution",
  'spoilers.json': 'per variant, its cause and the words deploy and status must never print (lib/scenario/spoilers.ts)',
};

/** Files a scenario may have besides. */
export const OPTIONAL_FILES: Readonly<Record<string, string>> = {
  'access.ts': 'the requests the criteria decide with the IAM engine (principals, sessions, probes)',
};

/** Folders: criteria/ (one criterion per file, named by its ID), test/, and assets/ (files the stack reads at synth, e.g. inline Lambda code). */
export const REQUIRED_DIRS = ['criteria', 'test'] as const;
export const OPTIONAL_DIRS = ['assets'] as const;

/** Variant docs: `hints.<variant>.md`, `solution.<variant>.md`. */
const VARIANT_DOC = /^(hints|solution)\.([a-z0-9-]+)\.md$/;

/** The test files every scenario has, by the same names. */
export const REQUIRED_TESTS: Readonly<Record<string, string>> = {
  'stack.test.ts': 'the template, with Template.fromStack',
  'moto-e2e.test.ts': 'armed, valid remedies, shortcuts, reset and destroy on the kit moto (the default variant)',
  'aws-documented-shapes.test.ts': "real-AWS-only behaviour against documented shapes of AWS's responses (not recordings)",
};

/** Test files a scenario may have: the same names in every scenario that has them. */
export const OPTIONAL_TESTS: Readonly<Record<string, string>> = {
  'aws-documented-shapes.ts': 'the documented shapes themselves, when the test file would be long',
  'documented-shapes.ts':
    'per variant the real-AWS path cannot run on moto: the documented shapes the grader-policy test grades it against',
  'helpers.ts': "helpers the scenario's own tests share",
  'cli-flow.test.ts': "the learner's loop through the CLI",
  'oracle-agreement.test.ts': 'the IAM decisions the criteria rely on, against the test oracle',
  'learner-behaviour.test.ts': "an outside grader's matrix of valid remedies and shortcuts",
  'learner-harness.ts': 'the adapter learner-behaviour.test.ts drives the lab through',
  'lifecycle.test.ts': 'model-based reset and destroy',
};

/** `moto-e2e.<variant>.test.ts`: the end-to-end test of another variant. */
const VARIANT_E2E = /^moto-e2e\.([a-z0-9-]+)\.test\.ts$/;

/** Every way a folder departs from the shape, one sentence each; empty when it follows it. */
export function shapeProblems(dir: string, meta: Pick<ScenarioMeta, 'variants'>): string[] {
  const problems: string[] = [];
  const variants = meta.variants.map((v) => v.id);
  const entries = readdirSync(dir, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  for (const f of Object.keys(REQUIRED_FILES)) if (!names.has(f)) problems.push(`${f} is missing (${REQUIRED_FILES[f]}).`);
  for (const d of REQUIRED_DIRS) if (!names.has(d) || !statSync(join(dir, d)).isDirectory()) problems.push(`${d}/ is missing.`);
  for (const e of entries) {
    if (e.isDirectory()) {
      if (![...REQUIRED_DIRS, ...OPTIONAL_DIRS].includes(e.name as never)) problems.push(`${e.name}/ is not part of a scenario folder.`);
      continue;
    }
    if (e.name in REQUIRED_FILES || e.name in OPTIONAL_FILES) continue;
    const doc = VARIANT_DOC.exec(e.name);
    if (doc) {
      if (!variants.includes(doc[2])) problems.push(`${e.name} names variant ${doc[2]}, which scenario.json does not have.`);
      continue;
    }
    problems.push(`${e.name} is not part of a scenario folder (see lib/scenario/shape.ts).`);
  }
  const testDir = join(dir, 'test');
  if (existsSync(testDir) && statSync(testDir).isDirectory()) {
    const tests = readdirSync(testDir, { withFileTypes: true });
    const testNames = new Set(tests.map((t) => t.name));
    for (const f of Object.keys(REQUIRED_TESTS)) if (!testNames.has(f)) problems.push(`test/${f} is missing (${REQUIRED_TESTS[f]}).`);
    for (const t of tests) {
      if (t.isDirectory()) {
        problems.push(`test/${t.name}/ is not part of a scenario's tests.`);
        continue;
      }
      if (t.name in REQUIRED_TESTS || t.name in OPTIONAL_TESTS) continue;
      const e2e = VARIANT_E2E.exec(t.name);
      if (e2e && variants.includes(e2e[1])) continue;
      problems.push(
        e2e
          ? `test/${t.name} names variant ${e2e[1]}, which scenario.json does not have.`
          : `test/${t.name} is not one of the test files every scenario names alike (see lib/scenario/shape.ts).`,
      );
    }
  }
  return problems;
}
