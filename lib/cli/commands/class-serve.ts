import type { CommandDeps } from '../common';
import { parsePositiveInt } from '../common';
import { EXIT } from '../exit-codes';
import { loadRoster } from '../../class/roster';
import { startClassServer } from '../../class/server';
import { pickScenarios } from './class-grade';
import { ClassTargetOptions, DEFAULT_DASHBOARD_PORT, withTargetDefaults } from '../class-target';

export interface ClassServeOptions extends ClassTargetOptions {
  readonly roster: string;
  readonly port?: number;
  readonly host?: string;
  readonly scenarios?: string;
  readonly interval?: string;
  readonly concurrency?: string;
  readonly debug?: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * Serves the live dashboard until interrupted (Ctrl-C). Grading runs in the
 * background every --interval seconds; the page polls the latest result.
 */
export async function runClassServe(opts: ClassServeOptions, deps: CommandDeps, until: Promise<unknown> = interrupted()): Promise<number> {
  const scenarios = pickScenarios(deps.scenarios, opts.scenarios);
  const intervalMs = (opts.interval !== undefined ? parsePositiveInt(opts.interval, '--interval') : 15) * 1000;
  const concurrency = opts.concurrency !== undefined ? parsePositiveInt(opts.concurrency, '--concurrency') : undefined;
  withTargetDefaults(loadRoster(opts.roster), opts); // a bad roster or option is a usage error now, not a red banner later
  const host = opts.host ?? '127.0.0.1';
  const server = await startClassServer({
    rosterFile: opts.roster,
    scenarios,
    host,
    port: opts.port ?? DEFAULT_DASHBOARD_PORT,
    intervalMs,
    gradeOptions: { concurrency, env: deps.env },
    mapRoster: (roster) => withTargetDefaults(roster, opts),
    log: (m) => deps.io.err(`[${new Date().toLocaleTimeString()}] ${m}`),
  });
  if (!LOOPBACK.test(host))
    deps.io.err(
      `warning: the dashboard listens on ${host}, not only on this machine; anyone who can reach it sees every learner's results.`,
    );
  deps.io.out(`Class dashboard for ${opts.roster}: ${server.url} (grading every ${intervalMs / 1000}s; Ctrl-C stops it).`);
  await until;
  await server.close();
  return EXIT.OK;
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
