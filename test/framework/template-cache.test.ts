/**
 * The synthesized-template cache (lib/ops/template-cache.ts): a hit deploys
 * from the stored assembly without loading aws-cdk-lib or building the
 * stack, and the key changes whenever anything the template is made from
 * changes, so a stale template is never served.
 */
const mockCdkLoads: string[] = [];
jest.mock('aws-cdk-lib', () => {
  mockCdkLoads.push('aws-cdk-lib');
  return jest.requireActual('aws-cdk-lib');
});

import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { parse as parseYaml } from 'yaml';
import type { ScenarioDefinition } from '../../lib/scenario/types';
import { AwsClients } from '../../lib/targets/clients';
import type { Target } from '../../lib/targets/target';
import { breakfixHome } from '../../lib/targets/moto/server';
import { stackNameFor } from '../../lib/scenario/naming';
import { templateCacheKey, templateCodeOf, TemplateRequest } from '../../lib/ops/template-cache';
import { SCENARIOS } from '../support/catalog';
import { useMoto } from '../support/lab';

const scenario = SCENARIOS.find((s) => s.id === 's3-delete-access-denied')!;
const variant = scenario.meta.variants.find((v) => !v.targets || v.targets.includes('moto'))!.id;

describe('template cache key', () => {
  const base: TemplateRequest = { scenario, variant, learner: 'ana', targetKind: 'moto', region: 'us-east-1' };
  const code = templateCodeOf(scenario);

  test('the same request over the same code gives the same key', () => {
    expect(templateCacheKey(base, code)).toBe(templateCacheKey({ ...base }, templateCodeOf(scenario)));
  });

  test('every part of the request changes the key', () => {
    const other = SCENARIOS.find((s) => s.id !== scenario.id)!;
    const otherVariant = scenario.meta.variants.find((v) => v.id !== variant)?.id ?? `${variant}-other`;
    const keys = [
      base,
      { ...base, scenario: other },
      { ...base, variant: otherVariant },
      { ...base, learner: 'bo' },
      { ...base, learner: undefined },
      { ...base, targetKind: 'floci' },
      { ...base, region: 'eu-west-1' },
      { ...base, account: '123456789012' },
      { ...base, scenario: { ...scenario, meta: { ...scenario.meta, title: `${scenario.meta.title} (changed)` } } },
    ].map((req) => templateCacheKey(req, code));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('a changed byte in the scenario code, in breakfix lib code, or a new CDK version changes the key', () => {
    const copy = (dir: string) => {
      const to = mkdtempSync(join(tmpdir(), 'breakfix-key-'));
      cpSync(dir, to, { recursive: true, filter: (src) => !src.includes('node_modules') });
      return to;
    };
    const scenarioDir = copy(code.folders[0]);
    const libDir = mkdtempSync(join(tmpdir(), 'breakfix-key-lib-'));
    writeFileSync(join(libDir, 'construct.js'), 'exports.size = 1;\n');
    const at = (folders: string[], versions = code.versions) => templateCacheKey(base, { folders, versions });
    const before = at([scenarioDir, libDir]);
    expect(at([scenarioDir, libDir])).toBe(before);

    const stackFile = readdirSync(scenarioDir).find((f) => /^stack\.(ts|js)$/.test(f))!;
    const original = readFileSync(join(scenarioDir, stackFile), 'utf8');
    writeFileSync(join(scenarioDir, stackFile), `${original}\n// edited\n`);
    const afterScenarioEdit = at([scenarioDir, libDir]);
    expect(afterScenarioEdit).not.toBe(before);
    writeFileSync(join(scenarioDir, stackFile), original);
    expect(at([scenarioDir, libDir])).toBe(before);

    writeFileSync(join(libDir, 'construct.js'), 'exports.size = 2;\n');
    expect(at([scenarioDir, libDir])).not.toBe(before);
    writeFileSync(join(libDir, 'construct.js'), 'exports.size = 1;\n');
    writeFileSync(join(libDir, 'new-helper.js'), '\n');
    expect(at([scenarioDir, libDir])).not.toBe(before);

    expect(at([scenarioDir, libDir], { ...code.versions, 'aws-cdk-lib': '2.999.0' })).not.toBe(at([scenarioDir, libDir]));
  });

  test('the code hashed is the folder the scenario runs from, its source folder (assets) and breakfix lib/', () => {
    expect(code.folders[0]).toBe(scenario.codeDir);
    expect(code.folders).toContain(scenario.dir);
    const compiled = { ...scenario, codeDir: '/checkout/dist/scenarios/x', dir: '/checkout/scenarios/x' };
    expect(templateCodeOf(compiled).folders.slice(0, 2)).toEqual(['/checkout/dist/scenarios/x', '/checkout/scenarios/x']);
    expect(
      existsSync(join(code.folders.at(-1)!, 'ops', 'template-cache.ts')) ||
        existsSync(join(code.folders.at(-1)!, 'ops', 'template-cache.js')),
    ).toBe(true);
    expect(Object.keys(code.versions).sort()).toEqual(['@aws-cdk/toolkit-lib', 'aws-cdk-lib', 'constructs']);
  });
});

describe('template cache on deploy', () => {
  const moto = useMoto();
  let builds = 0;
  // The scenario's own buildStack, counted: a hit must not build the stack at all.
  const counted: ScenarioDefinition = {
    ...scenario,
    buildStack: (scope, props) => {
      builds++;
      return scenario.buildStack(scope, props);
    },
  };
  const target = (): Target => ({ kind: 'moto', region: 'us-east-1', endpoint: moto.endpoint });
  const request = (learner: string) => ({ scenario: counted, learner, variant, targetKind: 'moto' as const, region: 'us-east-1' });
  const deployedTemplate = async (stackName: string) => {
    const clients = new AwsClients(target());
    const out = await clients.cloudformation.send(new GetTemplateCommand({ StackName: stackName }));
    clients.destroy();
    // moto answers GetTemplate in YAML; YAML is a superset of JSON, so one parser reads either.
    return parseYaml(out.TemplateBody!);
  };
  const entries = () => {
    const dir = join(breakfixHome(), 'templates', scenario.id);
    return existsSync(dir) ? readdirSync(dir).filter((d) => !d.endsWith('.staging')) : [];
  };

  test('a miss synthesizes and stores; a hit deploys the stored template without aws-cdk-lib or the stack code', async () => {
    const { toolkitDeploy } = await import('../../lib/ops/toolkit');
    const stack = stackNameFor(scenario.id, 'cachea');
    await toolkitDeploy(request('cachea'), target(), stack, () => undefined, { templateCache: true });
    expect(builds).toBe(1);
    expect(mockCdkLoads).toEqual(['aws-cdk-lib']);
    expect(entries()).toHaveLength(1);
    const stored = JSON.parse(readFileSync(join(breakfixHome(), 'templates', scenario.id, entries()[0], `${stack}.template.json`), 'utf8'));
    expect(await deployedTemplate(stack)).toEqual(stored);

    // A fresh module registry stands for a new CLI process: its deploy must not even load aws-cdk-lib.
    mockCdkLoads.length = 0;
    const progress: string[] = [];
    let fresh: typeof import('../../lib/ops/toolkit') | undefined;
    jest.isolateModules(() => {
      fresh = require('../../lib/ops/toolkit');
    });
    await fresh!.toolkitDeploy(request('cachea'), target(), stack, (m) => progress.push(m), { templateCache: true });
    expect(builds).toBe(1);
    expect(mockCdkLoads).toEqual([]);
    expect(progress).not.toContain('Synthesizing the CloudFormation template');
    expect(entries()).toHaveLength(1);
    expect(await deployedTemplate(stack)).toEqual(stored);
  });

  test('another learner is another key: synthesized afresh, its own stack names in its template', async () => {
    const { toolkitDeploy } = await import('../../lib/ops/toolkit');
    const before = builds;
    const stack = stackNameFor(scenario.id, 'cacheb');
    await toolkitDeploy(request('cacheb'), target(), stack, () => undefined, { templateCache: true });
    expect(builds).toBe(before + 1);
    expect(entries()).toHaveLength(2);
    expect(JSON.stringify(await deployedTemplate(stack))).toContain('cacheb');
  });

  test('without templateCache (a swapped buildStack, as tests deploy edited stacks) nothing is read or stored', async () => {
    const { toolkitDeploy } = await import('../../lib/ops/toolkit');
    const before = builds;
    await toolkitDeploy(request('cachea'), target(), stackNameFor(scenario.id, 'cachea'), () => undefined);
    expect(builds).toBe(before + 1);
    expect(entries()).toHaveLength(2);
  });

  test("a synthesis skips aws-cdk-lib's default validation engine, whose warnings deploy never shows", async () => {
    const { toolkitDeploy } = await import('../../lib/ops/toolkit');
    const { CloudFormationValidatePlugin } = jest.requireActual('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const engine = jest.spyOn(CloudFormationValidatePlugin as unknown as { _singletonInstance(): unknown }, '_singletonInstance');
    const before = builds;
    await toolkitDeploy(request('cachec'), target(), stackNameFor(scenario.id, 'cachec'), () => undefined, { templateCache: true });
    expect(builds).toBe(before + 1);
    expect(engine).not.toHaveBeenCalled();
    expect(process.env.CDK_VALIDATION).toBeUndefined();
    engine.mockRestore();
  });
});
