/**
 * `npm run bench`: breakfix against baselines measured in the same run, on
 * a moto server this script starts and stops.
 *
 *   (a) in-process `check` / the same describe calls issued directly, all in parallel;
 *   (b) `deploy` (deployScenario) / a raw CreateStack of the same synthesized
 *       template, waiting for CREATE_COMPLETE;
 *   (c) cold CLI start for `breakfix list`, in ms and against `node -e 0`;
 *   (e) the CLI as learners run it (one process per command) for check and
 *       status of every scenario and deploy/reset, against the same work in
 *       process plus a bare node start (cli.ts). Part (e) alone:
 *       `node dist/test/bench/cli.js` (BENCH_CLI_SCENARIOS=id,id limits the
 *       scenarios, BENCH_CLI_DEPLOY= skips deploy and reset).
 *
 * Benchmarks report; they never fail on a goal. BENCH_RUNS scales the runs.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as cfnSdk from '@aws-sdk/client-cloudformation';
import * as logsSdk from '@aws-sdk/client-cloudwatch-logs';
import * as dynamodbSdk from '@aws-sdk/client-dynamodb';
import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as ecrSdk from '@aws-sdk/client-ecr';
import * as ecsSdk from '@aws-sdk/client-ecs';
import * as iamSdk from '@aws-sdk/client-iam';
import * as taggingSdk from '@aws-sdk/client-resource-groups-tagging-api';
import * as s3Sdk from '@aws-sdk/client-s3';
import * as stsSdk from '@aws-sdk/client-sts';
import { App } from 'aws-cdk-lib';
import { addScenarioStack } from '../../lib/app/build-app';
import type { Io } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';
import { checkScenario } from '../../lib/ops/check';
import { makeContext } from '../../lib/ops/context';
import { deployScenario } from '../../lib/ops/deploy';
import { destroyScenario } from '../../lib/ops/destroy';
import { openLab } from '../../lib/ops/lab';
import { chooseVariant } from '../../lib/scenario/naming';
import { AwsClients } from '../../lib/targets/clients';
import { RunningEmulator, startEmulator } from '../../lib/targets/moto/server';
import type { Target } from '../../lib/targets/target';
import { SCENARIOS } from '../support/catalog';
import { scenarioCatalog } from '../../bin/catalog';
import { benchCli, cliTableRows } from './cli';
import './class-grade'; // (d) class grading: runs after the benchmarks above
import { median, time } from './measure';

const SCENARIO_ID = 'fargate-cannot-pull-image';
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const BIN = join(REPO_ROOT, 'dist', 'bin', 'breakfix.js');
const scale = Math.max(1, Number(process.env.BENCH_RUNS ?? '1'));
const RUNS = { check: 15 * scale, deploy: 3 * scale, cold: 7 * scale, cli: 3 * scale, cliDeploy: 2 * scale };

type ServiceName = 'cloudformation' | 'ec2' | 'ecs' | 'ecr' | 'iam' | 'sts' | 's3' | 'logs' | 'dynamodb' | 'tagging';
const SDK_MODULES: Record<ServiceName, Record<string, unknown>> = {
  cloudformation: cfnSdk,
  ec2: ec2Sdk,
  ecs: ecsSdk,
  ecr: ecrSdk,
  iam: iamSdk,
  sts: stsSdk,
  s3: s3Sdk,
  logs: logsSdk,
  dynamodb: dynamodbSdk,
  tagging: taggingSdk,
};

interface RecordedCall {
  readonly service: ServiceName;
  readonly command: string;
  readonly input: unknown;
}

const silentIo: Io = { out: () => undefined, err: () => undefined, color: false, interactive: false, confirm: async () => false };

function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/** Every SDK call `check` makes, with its input, by running it once with a recording middleware. */
async function recordCheckCalls(target: Target): Promise<RecordedCall[]> {
  const scenario = SCENARIOS.find((s) => s.id === SCENARIO_ID)!;
  const calls: RecordedCall[] = [];
  const clients = new AwsClients(target);
  for (const service of Object.keys(SDK_MODULES) as ServiceName[]) {
    (clients[service] as unknown as { middlewareStack: { add(mw: unknown, o: unknown): void } }).middlewareStack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: unknown }) => {
        calls.push({ service, command: context.commandName!, input: structuredClone(args.input) });
        return next(args);
      },
      { step: 'initialize', name: 'benchRecorder' },
    );
  }
  const { ctx } = await openLab(scenario, target, { clients });
  await checkScenario(scenario, ctx);
  clients.destroy();
  return calls;
}

/** The recorded calls sent all at once from fresh clients: a lower bound no sequencing can beat. */
async function sendInParallel(target: Target, calls: readonly RecordedCall[]): Promise<void> {
  const clients = new AwsClients(target);
  try {
    await Promise.all(
      calls.map((c) => {
        const Ctor = SDK_MODULES[c.service][c.command] as new (input: unknown) => never;
        // An error is an answer too (the armed lab has no repository policy, say): only the round trip counts.
        return (clients[c.service] as unknown as { send(cmd: unknown): Promise<unknown> }).send(new Ctor(c.input)).catch(() => undefined);
      }),
    );
  } finally {
    clients.destroy();
  }
}

