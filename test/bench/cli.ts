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
import { forgetSearches } from '../../lib/engines/iam/proofs/lang';
import { chooseVariant } from '../../lib/scenario/naming';
import type { ScenarioDefinition } from '../../lib/scenario/types';
import { AwsClients } from '../../lib/targets/clients';
import type { Target } from '../../lib/targets/target';
import { SCENARIOS } from '../support/catalog';
import { loadedFiles, loadedFilesPreload } from '../support/loaded-files';
import { runProcess } from '../support/run-process';
import { median, time } from './measure';

const FRESH_SDK_CALLS = require.resolve('./fresh-sdk-calls');
const COMPILE_CACHE = require.resolve('../../lib/cli/compile-cache');

/** The entry file of an AWS SDK v3 client package, with the package's short name. */
const SDK_CLIENT_ENTRY = /[\\/]node_modules[\\/]@aws-sdk[\\/](client-[a-z0-9-]+)[\\/]dist-cjs[\\/]index\.js$/;
const sdkClientEntries = (files: readonly string[]) => files.filter((f) => SDK_CLIENT_ENTRY.test(f));
const packageNames = (entries: readonly string[]) => entries.map((f) => SDK_CLIENT_ENTRY.exec(f)![1]);

export interface CliRow {
  readonly command: string;
  readonly scenario: string;
  /** Whole process, median ms. */
  readonly cli: number;
  /** The same work in this process, median ms. */
  readonly inProcess: number;
  /** `node -e 0`, median ms, measured alongside. */
  readonly node: number;
  /** A fresh `node` that loads the AWS SDK client packages the CLI process loaded and nothing else, median ms. */
  readonly sdkStart: number;
  /** Those packages. */
  readonly sdkPackages: readonly string[];
  /** The SDK calls the in-process work makes, sent directly in parallel (check and status only). */
  readonly direct?: number;
  readonly calls?: number;
  /** The same SDK calls from a fresh `node` process that loads only their client packages (check and status only), median ms. */
  readonly fresh?: number;
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

/** The AWS SDK client packages one CLI run loads (their entry files), learned with the loaded-files preload. */
async function sdkPackagesOf(bin: string, args: string[], okCodes: number[]): Promise<string[]> {
  const run = await runProcess(process.execPath, ['-r', loadedFilesPreload(), bin, ...args], process.env);
  if (!okCodes.includes(run.code)) throw new Error(`node ${bin} ${args.join(' ')} exited ${run.code}: ${run.stderr.slice(-500)}`);
  return sdkClientEntries(loadedFiles(run.stderr));
}

/** A fresh `node` loading `entries` and exiting, with Node's compile cache on where the CLI has it, so neither side has it alone. */
const sdkStart = (entries: readonly string[]) =>
  spawnMs('-e', [
    `require(${JSON.stringify(COMPILE_CACHE)}).enableCompileCache(); for (const f of JSON.parse(process.argv[1])) require(f)`,
    JSON.stringify(entries),
  ]);

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

/** The package entry file, client class and command class names of each call, for a fresh process to send them again. */
function freshSpec(target: Target, calls: readonly Call[]): string {
  const exportsOf = new Map(
    sdkClientEntries(Object.keys(require.cache)).map((entry) => [entry, require(entry) as Record<string, unknown>]),
  );
  const named = calls.map((c) => {
    const found = [...exportsOf].find(([, mod]) => mod[c.command.name] === c.command);
    if (!found) throw new Error(`no loaded SDK package exports ${c.command.name}`);
    const [entry, mod] = found;
    const client = (c.client as object).constructor.name;
    if (mod[client] !== (c.client as object).constructor) throw new Error(`${entry} has no client class for ${c.command.name}`);
    return { entry, client, command: c.command.name, input: c.input };
  });
  return JSON.stringify({ endpoint: target.endpoint, region: target.region, calls: named });
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
    // Each in-process run starts with the IAM proof engine's remembered answers forgotten: a CLI process
    // never has them, and they would spare the in-process side the proof work the CLI side does.
    const inProcess = {
      check: async (clients = new AwsClients(target)) => {
        forgetSearches();
        const { ctx } = await openLab(scenario, target, { clients });
        await checkScenario(scenario, ctx);
      },
      status: async (clients = new AwsClients(target)) => {
        forgetSearches();
        const { ctx } = await openLab(scenario, target, { clients });
        await scenario.symptom(ctx);
      },
    };
    for (const command of ['check', 'status'] as const) {
      const calls: Call[] = [];
      const recording = { on: true };
      await inProcess[command](recordingClients(target, calls, recording));
      recording.on = false;
      const cliArgs = [command, scenario.id, ...flags, '--json'];
      const okCodes = command === 'check' ? [0, 1] : [0];
      const cliRun = () => spawnMs(bin, cliArgs, okCodes);
      const spec = freshSpec(target, calls);
      const freshRun = () => spawnMs(FRESH_SDK_CALLS, [spec]);
      // Warm: moto's first answers and this process's module loading are not per-command costs.
      const packages = await sdkPackagesOf(bin, cliArgs, okCodes);
      await inProcess[command]();
      const cli: number[] = [];
      const inp: number[] = [];
      const dir: number[] = [];
      const node: number[] = [];
      const sdk: number[] = [];
      const fresh: number[] = [];
      for (let i = 0; i < runs.command; i++) {
        // Interleaved, so drift on a shared machine hits every side alike.
        cli.push(await cliRun());
        inp.push(await time(() => inProcess[command]()));
        dir.push(await time(() => sendDirect(calls)));
        node.push(await nodeStart());
        sdk.push(await sdkStart(packages));
        fresh.push(await freshRun());
      }
      rows.push({
        command,
        scenario: scenario.id,
        cli: median(cli),
        inProcess: median(inp),
        node: median(node),
        sdkStart: median(sdk),
        sdkPackages: packageNames(packages),
        direct: median(dir),
        calls: calls.length,
        fresh: median(fresh),
      });
      process.stderr.write(
        `  ${command}: CLI ${median(cli).toFixed(0)} ms, in process ${median(inp).toFixed(0)} ms, SDK start ${median(sdk).toFixed(0)} ms, a fresh process sending its calls ${median(fresh).toFixed(0)} ms\n`,
      );
    }

    if (deployIds.includes(scenario.id)) {
      const cli: Record<'deploy' | 'reset', number[]> = { deploy: [], reset: [] };
      const inp: Record<'deploy' | 'reset', number[]> = { deploy: [], reset: [] };
      const node: number[] = [];
      const sdk: Record<'deploy' | 'reset', number[]> = { deploy: [], reset: [] };
      const destroy = () => destroyScenario(scenario, ctxOf(scenario));
      const args = (command: 'deploy' | 'reset') => [command, scenario.id, ...flags, '--yes'];
      // The lab is deployed here. One reset, destroy and deploy with the package hook learns what each CLI command loads.
      const packages = { reset: await sdkPackagesOf(bin, args('reset'), [0]), deploy: [] as string[] };
      await destroy();
      packages.deploy = await sdkPackagesOf(bin, args('deploy'), [0]);
      for (let i = 0; i < runs.deploy; i++) {
        // The lab is deployed here: reset it, then destroy and deploy it, each way.
        cli.reset.push(await spawnMs(bin, args('reset')));
        forgetSearches();
        inp.reset.push(await time(() => resetScenario(scenario, ctxOf(scenario))));
        await destroy();
        cli.deploy.push(await spawnMs(bin, args('deploy')));
        await destroy();
        forgetSearches();
        inp.deploy.push(await time(() => deployScenario(scenario, ctxOf(scenario))));
        node.push(await nodeStart());
        sdk.reset.push(await sdkStart(packages.reset));
        sdk.deploy.push(await sdkStart(packages.deploy));
      }
      for (const command of ['deploy', 'reset'] as const) {
        rows.push({
          command,
          scenario: scenario.id,
          cli: median(cli[command]),
          inProcess: median(inp[command]),
          node: median(node),
          sdkStart: median(sdk[command]),
          sdkPackages: packageNames(packages[command]),
        });
        process.stderr.write(
          `  ${command}: CLI ${median(cli[command]).toFixed(0)} ms, in process ${median(inp[command]).toFixed(0)} ms, SDK start ${median(sdk[command]).toFixed(0)} ms\n`,
        );
      }
    }
    await destroyScenario(scenario, ctxOf(scenario));
  }
  return rows;
}

