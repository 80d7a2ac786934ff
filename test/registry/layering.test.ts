/**
 * Dependencies point one way. Each source file belongs to a layer, and may
 * import its own layer or the layers below it, never one above:
 *
 *   bin/                 assembles the program (the only place that knows every scenario)
 *   scenarios/<id>/      one scenario each; never another scenario, never lib/ops, lib/class or lib/cli
 *   lib/cli              parses options, prints, maps faults to exit codes
 *   lib/class            class grading and the dashboard
 *   lib/ops              deploy, check, reset, destroy, simulate
 *   lib/app              builds a scenario's stack into a CDK app
 *   lib/constructs       shared CDK building blocks
 *   lib/scenario         the scenario contract, metadata, discovery
 *   lib/cleanup          sweeps and leftover probes
 *   lib/live-policies    reads live IAM and resource policies
 *   lib/toolkit          what scenarios share: expected AWS errors, ARNs, emptying a bucket, ...
 *   lib/targets          where a lab runs, SDK clients and their waits, the embedded emulator
 *   checkers/            the grading framework
 *   lib/engines          IAM evaluation, network paths, CloudFormation state
 *   lib/core             errors, classification, the pool, target kinds
 *
 * Tests may import anything; they are not layers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** Bottom first. */
const LAYERS = [
  'lib/core',
  'lib/engines',
  'checkers',
  'lib/targets',
  'lib/toolkit',
  'lib/live-policies',
  'lib/cleanup',
  'lib/scenario',
  'lib/constructs',
  'lib/app',
  'lib/ops',
  'lib/class',
  'lib/cli',
  'scenarios',
  'bin',
] as const;

/** Layers a scenario must not reach even though they sit below it: scenarios are graded and run by them. */
const SCENARIOS_MAY_NOT_IMPORT = ['lib/ops', 'lib/class', 'lib/cli'];

export interface Edge {
  readonly from: string;
  readonly to: string;
}

function layerOf(path: string): number {
  return LAYERS.findIndex((l) => path === l || path.startsWith(`${l}/`));
}

/** The scenario folder a path is in, if any. */
function scenarioOf(path: string): string | undefined {
  const m = /^scenarios\/([^/]+)\//.exec(path);
  return m?.[1];
}

/** Why an import breaks the layering, or undefined when it is allowed. */
export function violation(e: Edge): string | undefined {
  const from = layerOf(e.from);
  const to = layerOf(e.to);
  if (from < 0) return `${e.from} is in no layer`;
  if (to < 0) return `${e.from} imports ${e.to}, which is in no layer`;
  if (to > from) return `${e.from} (${LAYERS[from]}) imports ${e.to} (${LAYERS[to]}), a layer above it`;
  if (LAYERS[from] === 'scenarios') {
    if (scenarioOf(e.to) && scenarioOf(e.to) !== scenarioOf(e.from)) return `${e.from} imports another scenario: ${e.to}`;
    if (SCENARIOS_MAY_NOT_IMPORT.some((l) => e.to.startsWith(`${l}/`))) return `${e.from} (a scenario) imports ${e.to}`;
  }
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const path = `${dir}/${d.name}`;
    if (d.isDirectory()) return d.name === 'test' || d.name === 'node_modules' ? [] : sourceFiles(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') && !d.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative import of the program's own source, resolved to a repository path. */
function edges(): Edge[] {
  const files = ['bin', 'lib', 'checkers', 'scenarios'].flatMap(sourceFiles);
  return files.flatMap((from) => {
    const source = readFileSync(join(ROOT, from), 'utf8');
    return [...source.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](\.[^'"]*)['"]/g)].map((m) => ({
      from,
      to: relative(ROOT, resolve(ROOT, from, '..', m[1]))
        .split('\\')
        .join('/'),
    }));
  });
}

test('every import points down the layers (or stays in its own)', () => {
  const all = edges();
  expect(all.length).toBeGreaterThan(100);
  expect(all.map(violation).filter(Boolean)).toEqual([]);
});

test('nothing in lib/ outside the CLI imports the CLI or a scenario, and the CLI imports no scenario', () => {
  const bad = edges().filter(
    (e) =>
      (e.from.startsWith('lib/') && !e.from.startsWith('lib/cli/') && e.to.startsWith('lib/cli')) ||
      (e.from.startsWith('lib/') && e.to.startsWith('scenarios')),
  );
  expect(bad).toEqual([]);
});

test('only bin/ assembles the program: nothing else imports bin/', () => {
  expect(edges().filter((e) => e.to.startsWith('bin/') && !e.from.startsWith('bin/'))).toEqual([]);
});

test('the rule catches what it forbids', () => {
  expect(violation({ from: 'lib/ops/deploy.ts', to: 'lib/cli/io' })).toMatch(/a layer above it/);
  expect(violation({ from: 'lib/engines/cfn/stack-state.ts', to: 'scenarios/x/gather' })).toMatch(/a layer above it/);
  expect(violation({ from: 'checkers/criterion.ts', to: 'lib/targets/target' })).toMatch(/a layer above it/);
  expect(violation({ from: 'scenarios/a/index.ts', to: 'scenarios/b/lab' })).toMatch(/another scenario/);
  expect(violation({ from: 'scenarios/a/index.ts', to: 'lib/ops/deploy' })).toMatch(/a scenario\) imports/);
  expect(violation({ from: 'lib/cli/main.ts', to: 'scenarios/catalog' })).toMatch(/a layer above it/);
  expect(violation({ from: 'scenarios/a/gather.ts', to: 'lib/engines/cfn/stack-state' })).toBeUndefined();
  expect(violation({ from: 'bin/app.ts', to: 'lib/app/build-app' })).toBeUndefined();
});
