/**
 * Exit code 2: every bad input of the CLI contract (issue section 2) is a
 * usage error, told in one sentence, caught before any AWS call, even when a
 * working emulator is there to be used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { readRecords } from '../../lib/targets/moto/server';
import { SCENARIOS } from '../support/catalog';
import { startTestMoto, TestMoto } from '../support/moto';
import { SCENARIO_ID, capturingIo, cleanEnv, expectOneErrorLine, runBin, runMain, useTempHome } from './harness';

const home = useTempHome();
let moto: TestMoto;

beforeAll(async () => {
  moto = await startTestMoto();
});
afterAll(async () => {
  await moto?.stop();
});

afterEach(() => {
  // A usage error must never have started the embedded emulator.
  expect(readRecords()).toEqual([]);
  expect(home.dir).not.toBe('');
});

describe('unknown scenario ID', () => {
  test('exits 2 and suggests the closest ID', async () => {
    const r = await runMain(['status', 'fargate-cannot-pull', '--endpoint', moto.endpoint]);
    expect(r.code).toBe(2);
    const message = expectOneErrorLine(r.stderr);
    expect(message).toBe('Unknown scenario "fargate-cannot-pull". Did you mean fargate-cannot-pull-image?');
    expect(r.stdout).toBe('');
  });

  test('suggests the ID for a typo in the middle, for every command that takes an ID', async () => {
    for (const cmd of ['deploy', 'status', 'check', 'hint', 'solution', 'reset', 'destroy']) {
      const r = await runMain([cmd, 'fargate-canot-pull-image', '--endpoint', moto.endpoint]);
      expect({ cmd, code: r.code }).toEqual({ cmd, code: 2 });
      expectOneErrorLine(r.stderr, { matches: /Did you mean fargate-cannot-pull-image\?$/ });
    }
  });

  test('an ID unlike any scenario points at `breakfix list` instead of guessing', async () => {
    const r = await runMain(['check', 'zz', '--endpoint', moto.endpoint]);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: /^Unknown scenario "zz"\. Run `breakfix list` to see them\.$/ });
  });
});

describe('commander usage errors', () => {
  test.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['lst'], /unknown command 'lst'/],
    [['list', '--frob'], /unknown option '--frob'/],
    [['check', SCENARIO_ID, '--no-such-option'], /unknown option '--no-such-option'/],
    [['deploy'], /missing required argument 'id'/],
    [['check', SCENARIO_ID, 'extra'], /too many arguments/],
    [['emulator', 'restart'], /unknown command 'restart'/],
  ])('%j exits 2 with one error line', async (argv, pattern) => {
    const r = await runMain(argv);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { sentence: false, matches: pattern });
  });

  test('an unknown command suggests the closest one', async () => {
    const r = await runMain(['lst']);
    expect(r.stderr).toMatch(/Did you mean list\?/);
  });

  test('--help exits 0 and documents the exit codes', async () => {
    const r = await runMain(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:/);
    for (const code of ['0', '1', '2', '3']) expect(r.stdout).toMatch(new RegExp(`^\\s+${code}\\s+\\S`, 'm'));
  });
});

describe('target options', () => {
  test('--target must name a known target', async () => {
    const r = await runMain(['deploy', SCENARIO_ID, '--target', 'nope']);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: /Unknown target "nope": use one of moto, floci, localstack, aws\./ });
  });

  test.each(['notaurl', 'localhost', 'ftp://127.0.0.1:21', '://x'])('--endpoint %s is refused as not a usable URL', async (endpoint) => {
    const r = await runMain(['status', SCENARIO_ID, '--endpoint', endpoint]);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: /^Endpoint ".*" (is not a URL|must be http:\/\/ or https:\/\/)/ });
  });

  test('--endpoint with --target aws is refused', async () => {
    const r = await runMain(['deploy', SCENARIO_ID, '--target', 'aws', '--region', 'us-east-1', '--endpoint', moto.endpoint]);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: /--endpoint cannot be used with --target aws/ });
  });

  test('--target aws without a region is refused', async () => {
    const r = await runMain(['check', SCENARIO_ID, '--target', 'aws']);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: /--target aws needs a region/ });
  });

  test.each(['BAD_name', 'Alice', '1abc', 'a--b', 'abc-', 'a'.repeat(21), ''])('--learner %j is refused', async (learner) => {
    const r = await runMain(['deploy', SCENARIO_ID, '--endpoint', moto.endpoint, '--learner', learner]);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: /^Learner name ".*" is not usable in stack and bucket names/ });
  });

  test('a valid learner name is accepted (the error is then about the environment)', async () => {
    const r = await runMain(['status', SCENARIO_ID, '--endpoint', moto.endpoint, '--learner', 'ada-2']);
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, { matches: /no stack ada-2-fargate-cannot-pull-image/ });
  });
});

describe('numeric options', () => {
  test.each(['0', 'abc', '-1', '1.5', ''])('hint --level %j exits 2', async (level) => {
    const r = await runMain(['hint', SCENARIO_ID, '--endpoint', moto.endpoint, '--level', level]);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: /^--level must be a positive whole number/ });
  });

  test('hint --level beyond the last level exits 2', async () => {
    const r = await runMain(['hint', SCENARIO_ID, '--endpoint', moto.endpoint, '--level', '99']);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: /there is no level 99\./ });
  });

  test.each([
    ['70000', /--port must be at most 65535/],
    ['0', /--port must be a positive whole number/],
    ['abc', /--port must be a positive whole number/],
  ])('emulator start --port %s exits 2', async (port, pattern) => {
    const r = await runMain(['emulator', 'start', '--port', port]);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: pattern });
  });

  test('emulator stop --port 70000 exits 2', async () => {
    const r = await runMain(['emulator', 'stop', '--port', '70000']);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: /--port must be at most 65535/ });
  });
});

describe('confirmation-gated commands without a terminal', () => {
  test('solution without --yes is refused when nobody can answer', async () => {
    const r = await runMain(['solution', SCENARIO_ID, '--endpoint', moto.endpoint]);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: /pass --yes/ });
    expect(r.stdout).toBe('');
  });
});

describe('the built binary', () => {
  test.each([
    [['deploy', 'fargate-cannot-pull'], /Did you mean fargate-cannot-pull-image\?/, true],
    [['frobnicate'], /unknown command 'frobnicate'/, false],
    [['deploy', SCENARIO_ID, '--target', 'nope'], /Unknown target "nope"/, true],
    [['deploy', SCENARIO_ID, '--endpoint', 'notaurl'], /is not a URL/, true],
    [
      ['deploy', SCENARIO_ID, '--target', 'aws', '--region', 'us-east-1', '--endpoint', 'http://127.0.0.1:4566'],
      /--endpoint cannot be used with --target aws/,
      true,
    ],
    [['deploy', SCENARIO_ID, '--learner', 'BAD_name'], /Learner name "BAD_name"/, true],
    [['hint', SCENARIO_ID, '--level', 'abc'], /--level must be a positive whole number/, true],
    [['emulator', 'start', '--port', '70000'], /--port must be at most 65535/, true],
  ])('breakfix %j exits 2 with one sentence and no stack trace', async (argv, pattern, sentence) => {
    const r = await runBin(argv, cleanEnv({ BREAKFIX_HOME: home.dir }));
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: pattern, sentence });
    expect(r.stdout).toBe('');
  });

  test('--debug adds the stack trace', async () => {
    const r = await runBin(['deploy', SCENARIO_ID, '--target', 'nope', '--debug'], cleanEnv({ BREAKFIX_HOME: home.dir }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Unknown target "nope"/m);
    expect(r.stderr).toMatch(/UsageError: Unknown target/);
    expect(r.stderr).toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});

describe('usage is checked before docs or live state are read', () => {
  test('hint --level 0 is a usage error even for a scenario whose hints cannot be read', async () => {
    const bare = { ...SCENARIOS[0], dir: mkdtempSync(join(tmpdir(), 'breakfix-bare-scenario-')) };
    const io = capturingIo();
    const code = await main(['hint', bare.id, '--endpoint', moto.endpoint, '--level', '0'], { io, scenarios: [bare], env: cleanEnv() });
    rmSync(bare.dir, { recursive: true, force: true });
    expect(code).toBe(2);
    expectOneErrorLine(io.stderr.join('\n'), { matches: /^--level must be a positive whole number/ });
  });
});