/**
 * Table rows for run.ts. First the issue's goal: CLI / (in process + node start) <= 1.5. Then, reported, the
 * same CLI time against the in-process work plus a fresh node that loads the SDK client packages the CLI
 * loaded (no program sending these calls from a fresh process can start faster), and for check and status
 * the calls themselves sent from a fresh process.
 */
export function cliTableRows(rows: readonly CliRow[]): string[][] {
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  return rows.flatMap((r) => {
    const ratio = r.cli / (r.inProcess + r.node);
    const sdkRatio = r.cli / (r.inProcess + r.sdkStart);
    const out = [
      [
        `(e) ${r.command} ${r.scenario}: CLI process vs in process + node start${r.direct !== undefined ? ` (its ${r.calls} SDK calls direct: ${ms(r.direct)})` : ''}`,
        ms(r.cli),
        `${ms(r.inProcess)} + ${ms(r.node)}`,
        ratio.toFixed(2),
        '<= 1.5',
        ratio <= 1.5 ? 'meets goal' : 'over goal',
      ],
      [
        `    the same vs in process + a fresh node loading its SDK packages (${r.sdkPackages.join(', ')})`,
        ms(r.cli),
        `${ms(r.inProcess)} + ${ms(r.sdkStart)}`,
        sdkRatio.toFixed(2),
        '',
        'report',
      ],
    ];
    // No CLI can beat a process that only loads the SDK packages and does the work: when this floor is over
    // the issue's 1.5, the goal is out of reach for any implementation on this machine.
    const floor = (r.inProcess + r.sdkStart) / (r.inProcess + r.node);
    out.push([
      `    floor: in process + SDK start vs in process + node start`,
      ms(r.inProcess + r.sdkStart),
      ms(r.inProcess + r.node),
      floor.toFixed(2),
      '',
      'report',
    ]);
    if (r.fresh !== undefined)
      out.push([
        `    the same vs a fresh node sending its ${r.calls} SDK calls`,
        ms(r.cli),
        ms(r.fresh),
        (r.cli / r.fresh).toFixed(2),
        '',
        'report',
      ]);
    return out;
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
