/**
 * Helpers for the CLI contract tests: a capturing Io for in-process runs of
 * main(), a runner for the built binary, and assertions on error output.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Io } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';
import { scenarioCatalog } from '../../bin/catalog';
import { AwsClients } from '../../lib/targets/clients';
import { freePort, RunningEmulator, startEmulator, stopEmulators } from '../../lib/targets/moto/server';
import type { RunResult } from '../support/run-process';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const BIN = join(REPO_ROOT, 'dist', 'bin', 'breakfix.js');
export const SCENARIO_ID = 'fargate-cannot-pull-image';

export type { RunResult };

export interface CapturingIo extends Io {
  readonly stdout: string[];
  readonly stderr: string[];
}

/** An Io that records what a command prints; not interactive unless told. */
export function capturingIo(opts: { interactive?: boolean; answer?: boolean } = {}): CapturingIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    color: false,
    interactive: opts.interactive ?? false,
    confirm: async () => opts.answer ?? false,
  };
}

/**
 * The environment a learner's shell would have, minus anything that could
 * point breakfix at a real account or another emulator.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^AWS_/.test(k) && k !== 'AWS_CA_BUNDLE') continue;
    if (/^BREAKFIX_/.test(k) && k !== 'BREAKFIX_HOME' && k !== 'BREAKFIX_PYTHON') continue;
    env[k] = v;
  }
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // No instance metadata here: without this the SDK's credential chain waits on 169.254.169.254.
  env.AWS_EC2_METADATA_DISABLED = 'true';
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs main() in this process with a capturing Io. */
export async function runMain(
  argv: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; interactive?: boolean; answer?: boolean } = {},
): Promise<RunResult> {
  const io = capturingIo(opts);
  const code = await main(argv, { io, env: opts.env ?? cleanEnv(), scenarios: scenarioCatalog() });
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

/** Runs the built CLI, `node dist/bin/breakfix.js`, as a learner would. */
export function runBin(argv: readonly string[], env: NodeJS.ProcessEnv = cleanEnv(), timeoutMs = 120_000): Promise<RunResult> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does).`);
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`breakfix ${argv.join(' ')} did not finish within ${timeoutMs} ms; stderr so far: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) reject(new Error(`breakfix ${argv.join(' ')} was killed by ${signal}`));
      else done({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** A loopback port that nothing listens on (it was free a moment ago). */
export function closedPort(): Promise<number> {
  return freePort();
}

const STACK_FRAME = /^\s*at\s+.*(\(.*:\d+:\d+\)|:\d+:\d+)\s*$/m;

/** True when the text contains a JavaScript stack frame. */
export function hasStackTrace(text: string): boolean {
  return STACK_FRAME.test(text);
}

/**
 * The contract for errors: exactly one `error:` line, no stack trace.
 * breakfix's own messages (not commander's) are a sentence ending in a full stop or question mark.
 */
export function expectOneErrorLine(stderr: string, opts: { sentence?: boolean; matches?: RegExp } = {}): string {
  const lines = stderr.split('\n').filter((l) => /^error:/.test(l));
  expect(lines).toHaveLength(1);
  expect(hasStackTrace(stderr)).toBe(false);
  const message = lines[0].replace(/^error:\s*/, '');
  if (opts.sentence ?? true) expect(message).toMatch(/^\S.*[.?]$/);
  if (opts.matches) expect(message).toMatch(opts.matches);
  return message;
}

/**
 * Points BREAKFIX_HOME at a fresh temp folder for one test file, so tests
 * never touch ~/.breakfix; stops any emulator recorded there afterwards.
 */
export function useTempHome(): { readonly dir: string } {
  const state = { dir: '' };
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env.BREAKFIX_HOME;
    state.dir = mkdtempSync(join(tmpdir(), 'breakfix-cli-test-'));
    process.env.BREAKFIX_HOME = state.dir;
  });
  afterAll(async () => {
    await stopEmulators();
    if (previous === undefined) delete process.env.BREAKFIX_HOME;
    else process.env.BREAKFIX_HOME = previous;
    rmSync(state.dir, { recursive: true, force: true });
  });
  return state;
}

/**
 * A moto for the test file, started directly (not recorded, so its PID and port are the test's to use), with
 * SDK clients for it; both are filled in beforeAll and closed in afterAll.
 */
export function useUnrecordedEmulator(): { readonly moto: RunningEmulator; readonly clients: AwsClients } {
  const state = {} as { moto: RunningEmulator; clients: AwsClients };
  beforeAll(async () => {
    state.moto = await startEmulator({ record: false });
    state.clients = new AwsClients({ kind: 'moto', region: 'us-east-1', endpoint: state.moto.endpoint });
  });
  afterAll(async () => {
    state.clients?.destroy();
    await state.moto?.stop();
  });
  return state;
}