async function benchCheck(target: Target): Promise<{ breakfix: number; baseline: number; calls: number }> {
  const calls = await recordCheckCalls(target);
  const argv = ['check', SCENARIO_ID, '--target', 'moto', '--endpoint', target.endpoint!, '--region', target.region, '--json'];
  const catalog = scenarioCatalog();
  const check = () => main(argv, { io: silentIo, env: {}, scenarios: catalog });
  const direct = () => sendInParallel(target, calls);
  for (let i = 0; i < 2; i++) {
    await check();
    await direct();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS.check; i++) {
    // Interleaved, so drift on a shared machine hits both sides alike.
    a.push(await time(check));
    b.push(await time(direct));
  }
  return { breakfix: median(a), baseline: median(b), calls: calls.length };
}

async function benchDeploy(
  target: Target,
): Promise<{ breakfix: number; baseline: number; synth: number; toolkit: number; afterDeploy: number; verify: number }> {
  const scenario = SCENARIOS.find((s) => s.id === SCENARIO_ID)!;
  const variant = chooseVariant(scenario.meta, 'moto', {});
  const synth = () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'breakfix-bench-synth-')) });
    addScenarioStack(app, { scenario, targetKind: 'moto', variant, region: target.region });
    const assembly = app.synth();
    const artifact = assembly.getStackByName(SCENARIO_ID);
    const out = { template: artifact.template as unknown, tags: artifact.tags };
    rmSync(assembly.directory, { recursive: true, force: true });
    return out;
  };
  const synthesized = synth();
  const templateBody = JSON.stringify(synthesized.template);
  const tags = Object.entries(synthesized.tags).map(([Key, Value]) => ({ Key, Value }));
  const cfn = new AwsClients(target).cloudformation;

  const rawName = `${SCENARIO_ID}-raw`;
  /** Polls like breakfix does on emulators (every 200 ms) until the stack settles. */
  const settle = async (want: string) => {
    for (;;) {
      const out = await cfn.send(new cfnSdk.DescribeStacksCommand({ StackName: rawName })).catch((err: Error) => {
        if (/does not exist/.test(err.message)) return { Stacks: [] };
        throw err;
      });
      const status = out.Stacks?.find((x) => x.StackStatus !== 'DELETE_COMPLETE')?.StackStatus ?? 'DELETE_COMPLETE';
      if (status === want) return;
      if (!status.endsWith('_IN_PROGRESS')) throw new Error(`raw stack ${rawName} ended ${status}, not ${want}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const rawDeploy = async () => {
    await cfn.send(
      new cfnSdk.CreateStackCommand({
        StackName: rawName,
        TemplateBody: templateBody,
        Tags: tags,
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
      }),
    );
    await settle('CREATE_COMPLETE');
  };
  const rawDelete = async () => {
    await cfn.send(new cfnSdk.DeleteStackCommand({ StackName: rawName }));
    await settle('DELETE_COMPLETE');
  };
  const ctx = (progress?: (m: string) => void) => makeContext({ scenario, target, variant, clients: new AwsClients(target), progress });
  /** Where deploy spends its time, from the progress messages deployScenario emits between phases. */
  const phases: Record<'toolkit' | 'afterDeploy' | 'verify', number[]> = { toolkit: [], afterDeploy: [], verify: [] };
  const breakfixDeploy = async () => {
    const marks: { m: string; t: number }[] = [];
    const now = () => Number(process.hrtime.bigint()) / 1e6;
    await deployScenario(
      scenario,
      ctx((m) => marks.push({ m, t: now() })),
    );
    const end = now();
    const at = (re: RegExp) => marks.find((x) => re.test(x.m))?.t;
    const start = at(/^(Creating|Updating) stack/);
    const post = at(/^Running post-deploy steps/);
    const verify = at(/^Verifying the lab shows its symptom/);
    if (start !== undefined && verify !== undefined) {
      phases.toolkit.push((post ?? verify) - start);
      phases.afterDeploy.push(post !== undefined ? verify - post : 0);
      phases.verify.push(end - verify);
    }
  };
  const breakfixDelete = () => destroyScenario(scenario, ctx());

  // One unmeasured round first: loading the CDK toolkit and warming moto are not per-deploy costs.
  await breakfixDeploy();
  await breakfixDelete();
  await rawDeploy();
  await rawDelete();
  for (const k of Object.keys(phases) as (keyof typeof phases)[]) phases[k].length = 0;
  const a: number[] = [];
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < RUNS.deploy; i++) {
    a.push(await time(breakfixDeploy));
    await breakfixDelete();
    b.push(await time(rawDeploy));
    await rawDelete();
    s.push(await time(async () => synth()));
    log(
      `deploy run ${i + 1}/${RUNS.deploy}: breakfix ${a[i].toFixed(0)} ms, raw CreateStack ${b[i].toFixed(0)} ms, synth alone ${s[i].toFixed(0)} ms`,
    );
  }
  cfn.destroy();
  return {
    breakfix: median(a),
    baseline: median(b),
    synth: median(s),
    toolkit: median(phases.toolkit),
    afterDeploy: median(phases.afterDeploy),
    verify: median(phases.verify),
  };
}

function benchColdStart(): { list: number; node: number } {
  const env = { ...process.env, BREAKFIX_HOME: mkdtempSync(join(tmpdir(), 'breakfix-bench-cold-')) };
  const spawnMs = (args: string[]) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, env, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  spawnMs([BIN, 'list']);
  spawnMs(['-e', '0']);
  const list: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < RUNS.cold; i++) {
    list.push(spawnMs([BIN, 'list']));
    node.push(spawnMs(['-e', '0']));
  }
  rmSync(env.BREAKFIX_HOME, { recursive: true, force: true });
  return { list: median(list), node: median(node) };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map(
      (r, j) =>
        r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   ') +
        (j === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('   ')}` : ''),
    )
    .join('\n');
}

