import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where the fidelity module lives, both from sources and from dist/. */
export function fidelityEntry(): string {
  const candidates = [
    resolve(__dirname, 'fidelity', 'breakfix_moto.py'),
    resolve(__dirname, '..', '..', '..', '..', 'lib', 'targets', 'moto', 'fidelity', 'breakfix_moto.py'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`breakfix's moto fidelity module is missing (looked in ${candidates.join(', ')})`);
  return found;
}

export function breakfixHome(): string {
  return process.env.BREAKFIX_HOME ?? join(homedir(), '.breakfix');
}

/**
 * The embedded emulator's port unless it is taken: one learners can rely on
 * (`eval "$(breakfix env)"` keeps working across restarts), away from 4566,
 * where Floci and LocalStack listen. `BREAKFIX_EMULATOR_PORT` changes it.
 */
export const DEFAULT_EMULATOR_PORT = 4747;

export function preferredEmulatorPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BREAKFIX_EMULATOR_PORT;
  if (raw && /^\d+$/.test(raw) && Number(raw) > 0 && Number(raw) <= 65535) return Number(raw);
  return DEFAULT_EMULATOR_PORT;
}

/**
 * The breakfix checkout (or installed package) this code runs from: the
 * nearest folder upwards holding breakfix's package.json. An emulator runs
 * that checkout's fidelity module, so its record names the checkout.
 */
export function checkoutRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'breakfix') return dir;
      } catch {
        /* not ours; keep looking */
      }
    }
    const parent = resolve(dir, '..');
    if (parent === dir) return resolve(__dirname, '..', '..', '..');
    dir = parent;
  }
}

export interface EmulatorRecord {
  readonly pid: number;
  readonly port: number;
  readonly host: string;
  readonly endpoint: string;
  readonly startedAt: string;
  readonly logFile: string;
  /** The checkout that started it (checkoutRoot()); absent in records from older breakfix versions. */
  readonly checkout?: string;
}

function recordFile(port: number): string {
  return join(breakfixHome(), 'emulator', `moto-${port}.json`);
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** True if a moto server answers at the endpoint. */
export async function endpointAnswers(endpoint: string, timeoutMs = 1500): Promise<boolean> {
  try {
    // The dashboard page is small and static, unlike data.json which dumps all state.
    const res = await getText(`${endpoint.replace(/\/$/, '')}/moto-api/`, timeoutMs);
    return res.ok && /moto/i.test(res.body);
  } catch {
    return false;
  }
}

/**
 * One GET with node:http(s), whole answer within `timeoutMs`. Not fetch: on Node 20 its first use loads
 * undici, about 50 ms of every command that looks for the embedded emulator (check and status included);
 * node:http is built in and the SDK uses it anyway.
 */
function getText(url: string, timeoutMs: number): Promise<{ ok: boolean; body: string }> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? (require('node:https') as typeof import('node:https')).request : httpRequest;
  return new Promise((done, fail) => {
    const req = request(u, { method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        done({ ok: status >= 200 && status < 300, body });
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    req.end();
  });
}

/** True if anything accepts TCP connections on host:port. */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const sock = connect({ host, port });
    sock.setTimeout(500);
    sock.once('connect', () => {
      sock.destroy();
      done(true);
    });
    sock.once('timeout', () => {
      sock.destroy();
      done(false);
    });
    sock.once('error', () => done(false));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * True if the recorded PID is still the moto server breakfix started on that
 * port. A record can outlive its process (a reboot, a kill -9) while the PID
 * is reused, and stop must never signal someone else's process.
 */
function isRecordedEmulator(r: EmulatorRecord): boolean {
  if (!processAlive(r.pid)) return false;
  let command: string;
  try {
    command = existsSync(`/proc/${r.pid}/cmdline`)
      ? readFileSync(`/proc/${r.pid}/cmdline`, 'utf8').split('\0').join(' ')
      : execFileSync('ps', ['-p', String(r.pid), '-o', 'args='], { encoding: 'utf8' });
  } catch {
    return false;
  }
  return /breakfix_moto\.py|moto\.server/.test(command) && new RegExp(`-p ${r.port}(\\s|$)`).test(command);
}

export function readRecords(): EmulatorRecord[] {
  const dir = join(breakfixHome(), 'emulator');
  if (!existsSync(dir)) return [];
  const fs = require('node:fs') as typeof import('node:fs');
  return fs
    .readdirSync(dir)
    .filter((f) => /^moto-\d+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as EmulatorRecord)
    .filter((r) => {
      if (isRecordedEmulator(r)) return true;
      rmSync(recordFile(r.port), { force: true });
      return false;
    });
}

export interface StartOptions {
  readonly port?: number;
  readonly host?: string;
  /** Python interpreter; default `BREAKFIX_PYTHON` or python3. */
  readonly python?: string;
  /** Start stock moto_server without the fidelity module (tests only). */
  readonly stock?: boolean;
  /** Record the PID under BREAKFIX_HOME so `emulator stop` can find it. @default true */
  readonly record?: boolean;
  readonly readyTimeoutMs?: number;
}

export interface RunningEmulator extends EmulatorRecord {
  readonly child?: ChildProcess;
  stop(): Promise<void>;
}

export class EmulatorStartError extends Error {}

/**
 * Starts a moto server in the background and waits until it answers.
 * moto keeps all state in memory, so the process is the emulator.
 */
export async function startEmulator(opts: StartOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  const endpoint = `http://${host}:${port}`;
  if (await portInUse(host, port)) {
    throw new EmulatorStartError(`Port ${port} on ${host} is already in use by another server.`);
  }
  const python = opts.python ?? process.env.BREAKFIX_PYTHON ?? 'python3';
  const logDir = join(breakfixHome(), 'emulator');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `moto-${port}.log`);
  const out = openSync(logFile, 'a');
  const args = opts.stock ? ['-m', 'moto.server', '-H', host, '-p', String(port)] : [fidelityEntry(), '-H', host, '-p', String(port)];
  const child = spawn(python, args, { detached: true, stdio: ['ignore', out, out], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  closeSync(out);
  let exited: number | null = null;
  let spawnError: Error | undefined;
  child.on('exit', (code) => (exited = code ?? -1));
  child.on('error', (err) => (spawnError = err));
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30000);
  while (Date.now() < deadline) {
    if (spawnError)
      throw new EmulatorStartError(
        `Could not run ${python}: ${spawnError.message}. Install Python 3 and moto (python3 -m pip install 'moto[server]').`,
      );
    if (exited !== null) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-5).join(' ').trim();
      const hint = /No module named 'moto'|No module named moto/.test(tail)
        ? " moto is not installed: run python3 -m pip install 'moto[server]'."
        : '';
      throw new EmulatorStartError(`The moto server exited during start-up (code ${exited}).${hint} Log: ${logFile}`);
    }
    if (await endpointAnswers(endpoint, 500)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await endpointAnswers(endpoint, 1000))) {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
    throw new EmulatorStartError(
      `The moto server on ${endpoint} did not answer within ${(opts.readyTimeoutMs ?? 30000) / 1000}s. Log: ${logFile}`,
    );
  }
  const record: EmulatorRecord = {
    pid: child.pid!,
    port,
    host,
    endpoint,
    startedAt: new Date().toISOString(),
    logFile,
    checkout: checkoutRoot(),
  };
  if (opts.record !== false) writeFileSync(recordFile(port), JSON.stringify(record, null, 2));
  child.unref();
  return {
    ...record,
    child,
    stop: async () => {
      await stopProcess(record.pid);
      if (opts.record !== false) rmSync(recordFile(port), { force: true });
    },
  };
}

