/**
 * Bench (e): the CLI as learners run it, one whole `node dist/bin/breakfix.js`
 * process per command, against the same work done in this process with its
 * modules already loaded, plus a bare `node -e 0` start measured in the same
 * run:
 *
 *   check, status (every scenario)  vs  openLab + checkScenario / scenario.symptom
 *                                       (and, for scale, the SDK calls they make, sent directly)
 *   deploy, reset (BENCH_CLI_DEPLOY, default two scenarios)
 *                                   vs  deployScenario / resetScenario
 *
 * BENCH_CLI_BIN runs another build's CLI (a "before" build) against this
 * build's in-process baseline. BENCH_CLI_SCENARIOS (comma-separated ids)
 * limits the scenarios; BENCH_CLI_DEPLOY= (empty) skips deploy and reset.
 * Reports ratios; never fails on a goal.
 */
import { spawn } from 'node:child_process';
import { checkScenario } from '../../lib/ops/check';
import { makeContext } from '../../lib/ops/context';
import { deployScenario } from '../../lib/ops/deploy';
import { destroyScenario } from '../../lib/ops/destroy';
import { openLab } from '../../lib/ops/lab';
import { resetScenario } from '../../lib/ops/reset';
import { chooseVariant } from '../../lib/scenario/naming';
import type { ScenarioDefinition } from '../../lib/scenario/types';
import { AwsClients } from '../../lib/targets/clients';
import type { Target } from '../../lib/targets/target';
import { SCENARIOS } from '../support/catalog';
import { median, time } from './measure';

export interface CliRow {
  readonly command: string;
  readonly scenario: string;
  /** Whole process, median ms. */
  readonly cli: number;
  /** The same work in this process, median ms. */
  readonly inProcess: number;
  /** `node -e 0`, median ms, measured alongside. */
  readonly node: number;
  /** The SDK calls the in-process work makes, sent directly in parallel (check and status only). */
  readonly direct?: number;
  readonly calls?: number;
}

/** Wall-clock ms of one child process; rejects on a non-zero exit (check exits 1 on an armed lab, which is expected). */
function spawnMs(bin: string, args: string[], okCodes: number[] = [0]): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    let stderr = '';
    const child = spawn(process.execPath, [bin, ...args].filter(Boolean), { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (okCodes.includes(code ?? -1)) resolve(Number(process.hrtime.bigint() - t0) / 1e6);
      else reject(new Error(`node ${bin} ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`));
    });
  });
}

type Client = { send(cmd: unknown): Promise<unknown> };
interface Call {
  readonly client: Client;
  readonly command: new (input: unknown) => unknown;
  readonly input: unknown;
}

/** Clients that record every command sent through them (class and input), so the calls can be sent again directly. */
function recordingClients(target: Target, calls: Call[], recording: { on: boolean }): AwsClients {
  return new AwsClients(target, {
    customize: (sdkClient) => {
      const client = sdkClient as unknown as Client;
      const send = client.send.bind(client);
      client.send = (cmd: unknown) => {
        const c = cmd as { constructor: new (input: unknown) => unknown; input: unknown };
        if (recording.on) calls.push({ client, command: c.constructor, input: structuredClone(c.input) });
        return send(cmd);
      };
    },
  });
}

async function sendDirect(calls: readonly Call[]): Promise<void> {
  await Promise.all(calls.map((c) => c.client.send(new c.command(c.input)).catch(() => undefined)));
}

