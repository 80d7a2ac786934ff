import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningEmulator, startEmulator } from '../../lib/targets/moto/server';

export interface TestMoto {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts a private moto server on a free loopback port for one test file.
 * `stock: true` starts moto without breakfix's fidelity module, to show a
 * patch is still needed.
 */
export async function startTestMoto(opts: { stock?: boolean } = {}): Promise<TestMoto> {
  const home = mkdtempSync(join(tmpdir(), 'breakfix-test-'));
  const prevHome = process.env.BREAKFIX_HOME;
  process.env.BREAKFIX_HOME = home;
  let emu: RunningEmulator;
  try {
    emu = await startEmulator({ stock: opts.stock, record: false });
  } finally {
    if (prevHome === undefined) delete process.env.BREAKFIX_HOME;
    else process.env.BREAKFIX_HOME = prevHome;
  }
  return {
    endpoint: emu.endpoint,
    port: emu.port,
    stop: async () => {
      await emu.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
