/**
 * Registry completeness: every folder under scenarios/ is a discovered,
 * complete and self-consistent scenario in the one canonical shape, with
 * criteria whose metadata the framework can act on; the template follows
 * the same shape.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { loadScenarioMeta } from '../../lib/scenario/load-meta';
import { loadScenarioModule, scenarioFolders } from '../../lib/scenario/catalog';
import { REQUIRED_FILES, REQUIRED_TESTS, shapeProblems } from '../../lib/scenario/shape';
import type { ScenarioDefinition } from '../../lib/scenario/types';
import { SCENARIOS } from '../support/catalog';
import { scenarioCatalog } from '../../bin/catalog';

const ROOT = resolve(__dirname, '..', '..');
const SCENARIOS_DIR = join(ROOT, 'scenarios');
const TEMPLATE = '_template';
const folders = readdirSync(SCENARIOS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const scenarioDirs = folders.filter((f) => f !== TEMPLATE);

/** `## ` sections of a markdown file, as readHints splits them. */
const levels = (file: string) => readFileSync(file, 'utf8').split(/^## /m).slice(1);

test('scenarios/ holds only scenario folders and the template: no hand-kept list of them', () => {
  const files = readdirSync(SCENARIOS_DIR, { withFileTypes: true })
    .filter((d) => !d.isDirectory())
    .map((d) => d.name);
  expect(files).toEqual([]);
  expect(folders).toContain(TEMPLATE);
  expect(scenarioDirs.length).toBeGreaterThan(0);
});

test('every folder but the template is discovered as a scenario, and every discovered scenario has a folder', () => {
  expect(scenarioFolders(SCENARIOS_DIR)).toEqual(scenarioDirs);
  expect(SCENARIOS.map((s) => s.id).sort()).toEqual(scenarioDirs);
});

test("the CLI's lazy catalog lists the same scenarios, in the same order, with the same metadata and parts", () => {
  const lazy = scenarioCatalog();
  expect(lazy.map((s) => s.id)).toEqual(SCENARIOS.map((s) => s.id));
  expect(lazy.map((s) => s.meta)).toEqual(SCENARIOS.map((s) => s.meta));
  expect(lazy.map((s) => s.criteria.map((c) => c.id))).toEqual(SCENARIOS.map((s) => s.criteria.map((c) => c.id)));
  // Optional hooks and declarations come through without being named anywhere.
  for (const [i, s] of lazy.entries()) {
    for (const hook of ['afterDeploy', 'sweepLearnerResources', 'afterStackDeleted', 'leftovers', 'probes'] as const)
      expect({ id: s.id, hook, present: hook in s }).toEqual({ id: s.id, hook, present: hook in SCENARIOS[i] });
  }
});

test('scenario IDs are unique', () => {
  const ids = SCENARIOS.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
});

function definitionOf(folder: string): ScenarioDefinition {
  return folder === TEMPLATE
    ? loadScenarioModule(join(SCENARIOS_DIR, folder), basename(folder).replace(/^_/, ''))
    : SCENARIOS.find((s) => s.id === folder)!;
}

describe.each(folders)('%s', (folder) => {
  const dir = join(SCENARIOS_DIR, folder);
  const scenario = definitionOf(folder);

  test('is a scenario module whose default export points at its own source folder', () => {
    expect(scenario).toBeDefined();
    expect(scenario.dir).toBe(dir);
  });

  test('scenario.json is valid and its id is the folder name', () => {
    const meta = loadScenarioMeta(dir);
    expect(meta.id).toBe(folder.replace(/^_/, ''));
    expect(scenario.meta).toEqual(meta);
    expect(meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('follows the canonical folder shape: nothing missing, nothing stray', () => {
    expect(shapeProblems(dir, scenario.meta)).toEqual([]);
  });

  test.each(['README.md', 'hints.md', 'solution.md'])('has a non-empty %s', (doc) => {
    expect(readFileSync(join(dir, doc), 'utf8').trim().length).toBeGreaterThan(0);
  });

  test('hints.md has at least 3 `## ` levels, one per hint in scenario.json', () => {
    const meta = scenario.meta;
    expect(meta.hints.map((h) => h.level)).toEqual(meta.hints.map((_h, i) => i + 1));
    const hintFiles = readdirSync(dir).filter((f) => /^hints(\.[a-z0-9-]+)?\.md$/.test(f));
    expect(hintFiles).toContain('hints.md');
    for (const f of hintFiles) {
      const sections = levels(join(dir, f));
      expect({ file: f, levels: sections.length }).toEqual({ file: f, levels: meta.hints.length });
      expect(sections.length).toBeGreaterThanOrEqual(3);
      for (const s of sections) expect(s.split('\n').slice(1).join('\n').trim().length).toBeGreaterThan(0);
    }
  });

  test('has criteria with unique kebab-case IDs, one file per criterion named by its ID', () => {
    const ids = scenario.criteria.map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of scenario.criteria) expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const files = readdirSync(join(dir, 'criteria')).map((f) => basename(f, '.ts'));
    expect(files.sort()).toEqual([...ids].sort());
  });

  test('every criterion carries the metadata the framework acts on', () => {
    const variants = scenario.meta.variants.map((v) => v.id);
    expect(scenario.criteria.some((c) => (c.kind ?? 'required') === 'required')).toBe(true);
    for (const c of scenario.criteria) {
      const where = { criterion: c.id };
      expect({ ...where, title: c.title.trim().length > 0 }).toEqual({ ...where, title: true });
      // Advice is metadata, never a phrase in the title.
      expect({ ...where, adviceInTitle: /\badvice\b|never fails/i.test(c.title) }).toEqual({ ...where, adviceInTitle: false });
      expect({ ...where, kind: ['required', 'advice'].includes(c.kind ?? 'required') }).toEqual({ ...where, kind: true });
      expect({ ...where, rationale: (c.rationale ?? '').trim().length >= 40 }).toEqual({ ...where, rationale: true });
      expect({ ...where, references: c.references?.length > 0 }).toEqual({ ...where, references: true });
      for (const ref of c.references ?? [])
        expect({ ...where, ref }).toEqual({ ...where, ref: expect.stringMatching(/^https:\/\/docs\.aws\.amazon\.com\/\S+$/) });
      for (const v of c.variants ?? [])
        expect({ ...where, variant: v, known: variants.includes(v) }).toEqual({ ...where, variant: v, known: true });
    }
  });

  test('declares what its grading reads (the grader-policy test proves the list exact)', () => {
    expect(scenario.meta.grader.actions.length).toBeGreaterThan(0);
    expect(scenario.meta.grader.actions).toEqual([...new Set(scenario.meta.grader.actions)].sort());
  });
});

describe('the shape check fails loudly', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'breakfix-shape-'));
    for (const f of Object.keys(REQUIRED_FILES).filter((f) => f !== 'cleanup.ts')) writeFileSync(join(dir, f), '');
    writeFileSync(join(dir, 'helpers.ts'), '');
    writeFileSync(join(dir, 'hints.nope.md'), '');
    for (const d of ['criteria', 'test', 'scripts']) mkdirSync(join(dir, d));
    for (const f of Object.keys(REQUIRED_TESTS).filter((f) => f !== 'stack.test.ts')) writeFileSync(join(dir, 'test', f), '');
    writeFileSync(join(dir, 'test', 'aws-recorded.test.ts'), '');
    writeFileSync(join(dir, 'test', 'moto-e2e.other.test.ts'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('on a missing file, a stray file or folder, and names that match no variant', () => {
    const problems = shapeProblems(dir, { variants: [{ id: 'only', title: 'The only variant' }] });
    expect(problems).toHaveLength(7);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cleanup\.ts is missing/),
        expect.stringMatching(/^helpers\.ts is not part of a scenario folder/),
        expect.stringMatching(/^hints\.nope\.md names variant nope/),
        expect.stringMatching(/^scripts\/ is not part of a scenario folder/),
        expect.stringMatching(/^test\/stack\.test\.ts is missing/),
        expect.stringMatching(/^test\/aws-recorded\.test\.ts is not one of the test files/),
        expect.stringMatching(/^test\/moto-e2e\.other\.test\.ts names variant other/),
      ]),
    );
  });
});