async function run(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'breakfix-bench-'));
  process.env.BREAKFIX_HOME = home;
  process.env.BREAKFIX_PROGRESS = 'off';
  let emu: RunningEmulator | undefined;
  try {
    process.stderr.write('breakfix bench: starting moto\n');
    emu = await startEmulator({ record: false });
    const target: Target = { kind: 'moto', region: 'us-east-1', endpoint: emu.endpoint };

    process.stderr.write(`(b) deploy: ${RUNS.deploy} runs each\n`);
    const deploy = await benchDeploy(target);

    process.stderr.write(`(a) check: ${RUNS.check} runs each\n`);
    const scenario = SCENARIOS.find((s) => s.id === SCENARIO_ID)!;
    await deployScenario(
      scenario,
      makeContext({ scenario, target, variant: chooseVariant(scenario.meta, 'moto', {}), clients: new AwsClients(target) }),
    );
    const check = await benchCheck(target);

    process.stderr.write(`(c) cold start: ${RUNS.cold} runs each\n`);
    const cold = benchColdStart();

    process.stderr.write(`(e) CLI processes: ${RUNS.cli} runs each (deploy/reset: ${RUNS.cliDeploy})\n`);
    const cli = await benchCli(target, BIN, { command: RUNS.cli, deploy: RUNS.cliDeploy });

    const ms = (x: number) => `${x.toFixed(0)} ms`;
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    const verdict = (r: number, goal?: number) => (goal === undefined ? 'report' : r <= goal ? 'meets goal' : 'over goal');
    const rows = [
      ['measure (medians)', 'breakfix', 'baseline', 'ratio', 'goal', ''],
      [
        `(a) check ${SCENARIO_ID} in-process vs its ${check.calls} describe calls all in parallel`,
        ms(check.breakfix),
        ms(check.baseline),
        ratio(check.breakfix, check.baseline),
        '<= 1.5',
        verdict(check.breakfix / check.baseline, 1.5),
      ],
      [
        '(b) deploy (synth, CreateStack, seed, verify armed) vs raw CreateStack of the same template',
        ms(deploy.breakfix),
        ms(deploy.baseline),
        ratio(deploy.breakfix, deploy.baseline),
        '<= 1.3',
        verdict(deploy.breakfix / deploy.baseline, 1.3),
      ],
      ['    in it: CDK toolkit (synth, CreateStack, wait)', ms(deploy.toolkit), '', '', '', 'report'],
      ['    in it: post-deploy steps (seed the image)', ms(deploy.afterDeploy), '', '', '', 'report'],
      ['    in it: verify armed, bookkeeping', ms(deploy.verify), '', '', '', 'report'],
      ['    for scale: synthesizing the template alone', ms(deploy.synth), '', '', '', 'report'],
      [
        '(c) cold start `node dist/bin/breakfix.js list` vs `node -e 0`',
        ms(cold.list),
        ms(cold.node),
        ratio(cold.list, cold.node),
        '',
        'report',
      ],
      ...cliTableRows(cli),
    ];
    process.stdout.write(
      `\nbreakfix benchmarks: moto at ${emu.endpoint}, node ${process.version}, ${RUNS.check}/${RUNS.deploy}/${RUNS.cold} runs for a/b/c\n\n${table(rows)}\n\nBenchmarks report; they do not fail on goals.\n`,
    );
  } catch (err) {
    // moto answers a crash with an HTML page; its log says what broke.
    if (emu)
      process.stderr.write(
        `moto log (${emu.logFile}), last lines:\n${readFileSync(emu.logFile, 'utf8').split('\n').slice(-40).join('\n')}\n`,
      );
    throw err;
  } finally {
    await emu?.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

run().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error)?.stack ?? err}\n`);
  process.exitCode = 1;
});
