/**
 * Spoiler-free by default: for every variant the embedded emulator runs,
 * `deploy` and `status` (text and --json, stdout and stderr progress) print
 * none of the scenario's forbidden words (scenarios/<id>/spoilers.json), no
 * variant's cause and no variant ID. `--explain` is the instructor's way to
 * see them, and the same detector finds them there, so it can fail.
 *
 * One moto for the file; each variant is deployed once, as its own learner's
 * lab, so no variant waits for another's destroy.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { variantsFor } from '../../lib/scenario/naming';
import { readSpoilers, spoilersIn } from '../../lib/scenario/spoilers';
import { startTestMoto, TestMoto } from '../support/moto';
import { SCENARIOS } from '../support/catalog';
import { REPO_ROOT, runMain, useTempHome } from './harness';

useTempHome();
let moto: TestMoto;

beforeAll(async () => {
  moto = await startTestMoto();
});
afterAll(async () => {
  await moto?.stop();
});

describe('every scenario folder has spoilers.json for exactly its variants', () => {
  const folders = [...SCENARIOS.map((s) => ({ id: s.id, dir: s.dir, variants: s.meta.variants.map((v) => v.id) }))];
  const template = join(REPO_ROOT, 'scenarios', '_template');
  test.each(folders.map((f) => [f.id, f]))('%s', (_id, f) => {
    const spoilers = readSpoilers(f.dir);
    expect(Object.keys(spoilers.variants).sort()).toEqual([...f.variants].sort());
  });
  test('the template has one, so a copied scenario starts with it', () => {
    expect(existsSync(join(template, 'spoilers.json'))).toBe(true);
    expect(() => readSpoilers(template)).not.toThrow();
  });
  test('variant titles shown to learners are not the causes', () => {
    for (const s of SCENARIOS) {
      const spoilers = readSpoilers(s.dir);
      for (const v of s.meta.variants) expect(spoilersIn(v.title, spoilers)).toEqual([]);
    }
  });
});

test('the detector finds a cause, a forbidden word and a whole variant ID, and not an ID inside another word', () => {
  const spoilers = { variants: { scp: { cause: 'A service control policy denies it', forbidden: ['Decided by'] } } };
  expect(spoilersIn('decided BY: x', spoilers)).toEqual(['Decided by']);
  expect(spoilersIn('variant scp armed', spoilers)).toEqual(['variant scp']);
  expect(spoilersIn('a service control policy denies it.', spoilers)).toEqual(['A service control policy denies it']);
  expect(spoilersIn('scps and xscp are other words', spoilers)).toEqual([]);
});

const cases = SCENARIOS.flatMap((s) => variantsFor(s.meta, 'moto').map((variant, i) => ({ s, variant, learner: `sp${i}` })));

describe.each(cases.map((c) => [`${c.s.id} ${c.variant}`, c]))('%s', (_name, { s, variant, learner }) => {
  const at = () => ['--endpoint', moto.endpoint, '--learner', learner];
  const spoilers = readSpoilers(s.dir);
  let deployOutput = '';

  test('deploy (with its progress) names no cause and no variant', async () => {
    const text = await runMain(['deploy', s.id, ...at(), '--variant', variant]);
    if (text.code !== 0) throw new Error(`deploy failed (${text.code}): ${text.stderr}`);
    deployOutput = `${text.stdout}\n${text.stderr}`;
    expect(spoilersIn(deployOutput, spoilers)).toEqual([]);
    expect(text.stdout).toMatch(new RegExp(`^Lab ${learner}-${s.id} is ready on moto at `, 'm'));
    expect(text.stdout).toContain(`See the symptom:  breakfix status ${s.id} --learner ${learner} --endpoint ${moto.endpoint}`);
    // Progress goes to stderr as it happens, each line with the time elapsed: synthesis first, then CloudFormation's events.
    const progress = text.stderr.split('\n');
    const synth = progress.findIndex((l) => /^ {2}\[\d+\.\ds\] Synthesizing the CloudFormation template$/.test(l));
    const event = progress.findIndex((l) => /^ {2}\[\d+\.\ds\] .*CREATE_COMPLETE \| AWS::CloudFormation::Stack/.test(l));
    expect(synth).toBeGreaterThanOrEqual(0);
    expect(event).toBeGreaterThan(synth);
    expect(text.stdout).not.toMatch(/\[\d+\.\ds\]/);
  });

  test('status (text and --json) shows the symptom and names no cause and no variant', async () => {
    const text = await runMain(['status', s.id, ...at()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\[derived from live state on moto\]|\[as reported by AWS\]/);
    expect(spoilersIn(`${text.stdout}\n${text.stderr}`, spoilers)).toEqual([]);
    const json = await runMain(['status', s.id, ...at(), '--json']);
    expect(json.code).toBe(0);
    expect(spoilersIn(json.stdout, spoilers)).toEqual([]);
    expect(JSON.parse(json.stdout)).not.toHaveProperty('variant');
    expect(JSON.parse(json.stdout)).not.toHaveProperty('explanation');
  });

  test('--explain shows the instructor the variant, and the detector sees it', async () => {
    const r = await runMain(['status', s.id, ...at(), '--explain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Variant: ${variant}`);
    expect(spoilersIn(r.stdout, spoilers)).toContain(`variant ${variant}`);
    const list = await runMain(['list', '--json', '--explain']);
    const row = JSON.parse(list.stdout).find((x: { id: string }) => x.id === s.id);
    expect(row.variants.find((v: { id: string }) => v.id === variant).cause).toBe(spoilers.variants[variant].cause);
  });
});

test('deploy --json names no variant and no armed fact; --explain adds them', async () => {
  const s = SCENARIOS.find((x) => x.id === 's3-delete-access-denied')!;
  const spoilers = readSpoilers(s.dir);
  const json = await runMain(['deploy', s.id, '--endpoint', moto.endpoint, '--learner', 'spjson', '--variant', 'bucket-policy', '--json']);
  expect(json.code).toBe(0);
  expect(spoilersIn(`${json.stdout}\n${json.stderr}`, spoilers)).toEqual([]);
  const shown = JSON.parse(json.stdout);
  expect(shown).toMatchObject({ scenario: s.id, stackName: `spjson-${s.id}`, target: 'moto', created: true, endpoint: moto.endpoint });
  expect(shown).not.toHaveProperty('variant');
  expect(shown).not.toHaveProperty('armedFacts');
  const explained = await runMain([
    'deploy',
    s.id,
    '--endpoint',
    moto.endpoint,
    '--learner',
    'spjson',
    '--variant',
    'bucket-policy',
    '--json',
    '--explain',
  ]);
  expect(explained.code).toBe(0);
  expect(JSON.parse(explained.stdout)).toMatchObject({ variant: 'bucket-policy', created: false });
  expect(spoilersIn(explained.stdout, spoilers).length).toBeGreaterThan(0);
});
