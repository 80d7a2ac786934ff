/**
 * The README's quick start and every brief's "Start" section, run verbatim
 * (extracted from the Markdown, never retyped) in a fresh clone and a fresh
 * bash, against the embedded emulator: `npm run setup` builds and links
 * `breakfix` onto the PATH, then the learner's commands run as written,
 * including plain `aws` commands after `eval "$(breakfix env)"`.
 *
 * The clone is `git clone` of this checkout, so it tests what is committed.
 * Its node_modules is a hard-linked copy of this checkout's (the registry is
 * not needed: setup skips the install when node_modules matches the lock; a
 * copy, not a symlink, so an install there could never empty this
 * checkout's node_modules), and
 * npm's global prefix is a temp folder, so `npm link` touches nothing outside
 * the test.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioCatalog } from '../../bin/catalog';
import { cleanEnv, REPO_ROOT, RunResult } from './harness';
import { exitCodes, outputs, scriptFor, sectionCommands } from './docs-commands';

jest.setTimeout(30 * 60_000);

const work = mkdtempSync(join(tmpdir(), 'breakfix-quick-start-'));
const clone = join(work, 'breakfix');
const prefix = join(work, 'npm-global');
const home = join(work, 'home');
let stopped = false;

/** A fresh login-less shell: no breakfix or AWS variables from this process, breakfix only where npm linked it. */
function shellEnv(): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? '')
    .split(':')
    .filter((d) => !d.includes('node_modules'))
    .join(':');
  return cleanEnv({
    BREAKFIX_HOME: home,
    HOME: home,
    npm_config_prefix: prefix,
    PATH: `${join(prefix, 'bin')}:${path}`,
    BREAKFIX_PROGRESS: undefined,
    FORCE_COLOR: undefined,
  });
}

function bash(script: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((done, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-c', script], {
      cwd: clone,
      env: shellEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the shell did not finish within ${timeoutMs} ms; stderr so far:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Runs a document's commands in one fresh shell; returns each command's exit code and stdout. */
async function runDoc(commands: string[], timeoutMs = 15 * 60_000): Promise<{ codes: number[]; outs: string[]; stderr: string }> {
  const r = await bash(scriptFor(commands), timeoutMs);
  return { codes: exitCodes(r.stderr), outs: outputs(r.stdout), stderr: r.stderr };
}

beforeAll(() => {
  execFileSync('git', ['clone', '--quiet', REPO_ROOT, clone], { stdio: 'ignore' });
  execFileSync('cp', ['-al', join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules')]);
});

afterAll(async () => {
  if (!stopped && existsSync(join(clone, 'dist', 'bin', 'breakfix.js')))
    execFileSync(process.execPath, [join(clone, 'dist', 'bin', 'breakfix.js'), 'emulator', 'stop'], { env: shellEnv(), stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
});

const readme = join(REPO_ROOT, 'README.md');

test('before setup, `breakfix` is not a command in the fresh shell', async () => {
  const r = await bash('command -v breakfix || echo none', 30_000);
  expect(r.stdout.trim()).toBe('none');
});

test("the README's quick start works as written in a fresh clone", async () => {
  const commands = sectionCommands(readme, 'Quick start');
  expect(commands[0]).toMatch(/^npm run setup\b/);
  const { codes, outs, stderr } = await runDoc(commands);
  const at = (re: RegExp) => {
    const i = commands.findIndex((c) => re.test(c));
    expect(i).toBeGreaterThanOrEqual(0);
    return i;
  };
  const expected = commands.map((c) => (/^breakfix check\b/.test(c) ? 1 : 0));
  if (JSON.stringify(codes) !== JSON.stringify(expected)) throw new Error(`exit codes ${codes} (expected ${expected}); stderr:\n${stderr}`);
  expect(stderr).not.toMatch(/command not found/);
  expect(stderr).toContain('breakfix dependencies are already installed');
  expect(outs[at(/^breakfix status /)]).toMatch(/\[derived from live state on moto\]/);
  // The aws CLI reached the lab's emulator: the lab's ECS cluster is there.
  expect(outs[at(/^aws /)]).toMatch(/arn:aws:ecs:us-east-1:\d{12}:cluster\/fargate-cannot-pull-image/);
  expect(outs[at(/^breakfix hint /)]).toMatch(/^Hint 1\/\d/m);
  expect(outs[at(/^breakfix destroy /)]).not.toBe('');
});

describe.each(scenarioCatalog().map((s) => [s.id, join(s.dir, 'README.md')]))("the %s brief's Start section", (id, file) => {
  test('works as written, aws commands included', async () => {
    const commands = sectionCommands(file, 'Start');
    expect(commands[0]).toBe(commands.find((c) => /^breakfix deploy /.test(c)));
    expect(commands.some((c) => /^eval "\$\(breakfix env\)"/.test(c))).toBe(true);
    const awsIndex = commands.findIndex((c) => /^aws /.test(c));
    expect(awsIndex).toBeGreaterThan(commands.findIndex((c) => /^eval /.test(c)));
    // Then the lab goes, in the same fresh kind of shell, so the next brief starts clean.
    const { codes, outs, stderr } = await runDoc([...commands, `breakfix destroy ${id}`]);
    const expected = [...commands, 'destroy'].map(() => 0);
    if (JSON.stringify(codes) !== JSON.stringify(expected))
      throw new Error(`exit codes ${codes} (expected ${expected}); stderr:\n${stderr}`);
    expect(outs[0]).toMatch(new RegExp(`^Lab ${id} is ready on moto at http://127\\.0\\.0\\.1:\\d+\\.$`, 'm'));
    // Every aws command answered from the lab: it names the lab's stack or its account's role.
    for (const [i, c] of commands.entries()) if (/^aws /.test(c)) expect(outs[i]).toMatch(new RegExp(`${id}|AssumedRoleUser`));
  });
});

test('the emulator the docs started stops, and nothing else was left running', async () => {
  const r = await bash('breakfix emulator stop', 60_000);
  expect(r.code).toBe(0);
  stopped = true;
});
