/**
 * Every scenario synthesizes for every target kind: a template under 50 KiB
 * (what CreateStack takes inline, so no bucket is needed), no assets, no
 * bootstrap requirement, stack name = scenario ID. The CDK app itself,
 * `node dist/bin/app.js` as cdk.json runs it, registers one stack per scenario.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { addScenarioStack } from '../../lib/app/build-app';
import { targetKindFromEnv } from '../../lib/targets/resolve';
import { TARGET_KINDS } from '../../lib/targets/target';
import { variantsFor } from '../../lib/scenario/naming';
import { Template } from 'aws-cdk-lib/assertions';
import { SCENARIOS } from '../support/catalog';
import { uncoveredTypes } from '../../lib/cleanup/inventory';

const ROOT = resolve(__dirname, '..', '..');
const MAX_TEMPLATE_BYTES = 50 * 1024;
const outDirs: string[] = [];

function tempOut(): string {
  const dir = mkdtempSync(join(tmpdir(), 'breakfix-synth-'));
  outDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const d of outDirs) rmSync(d, { recursive: true, force: true });
});

// Every target the scenario runs on; the others are refused (below), never built.
const runsOn = (s: (typeof SCENARIOS)[number], kind: (typeof TARGET_KINDS)[number]) =>
  s.meta.targets[kind] !== 'unsupported' && variantsFor(s.meta, kind).length > 0;
const cases = SCENARIOS.flatMap((s) => TARGET_KINDS.filter((kind) => runsOn(s, kind)).map((kind) => [s.id, kind] as const));
const unsupported = SCENARIOS.flatMap((s) => TARGET_KINDS.filter((kind) => !runsOn(s, kind)).map((kind) => [s.id, kind] as const));

test.each(unsupported)('%s is not built for %s: one sentence says where it runs', (id, kind) => {
  const scenario = SCENARIOS.find((s) => s.id === id)!;
  expect(() => addScenarioStack(new App({ outdir: tempOut() }), { scenario, targetKind: kind, region: 'us-east-1' })).toThrow(
    new RegExp(`^Scenario ${id} does not run on ${kind}; it runs on [a-z, ]+\\.$`),
  );
});

describe.each(cases)('%s for %s', (id, kind) => {
  const scenario = SCENARIOS.find((s) => s.id === id)!;
  let outdir: string;
  let artifact: CloudFormationStackArtifact;
  let allArtifacts: string[];

  beforeAll(() => {
    outdir = tempOut();
    const app = new App({ outdir });
    addScenarioStack(app, { scenario, targetKind: kind, region: 'us-east-1' });
    const assembly = app.synth();
    artifact = assembly.getStackByName(id);
    allArtifacts = assembly.artifacts.map((a) => a.constructor.name).filter((n) => n !== 'TreeCloudArtifact');
  });

  test('the stack is named by the scenario ID and tagged with it', () => {
    expect(artifact.stackName).toBe(id);
    expect(artifact.tags).toMatchObject({ 'breakfix:managed': 'true', 'breakfix:scenario': id });
  });

  test('the template file is under 50 KiB', () => {
    const bytes = statSync(artifact.templateFullPath).size;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(MAX_TEMPLATE_BYTES);
  });

  test('no assets, no asset manifest, no bootstrap requirement', () => {
    expect(artifact.assets).toEqual([]);
    expect(allArtifacts).toEqual(['CloudFormationStackArtifact']);
    expect(artifact.requiresBootstrapStackVersion).toBeUndefined();
    const template = JSON.parse(readFileSync(artifact.templateFullPath, 'utf8'));
    expect(Object.keys(template.Parameters ?? {})).not.toContain('BootstrapVersion');
    expect(JSON.stringify(template)).not.toMatch(/cdk-hnb659fds|AssetParameters|aws:asset/);
    expect(readdirSync(outdir).filter((f) => f.startsWith('asset.'))).toEqual([]);
  });

  test('a learner name prefixes the stack name', () => {
    const app = new App({ outdir: tempOut() });
    const stack = addScenarioStack(app, { scenario, targetKind: kind, learner: 'ada', region: 'us-east-1' });
    expect(stack.stackName).toBe(`ada-${id}`);
    expect(app.synth().getStackByName(`ada-${id}`).tags).toMatchObject({ 'breakfix:learner': 'ada' });
  });
});

describe('the CDK app (node dist/bin/app.js)', () => {
  const app = join(ROOT, 'dist', 'bin', 'app.js');

  function synthApp(env: Record<string, string>): { stacks: Record<string, { stackName: string; templateFile: string }>; outdir: string } {
    if (!existsSync(app)) throw new Error(`${app} is missing: run \`npm run build\` first (npm test does).`);
    const outdir = tempOut();
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|BREAKFIX_|CDK_)/.test(k)));
    execFileSync(process.execPath, [app], {
      cwd: ROOT,
      env: { ...clean, CDK_OUTDIR: outdir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      stdio: 'pipe',
    });
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    const stacks = Object.fromEntries(
      Object.entries(manifest.artifacts as Record<string, { type: string; properties?: { stackName?: string; templateFile: string } }>)
        .filter(([, a]) => a.type === 'aws:cloudformation:stack')
        .map(([name, a]) => [name, { stackName: a.properties?.stackName ?? name, templateFile: a.properties!.templateFile }]),
    );
    return { stacks, outdir };
  }

  test('registers one stack per scenario, named by its ID', () => {
    const { stacks, outdir } = synthApp({ CDK_DEFAULT_ACCOUNT: '111122223333', BREAKFIX_SANDBOX_ACCOUNTS: '111122223333' });
    expect(
      Object.values(stacks)
        .map((s) => s.stackName)
        .sort(),
    ).toEqual(SCENARIOS.map((s) => s.id).sort());
    for (const s of Object.values(stacks)) expect(statSync(join(outdir, s.templateFile)).size).toBeLessThan(MAX_TEMPLATE_BYTES);
  });

  test('synthesizes for the emulator named by AWS_ENDPOINT_URL, else for a sandbox account', () => {
    expect(targetKindFromEnv({})).toBe('aws');
    expect(targetKindFromEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toBe('moto');
    expect(targetKindFromEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', BREAKFIX_TARGET: 'localstack' })).toBe('localstack');
    expect(() => targetKindFromEnv({ BREAKFIX_TARGET: 'azure' })).toThrow(/Unknown target "azure"/);
  });
});

describe('leftover probes', () => {
  // destroy proves a lab gone by probing every resource its stack listed; a type no probe covers would be reported, never skipped.
  const variantCases = SCENARIOS.flatMap((s) => s.meta.variants.map((v) => [s.id, v.id] as const));
  test.each(variantCases)('%s, variant %s: every resource type the stack creates, on an emulator or AWS, has a probe', (id, variant) => {
    const scenario = SCENARIOS.find((s) => s.id === id)!;
    const types = new Set<string>();
    for (const targetKind of ['moto', 'aws'] as const) {
      const stack = addScenarioStack(new App({ outdir: tempOut() }), { scenario, targetKind, variant, region: 'us-east-1' });
      for (const r of Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>)) types.add(r.Type);
    }
    expect(types.size).toBeGreaterThan(0);
    expect(uncoveredTypes(types, scenario.probes)).toEqual([]);
  });

  test('a type no probe covers is named, and a contained type counts only with its parent covered', () => {
    expect(uncoveredTypes(['AWS::EC2::Subnet', 'AWS::Kinesis::Stream', 'Custom::Seed'])).toEqual(['AWS::Kinesis::Stream']);
    expect(uncoveredTypes(['AWS::Lambda::Function'])).toEqual(['AWS::Lambda::Function']);
    expect(uncoveredTypes(['AWS::Lambda::Function'], { 'AWS::Lambda::Function': async () => undefined })).toEqual([]);
    expect(uncoveredTypes(['AWS::X::Child'], { 'AWS::X::Child': { goneWith: 'AWS::X::Parent' } })).toEqual(['AWS::X::Child']);
  });
});
