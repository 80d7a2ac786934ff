import type { CommandDeps } from '../common';
import { EnvironmentError } from '../../core/errors';
import { EXIT } from '../exit-codes';
import {
  EmulatorStartError,
  endpointAnswers,
  ownRecords,
  readRecords,
  startEmbeddedEmulator,
  stopEmulators,
} from '../../targets/moto/server';

export async function runEmulatorStart(opts: { port?: number; json?: boolean }, deps: CommandDeps): Promise<number> {
  // Only this checkout's emulator counts: another checkout's runs its own fidelity module and labs.
  const existing = ownRecords().find((r) => opts.port === undefined || r.port === opts.port);
  if (existing && (await endpointAnswers(existing.endpoint))) {
    if (opts.json) deps.io.out(JSON.stringify({ ...existing, alreadyRunning: true }));
    else deps.io.out(`The embedded emulator is already running at ${existing.endpoint} (pid ${existing.pid}).`);
    return EXIT.OK;
  }
  try {
    const { emulator: emu, notice } = await startEmbeddedEmulator({ port: opts.port, env: deps.env });
    const { child: _child, stop: _stop, ...record } = emu;
    if (notice) deps.io.err(notice);
    if (opts.json) deps.io.out(JSON.stringify({ ...record, alreadyRunning: false }));
    else deps.io.out(`Started the embedded emulator (moto with breakfix's fidelity module) at ${emu.endpoint}, pid ${emu.pid}.`);
    return EXIT.OK;
  } catch (err) {
    if (err instanceof EmulatorStartError) throw new EnvironmentError('emulator-start-failed', err.message, err);
    throw err;
  }
}

export async function runEmulatorStop(opts: { port?: number; json?: boolean }, deps: CommandDeps): Promise<number> {
  const stopped = await stopEmulators(opts.port);
  if (opts.json) deps.io.out(JSON.stringify({ stopped }));
  else if (stopped.length === 0)
    deps.io.out(
      opts.port
        ? `breakfix started no emulator on port ${opts.port}; nothing stopped.`
        : 'breakfix started no emulator that is still running; nothing stopped.',
    );
  else for (const r of stopped) deps.io.out(`Stopped the embedded emulator at ${r.endpoint} (pid ${r.pid}); its state is gone.`);
  return EXIT.OK;
}

export async function runEmulatorStatus(opts: { json?: boolean }, deps: CommandDeps): Promise<number> {
  const records = readRecords();
  const rows = await Promise.all(records.map(async (r) => ({ ...r, answering: await endpointAnswers(r.endpoint) })));
  if (opts.json) deps.io.out(JSON.stringify({ emulators: rows }));
  else if (rows.length === 0) deps.io.out('No embedded emulator is running.');
  else
    for (const r of rows)
      deps.io.out(`${r.endpoint}  pid ${r.pid}  started ${r.startedAt}  ${r.answering ? 'answering' : 'NOT answering'}  log ${r.logFile}`);
  return EXIT.OK;
}
