/**
 * Adding a scenario touches nothing outside its folder. The template is
 * copied to a new folder in a scenarios root of its own, renamed and filled
 * in (its ID and title), and with no other edit the new scenario appears in
 * `breakfix list`, in `cdk ls` of the CDK app, in the README matrix, in the
 * leftover-probe and shape checks, and in the grader-policy proof: its
 * grading, observed on moto, needs exactly the actions its scenario.json
 * declares, and the published policy is generated to include them.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { StackSelectionStrategy, Toolkit } from '@aws-cdk/toolkit-lib';
import { scenarioCatalog } from '../../bin/catalog';
import { addScenarioStacks } from '../../lib/app/build-app';
import { uncoveredTypes } from '../../lib/cleanup/inventory';
import { graderActions } from '../../lib/class/grader-policy';
import { main } from '../../lib/cli/main';
import { deployScenario } from '../../lib/ops/deploy';
import { destroyScenario } from '../../lib/ops/destroy';
import { scenarioMatrix } from '../../lib/scenario/matrix';
import { shapeProblems } from '../../lib/scenario/shape';
import type { ScenarioDefinition } from '../../lib/scenario/types';
import { capturingIo, cleanEnv } from '../cli/harness';
import { labContext, useMoto } from '../support/lab';
import { GRADER_LEARNER, declarationGap, gradeObserved, gradeObservedAsAws, recorder } from '../support/grader';

const ROOT = resolve(__dirname, '..', '..');
const NEW_ID = 'reports-lost-on-overwrite';

/**
 * A scenarios root beside scenarios/, so the copy's `../../lib` imports
 * resolve as they do for a folder under scenarios/ (.gitignore keeps it out).
 */
let root: string;
let catalog: ScenarioDefinition[];

beforeAll(() => {
  root = mkdtempSync(join(ROOT, '.scenarios-'));
  const dir = join(root, NEW_ID);
  cpSync(join(ROOT, 'scenarios', '_template'), dir, { recursive: true });
  // Renaming and filling in: the ID (which must equal the folder name) and the title.
  const file = join(dir, 'scenario.json');
  const meta = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...meta, id: NEW_ID, title: 'Reports lost on overwrite' }, null, 2));
  catalog = scenarioCatalog({ root });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('the catalog discovers the copy by its folder', () => {
  expect(catalog.map((s) => s.id)).toEqual([NEW_ID]);
  expect(catalog[0].criteria.map((c) => c.id)).toEqual(['bucket-versioning-enabled', 'noncurrent-versions-expire']);
});

test('`breakfix list` shows it', async () => {
  const io = capturingIo();
  expect(await main(['list', '--json'], { io, scenarios: catalog, env: cleanEnv() })).toBe(0);
  expect(JSON.parse(io.stdout.join('\n'))).toEqual([expect.objectContaining({ id: NEW_ID, title: 'Reports lost on overwrite' })]);
});

test('`cdk ls` of the CDK app lists its stack', async () => {
  const toolkit = new Toolkit({ ioHost: { notify: async () => undefined, requestResponse: async (m) => m.defaultResponse } });
  const source = await toolkit.fromAssemblyBuilder(async (props) => {
    const app = new App({ outdir: props.outdir, context: props.context });
    addScenarioStacks(app, scenarioCatalog({ root, eager: true }), { BREAKFIX_TARGET: 'moto' });
    return app.synth();
  });
  const stacks = await toolkit.list(source, { stacks: { strategy: StackSelectionStrategy.ALL_STACKS } });
  expect(stacks.map((s) => s.name)).toEqual([NEW_ID]);
});

test('the README matrix has its row, from its scenario.json', () => {
  const rows = scenarioMatrix(catalog.map((s) => s.meta)).split('\n');
  expect(rows[2]).toMatch(new RegExp(`^\\| \`${NEW_ID}\` \\| \`versioning-off\` \\| Yesterday's report was overwritten`));
});

test('it follows the canonical shape, and every resource type of its stack has a leftover probe', () => {
  const [scenario] = catalog;
  expect(shapeProblems(join(root, NEW_ID), scenario.meta)).toEqual([]);
  const types = new Set<string>();
  for (const targetKind of ['moto', 'aws'] as const) {
    const app = new App();
    const [stack] = addScenarioStacks(app, [scenario], {
      BREAKFIX_TARGET: targetKind,
      // real AWS only for an allow-listed account, as the CDK CLI would hand it over
      CDK_DEFAULT_ACCOUNT: '111122223333',
      BREAKFIX_SANDBOX_ACCOUNTS: '111122223333',
    });
    for (const r of Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>)) types.add(r.Type);
  }
  expect(uncoveredTypes(types, scenario.probes)).toEqual([]);
});

describe('the grader policy', () => {
  const moto = useMoto();

  test('its grading, observed on moto, needs exactly what its scenario.json declares, and the generated policy includes it', async () => {
    const [scenario] = catalog;
    const calls = new Set<string>();
    const observer = recorder(calls);
    const ctx = labContext(scenario, moto.endpoint, { learner: GRADER_LEARNER });
    await deployScenario(scenario, ctx);
    try {
      expect(await gradeObserved(scenario, moto.endpoint, observer)).toBe('not-fixed');
      await gradeObservedAsAws(scenario, moto.endpoint, observer);
    } finally {
      await destroyScenario(scenario, ctx);
      ctx.clients.destroy();
    }
    expect(declarationGap(scenario, calls)).toEqual({ missing: [], extra: [] });
    expect(graderActions(catalog)).toEqual(expect.arrayContaining(scenario.meta.grader.actions));
  });
});