export async function benchCli(target: Target, bin: string, runs: { command: number; deploy: number }): Promise<CliRow[]> {
  const rows: CliRow[] = [];
  const flags = ['--target', 'moto', '--endpoint', target.endpoint!, '--region', target.region];
  const nodeStart = () => spawnMs('-e', ['0']);
  const ctxOf = (scenario: ScenarioDefinition) =>
    makeContext({ scenario, target, variant: chooseVariant(scenario.meta, 'moto', {}), clients: new AwsClients(target) });
  const only = process.env.BENCH_CLI_SCENARIOS?.split(',');
  const moto = SCENARIOS.filter(
    (s) => s.meta.variants.some((v) => !v.targets || v.targets.includes('moto')) && (!only || only.includes(s.id)),
  );
  const deployIds = (process.env.BENCH_CLI_DEPLOY ?? 'fargate-cannot-pull-image,s3-delete-access-denied').split(',');

  for (const scenario of moto) {
    process.stderr.write(`(e) ${scenario.id}: deploying the lab in process\n`);
    await deployScenario(scenario, ctxOf(scenario));
    const inProcess = {
      check: async (clients = new AwsClients(target)) => {
        const { ctx } = await openLab(scenario, target, { clients });
        await checkScenario(scenario, ctx);
      },
      status: async (clients = new AwsClients(target)) => {
        const { ctx } = await openLab(scenario, target, { clients });
        await scenario.symptom(ctx);
      },
    };
    for (const command of ['check', 'status'] as const) {
      const calls: Call[] = [];
      const recording = { on: true };
      await inProcess[command](recordingClients(target, calls, recording));
      recording.on = false;
      const cliRun = () => spawnMs(bin, [command, scenario.id, ...flags, '--json'], command === 'check' ? [0, 1] : [0]);
      // Warm: moto's first answers and this process's module loading are not per-command costs.
      await cliRun();
      await inProcess[command]();
      const cli: number[] = [];
      const inp: number[] = [];
      const dir: number[] = [];
      const node: number[] = [];
      for (let i = 0; i < runs.command; i++) {
        // Interleaved, so drift on a shared machine hits every side alike.
        cli.push(await cliRun());
        inp.push(await time(() => inProcess[command]()));
        dir.push(await time(() => sendDirect(calls)));
        node.push(await nodeStart());
      }
      rows.push({
        command,
        scenario: scenario.id,
        cli: median(cli),
        inProcess: median(inp),
        node: median(node),
        direct: median(dir),
        calls: calls.length,
      });
      process.stderr.write(`  ${command}: CLI ${median(cli).toFixed(0)} ms, in process ${median(inp).toFixed(0)} ms\n`);
    }

    if (deployIds.includes(scenario.id)) {
      const cli: Record<'deploy' | 'reset', number[]> = { deploy: [], reset: [] };
      const inp: Record<'deploy' | 'reset', number[]> = { deploy: [], reset: [] };
      const node: number[] = [];
      const destroy = () => destroyScenario(scenario, ctxOf(scenario));
      for (let i = 0; i < runs.deploy; i++) {
        // The lab is deployed here: reset it, then destroy and deploy it, each way.
        cli.reset.push(await spawnMs(bin, ['reset', scenario.id, ...flags, '--yes']));
        inp.reset.push(await time(() => resetScenario(scenario, ctxOf(scenario))));
        await destroy();
        cli.deploy.push(await spawnMs(bin, ['deploy', scenario.id, ...flags, '--yes']));
        await destroy();
        inp.deploy.push(await time(() => deployScenario(scenario, ctxOf(scenario))));
        node.push(await nodeStart());
      }
      for (const command of ['deploy', 'reset'] as const) {
        rows.push({ command, scenario: scenario.id, cli: median(cli[command]), inProcess: median(inp[command]), node: median(node) });
        process.stderr.write(`  ${command}: CLI ${median(cli[command]).toFixed(0)} ms, in process ${median(inp[command]).toFixed(0)} ms\n`);
      }
    }
    await destroyScenario(scenario, ctxOf(scenario));
  }
  return rows;
}

/** Table rows for run.ts: CLI / (in-process + node start), goal 1.5. */
export function cliTableRows(rows: readonly CliRow[]): string[][] {
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  return rows.map((r) => {
    const base = r.inProcess + r.node;
    const ratio = r.cli / base;
    return [
      `(e) ${r.command} ${r.scenario}: CLI process vs in process + node start${r.direct !== undefined ? ` (its ${r.calls} SDK calls direct: ${ms(r.direct)})` : ''}`,
      ms(r.cli),
      `${ms(r.inProcess)} + ${ms(r.node)}`,
      ratio.toFixed(2),
      '<= 1.5',
      ratio <= 1.5 ? 'meets goal' : 'over goal',
    ];
  });
}

/** Run on its own: `node dist/test/bench/cli.js` (its own moto and BREAKFIX_HOME). */
async function runAlone(): Promise<void> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join, resolve } = await import('node:path');
  const { startEmulator } = await import('../../lib/targets/moto/server');
  const home = mkdtempSync(join(tmpdir(), 'breakfix-bench-cli-'));
  process.env.BREAKFIX_HOME = home;
  process.env.BREAKFIX_PROGRESS = 'off';
  const emu = await startEmulator({ record: false });
  try {
    const target: Target = { kind: 'moto', region: 'us-east-1', endpoint: emu.endpoint };
    const bin = process.env.BENCH_CLI_BIN ?? join(resolve(__dirname, '..', '..', '..'), 'dist', 'bin', 'breakfix.js');
    const scale = Math.max(1, Number(process.env.BENCH_RUNS ?? '1'));
    const runs = {
      command: Number(process.env.BENCH_CLI_RUNS ?? 3 * scale),
      deploy: Number(process.env.BENCH_CLI_DEPLOY_RUNS ?? 2 * scale),
    };
    const rows = await benchCli(target, bin, runs);
    const header = ['measure (medians)', 'CLI', 'in process + node', 'ratio', 'goal', ''];
    process.stdout.write(`\nbreakfix CLI bench: ${bin}\n\n${[header, ...cliTableRows(rows)].map((r) => r.join(' | ')).join('\n')}\n`);
  } finally {
    await emu.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  runAlone().catch((err) => {
    process.stderr.write(`CLI bench failed: ${(err as Error)?.stack ?? err}\n`);
    process.exitCode = 1;
  });
}
