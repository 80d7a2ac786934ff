/**
 * The synthesized-template cache (lib/ops/template-cache.ts): a hit deploys
 * from the stored assembly with the CloudFormation SDK alone
 * (lib/ops/direct-deploy.ts), without loading aws-cdk-lib, the CDK toolkit
 * or the stack code, and makes the same stack the toolkit makes; the key
 * changes whenever anything the template is made from changes, so a stale
 * template is never served.
 */
const mockCdkLoads: string[] = [];
jest.mock('aws-cdk-lib', () => {
  mockCdkLoads.push('aws-cdk-lib');
  return jest.requireActual('aws-cdk-lib');
});
jest.mock('@aws-cdk/toolkit-lib', () => {
  mockCdkLoads.push('@aws-cdk/toolkit-lib');
  return jest.requireActual('@aws-cdk/toolkit-lib');
});

import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteStackCommand, DescribeStacksCommand, GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { parse as parseYaml } from 'yaml';
import type { ScenarioDefinition } from '../../lib/scenario/types';
import { AwsClients } from '../../lib/targets/clients';
import type { Target } from '../../lib/targets/target';
import { breakfixHome } from '../../lib/targets/moto/server';
import { stackNameFor } from '../../lib/scenario/naming';
import { templateCacheKey, templateCodeOf, TemplateRequest } from '../../lib/ops/template-cache';
import { waitForStackToSettle } from '../../lib/engines/cfn/stack-events';
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
    expect(mockCdkLoads.sort()).toEqual(['@aws-cdk/toolkit-lib', 'aws-cdk-lib']);
    expect(entries()).toHaveLength(1);
    const stored = JSON.parse(readFileSync(join(breakfixHome(), 'templates', scenario.id, entries()[0], `${stack}.template.json`), 'utf8'));
    expect(await deployedTemplate(stack)).toEqual(stored);

    // A fresh module registry stands for a new CLI process: its deploy must not even load aws-cdk-lib.
    mockCdkLoads.length = 0;
    const progress: string[] = [];
    // resetModules, not isolateModules: an isolated registry still serves mocks the file's registry already made, unrecorded.
    jest.resetModules();
    const fresh = require('../../lib/ops/toolkit') as typeof import('../../lib/ops/toolkit');
    await fresh.toolkitDeploy(request('cachea'), target(), stack, (m) => progress.push(m), { templateCache: true });
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

  describe('a hit goes to CloudFormation through the SDK, never the CDK toolkit', () => {
    const db = SCENARIOS.find((s) => s.id === 'db-password-visible-in-stack')!;
    const dbVariant = 'plain-parameter';
    const dbRequest = { scenario: db, learner: 'directa', variant: dbVariant, targetKind: 'moto' as const, region: 'us-east-1' };
    const dbStack = stackNameFor(db.id, 'directa');

    /** What a learner and the checkers can see of a stack: template, tags, termination protection, outputs, parameters, resources. */
    const snapshot = async (stackName: string) => {
      const clients = new AwsClients(target());
      const cfn = clients.cloudformation;
      try {
        const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0];
        const template = parseYaml((await cfn.send(new GetTemplateCommand({ StackName: stackName }))).TemplateBody!);
        const resources = (await cfn.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ?? [];
        const byKey = <T extends object>(items: T[] | undefined, key: keyof T) =>
          [...(items ?? [])].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
        return {
          status: stack.StackStatus,
          description: stack.Description,
          template,
          tags: byKey(stack.Tags, 'Key'),
          terminationProtection: !!stack.EnableTerminationProtection,
          capabilities: [...(stack.Capabilities ?? [])].sort(),
          outputs: byKey(stack.Outputs, 'OutputKey').map((o) => ({ key: o.OutputKey, value: o.OutputValue, description: o.Description })),
          parameters: byKey(stack.Parameters, 'ParameterKey').map((p) => ({ key: p.ParameterKey, value: p.ParameterValue })),
          resources: resources.map((r) => `${r.LogicalResourceId} ${r.ResourceType} ${r.PhysicalResourceId} ${r.ResourceStatus}`).sort(),
        };
      } finally {
        clients.destroy();
      }
    };
    const deleteStack = async (stackName: string) => {
      const clients = new AwsClients(target());
      await clients.cloudformation.send(new DeleteStackCommand({ StackName: stackName }));
      expect(await waitForStackToSettle(clients.cloudformation, stackName, { pollMs: 200, timeoutMs: 60_000 })).toBeUndefined();
      clients.destroy();
    };

    test('the stack a hit creates equals the one the toolkit created from the same assembly, and no CDK module is loaded', async () => {
      const { toolkitDeploy } = await import('../../lib/ops/toolkit');
      // A miss: aws-cdk-lib synthesizes, the CDK toolkit deploys, the assembly is stored.
      await toolkitDeploy(dbRequest, target(), dbStack, () => undefined, { templateCache: true });
      const byToolkit = await snapshot(dbStack);
      expect(byToolkit.status).toBe('CREATE_COMPLETE');
      expect(byToolkit.outputs.length).toBeGreaterThan(0);
      expect(byToolkit.parameters.length).toBeGreaterThan(0);
      await deleteStack(dbStack);

      // A new process (a fresh module registry) with the assembly stored: the SDK path.
      mockCdkLoads.length = 0;
      const progress: string[] = [];
      jest.resetModules();
      const fresh = require('../../lib/ops/toolkit') as typeof import('../../lib/ops/toolkit');
      await fresh.toolkitDeploy(dbRequest, target(), dbStack, (m) => progress.push(m), { templateCache: true });
      expect(mockCdkLoads).toEqual([]);
      expect(await snapshot(dbStack)).toEqual(byToolkit);
      // Events are reported as CloudFormation writes them, the stack's own completion last.
      expect(progress.filter((l) => / \| AWS::/.test(l)).at(-1)).toMatch(/ \| CREATE_COMPLETE \| AWS::CloudFormation::Stack \| /);
      expect(progress.some((l) => / \| CREATE_COMPLETE \| AWS::RDS::DBInstance \| OrdersDb/.test(l))).toBe(true);
    });
  });
});
