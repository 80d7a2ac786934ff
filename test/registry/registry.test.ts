/**
 * Registry completeness: every folder under scenarios/ is a registered,
 * complete and self-consistent scenario, and scenarios stay independent.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { loadScenarioMeta } from '../../lib/scenario/load-meta';
import { SCENARIOS } from '../support/catalog';
import { scenarioCatalog } from '../../bin/catalog';

const ROOT = resolve(__dirname, '..', '..');
const SCENARIOS_DIR = join(ROOT, 'scenarios');
const folders = readdirSync(SCENARIOS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** `## ` sections of a markdown file, as readHints splits them. */
const levels = (file: string) => readFileSync(file, 'utf8').split(/^## /m).slice(1);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

test('scenarios/ holds only scenario folders: no hand-kept list of them', () => {
  const files = readdirSync(SCENARIOS_DIR, { withFileTypes: true })
    .filter((d) => !d.isDirectory())
    .map((d) => d.name);
  expect(files).toEqual([]);
  expect(folders.length).toBeGreaterThan(0);
});

test('every folder is discovered as a scenario, and every discovered scenario has a folder', () => {
  expect(SCENARIOS.map((s) => s.id).sort()).toEqual(folders);
});

test("the CLI's lazy catalog lists the same scenarios, in the same order, with the same metadata", () => {
  const lazy = scenarioCatalog();
  expect(lazy.map((s) => s.id)).toEqual(SCENARIOS.map((s) => s.id));
  expect(lazy.map((s) => s.meta)).toEqual(SCENARIOS.map((s) => s.meta));
  expect(lazy.map((s) => s.criteria.map((c) => c.id))).toEqual(SCENARIOS.map((s) => s.criteria.map((c) => c.id)));
});

test('scenario IDs are unique', () => {
  const ids = SCENARIOS.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
});

describe.each(folders)('%s', (id) => {
  const dir = join(SCENARIOS_DIR, id);
  const scenario = SCENARIOS.find((s) => s.id === id);

  test('is registered, and points at its own source folder', () => {
    expect(scenario).toBeDefined();
    expect(scenario!.dir).toBe(dir);
  });

  test('scenario.json is valid and its id is the folder name', () => {
    const meta = loadScenarioMeta(dir);
    expect(meta.id).toBe(id);
    expect(scenario!.meta).toEqual(meta);
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
  });

  test.each(['README.md', 'hints.md', 'solution.md'])('has a non-empty %s', (doc) => {
    const file = join(dir, doc);
    expect({ doc, exists: existsSync(file) }).toEqual({ doc, exists: true });
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThan(0);
  });

  test('hints.md has at least 3 `## ` levels, one per hint in scenario.json', () => {
    const meta = loadScenarioMeta(dir);
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

  test('variant-specific docs name variants that exist', () => {
    const meta = loadScenarioMeta(dir);
    const variantDocs = readdirSync(dir).filter((f) => /^(hints|solution|README)\.[a-z0-9-]+\.md$/.test(f));
    for (const f of variantDocs) expect(meta.variants.map((v) => v.id)).toContain(f.split('.')[1]);
  });

  test('has a test folder with at least one test', () => {
    const testDir = join(dir, 'test');
    expect(existsSync(testDir) && statSync(testDir).isDirectory()).toBe(true);
    expect(filesUnder(testDir).filter((f) => f.endsWith('.test.ts')).length).toBeGreaterThan(0);
  });

  test('has criteria with unique kebab-case IDs, one file per criterion named by its ID', () => {
    const ids = scenario!.criteria.map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of scenario!.criteria) {
      expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(c.title.trim().length).toBeGreaterThan(0);
    }
    const criteriaDir = join(dir, 'criteria');
    if (existsSync(criteriaDir)) {
      const files = readdirSync(criteriaDir)
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => basename(f, '.ts'));
      expect(files.sort()).toEqual([...ids].sort());
    }
  });

  test('imports nothing from another scenario', () => {
    const others = folders.filter((f) => f !== id);
    for (const file of filesUnder(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/(?:from\s+|import\s*\(|require\s*\()\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1];
        if (!spec.startsWith('.')) continue;
        const target = relative(SCENARIOS_DIR, resolve(join(file, '..'), spec));
        const into = target.split(/[\\/]/)[0];
        expect({
          file: relative(ROOT, file),
          spec,
          intoOtherScenario: others.includes(into) || ['index', 'index.ts', 'catalog', 'catalog.ts'].includes(into),
        }).toEqual({
          file: relative(ROOT, file),
          spec,
          intoOtherScenario: false,
        });
      }
    }
  });
});

test('engines never import scenarios', () => {
  const engines = join(ROOT, 'lib', 'engines');
  for (const file of filesUnder(engines).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?:from\s+|import\s*\(|require\s*\()\s*['"]([^'"]+)['"]/g)) {
      const target = relative(ROOT, resolve(join(file, '..'), m[1]));
      expect({ file: relative(ROOT, file), target, scenario: m[1].startsWith('.') && target.startsWith('scenarios') }).toEqual({
        file: relative(ROOT, file),
        target,
        scenario: false,
      });
    }
  }
});
