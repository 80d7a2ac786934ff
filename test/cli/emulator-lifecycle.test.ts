/**
 * `breakfix emulator start | status | stop`, run as the built binary with
 * BREAKFIX_HOME in a temp folder. `stop` ends only what breakfix started: a
 * moto_server this test starts itself must survive it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endpointAnswers, freePort } from '../../lib/targets/moto/server';
import { SCENARIO_ID, cleanEnv, expectOneErrorLine, runBin, useTempHome } from './harness';

const home = useTempHome();
let foreign: ChildProcess;
let foreignPort: number;
let foreignEndpoint: string;
let port: number;
const env = () => cleanEnv({ BREAKFIX_HOME: home.dir });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, ok: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  // An unrelated moto server, started by this test and not by breakfix.
  foreignPort = await freePort();
  foreignEndpoint = `http://127.0.0.1:${foreignPort}`;
  foreign = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(foreignPort)], { stdio: 'ignore' });
  await waitFor('the unrelated moto_server', () => endpointAnswers(foreignEndpoint, 500));
  port = await freePort();
});

afterAll(async () => {
  if (foreign?.pid && alive(foreign.pid)) {
    foreign.kill('SIGTERM');
    await waitFor('the unrelated moto_server to exit', async () => !alive(foreign.pid!), 10_000).catch(() => foreign.kill('SIGKILL'));
  }
});

test('status with nothing started', async () => {
  const text = await runBin(['emulator', 'status'], env());
  expect(text.code).toBe(0);
  expect(text.stdout.trim()).toBe('No embedded emulator is running.');
  const json = await runBin(['emulator', 'status', '--json'], env());
  expect(JSON.parse(json.stdout)).toEqual({ emulators: [] });
});

describe('start, status, stop', () => {
  let pid: number;

  test('start --port P runs moto with the fidelity module in the background and records its PID', async () => {
    const r = await runBin(['emulator', 'start', '--port', String(port), '--json'], env());
    expect(r.code).toBe(0);
    const rec = JSON.parse(r.stdout);
    expect(rec).toMatchObject({ port, host: '127.0.0.1', endpoint: `http://127.0.0.1:${port}`, alreadyRunning: false });
    pid = rec.pid;
    // The CLI has exited; the emulator keeps running.
    expect(alive(pid)).toBe(true);
    expect(await endpointAnswers(rec.endpoint)).toBe(true);
    const recordFile = join(home.dir, 'emulator', `moto-${port}.json`);
    expect(JSON.parse(readFileSync(recordFile, 'utf8')).pid).toBe(pid);
    if (existsSync(`/proc/${pid}/cmdline`)) expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toMatch(/breakfix_moto\.py/);
  });

  test('start again on the same port reports the running one', async () => {
    const r = await runBin(['emulator', 'start', '--port', String(port)], env());
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`The embedded emulator is already running at http://127.0.0.1:${port} (pid ${pid}).`);
  });

  test('status lists it as answering', async () => {
    const r = await runBin(['emulator', 'status', '--json'], env());
    expect(r.code).toBe(0);
    const { emulators } = JSON.parse(r.stdout);
    expect(emulators).toHaveLength(1);
    expect(emulators[0]).toMatchObject({ pid, port, answering: true });
  });

  test('commands without --endpoint use it', async () => {
    const r = await runBin(['status', SCENARIO_ID], env());
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, { matches: new RegExp(`not deployed on moto at http://127\\.0\\.0\\.1:${port} `) });
  });

  test('start on a port another server holds exits 3', async () => {
    const r = await runBin(['emulator', 'start', '--port', String(foreignPort)], env());
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, {
      matches: new RegExp(`^Port ${foreignPort} on 127\\.0\\.0\\.1 is already in use by another server\\.$`),
    });
    expect(await endpointAnswers(foreignEndpoint)).toBe(true);
  });

  test('stop --port of the unrelated server stops nothing', async () => {
    const r = await runBin(['emulator', 'stop', '--port', String(foreignPort), '--json'], env());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ stopped: [] });
    expect(alive(foreign.pid!)).toBe(true);
    expect(alive(pid)).toBe(true);
  });

  test('stop ends the emulator breakfix started and leaves the unrelated moto_server running', async () => {
    const r = await runBin(['emulator', 'stop'], env());
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`Stopped the embedded emulator at http://127.0.0.1:${port} (pid ${pid}); its state is gone.`);
    expect(alive(pid)).toBe(false);
    expect(await endpointAnswers(`http://127.0.0.1:${port}`)).toBe(false);
    expect(existsSync(join(home.dir, 'emulator', `moto-${port}.json`))).toBe(false);
    expect(alive(foreign.pid!)).toBe(true);
    expect(await endpointAnswers(foreignEndpoint)).toBe(true);
  });

  test('stop again has nothing to stop, and status is empty', async () => {
    const r = await runBin(['emulator', 'stop'], env());
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('breakfix started no emulator that is still running; nothing stopped.');
    const s = await runBin(['emulator', 'status', '--json'], env());
    expect(JSON.parse(s.stdout)).toEqual({ emulators: [] });
  });
});

describe('stale records', () => {
  test('a record whose PID now belongs to another process is dropped, and that process is left alone', async () => {
    // After a reboot a record can outlive its emulator while the PID is reused.
    const stalePort = await freePort();
    const file = join(home.dir, 'emulator', `moto-${stalePort}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        pid: foreign.pid,
        port: stalePort,
        host: '127.0.0.1',
        endpoint: `http://127.0.0.1:${stalePort}`,
        startedAt: '2024-01-01T00:00:00.000Z',
        logFile: join(home.dir, 'emulator', `moto-${stalePort}.log`),
      }),
    );
    const status = await runBin(['emulator', 'status', '--json'], env());
    expect(JSON.parse(status.stdout)).toEqual({ emulators: [] });
    const stop = await runBin(['emulator', 'stop', '--json'], env());
    expect(stop.code).toBe(0);
    expect(JSON.parse(stop.stdout)).toEqual({ stopped: [] });
    expect(alive(foreign.pid!)).toBe(true);
    expect(await endpointAnswers(foreignEndpoint)).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  test('a record whose process is gone is dropped', async () => {
    const gonePort = await freePort();
    const file = join(home.dir, 'emulator', `moto-${gonePort}.json`);
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    writeFileSync(
      file,
      JSON.stringify({
        pid: dead.pid,
        port: gonePort,
        host: '127.0.0.1',
        endpoint: `http://127.0.0.1:${gonePort}`,
        startedAt: '2024-01-01T00:00:00.000Z',
        logFile: 'x.log',
      }),
    );
    const status = await runBin(['emulator', 'status', '--json'], env());
    expect(JSON.parse(status.stdout)).toEqual({ emulators: [] });
    expect(existsSync(file)).toBe(false);
  });
});