async function stopProcess(pid: number): Promise<void> {
  try {
    process.kill(-pid, 'SIGTERM'); // the detached process group: moto and any reloader child
  } catch {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
  }
  for (let i = 0; i < 50 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/**
 * Stops emulators breakfix started (by recorded PID); never touches a server
 * it did not start. Returns the records stopped.
 */
export async function stopEmulators(port?: number): Promise<EmulatorRecord[]> {
  const records = readRecords().filter((r) => port === undefined || r.port === port);
  for (const r of records) {
    await stopProcess(r.pid);
    rmSync(recordFile(r.port), { force: true });
  }
  return records;
}

/** The records of emulators this checkout started (see checkoutRoot()). */
export function ownRecords(): EmulatorRecord[] {
  const root = checkoutRoot();
  return readRecords().filter((r) => r.checkout === root);
}

export interface EmbeddedStart {
  readonly emulator: RunningEmulator;
  /** Why it is not on the preferred port, one sentence; absent when it is. */
  readonly notice?: string;
}

/**
 * Starts this checkout's embedded emulator on the preferred port, or on a
 * free one when that port is taken (by another checkout's emulator or any
 * other program), saying which and why.
 */
export async function startEmbeddedEmulator(opts: { port?: number; env?: NodeJS.ProcessEnv } = {}): Promise<EmbeddedStart> {
  const host = '127.0.0.1';
  // A port the user named is a promise: that port or an error, never another one.
  if (opts.port !== undefined) return { emulator: await startEmulator({ port: opts.port, host }) };
  const preferred = preferredEmulatorPort(opts.env);
  const takenBy = async (): Promise<string | undefined> => {
    if (!(await portInUse(host, preferred))) return undefined;
    const other = readRecords().find((r) => r.port === preferred);
    if (other && other.checkout && other.checkout !== checkoutRoot())
      return `the embedded emulator of another breakfix checkout (${other.checkout})`;
    return 'another program';
  };
  let taken = await takenBy();
  if (!taken) {
    try {
      return { emulator: await startEmulator({ port: preferred, host }) };
    } catch (err) {
      // Another process may have taken the port between the check and moto's bind.
      taken = await takenBy();
      if (!taken) throw err;
    }
  }
  const emulator = await startEmulator({ host });
  return {
    emulator,
    notice: `Port ${preferred} is in use by ${taken}, so this emulator listens on port ${emulator.port} instead (\`breakfix env\` prints it).`,
  };
}
