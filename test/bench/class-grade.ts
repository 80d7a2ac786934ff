/**
 * Bench (d): `class grade` of 50 learners x every scenario on moto, divided
 * by grading one learner x every scenario (goal <= 3), with the SDK calls of
 * each round by operation; and a round of 100 learners on one emulator
 * against the dashboard's default interval, projected from the class's
 * measured cells per second (deploying 400 labs here takes over an hour, so
 * the 100-learner round is not graded for real). Its own moto, its own
 * BREAKFIX_HOME. run.ts imports this module; it then runs after run.ts's
 * benchmarks finish (on beforeExit), or at once when run on its own:
 *   node dist/test/bench/class-grade.js
 * BENCH_CLASS_LEARNERS changes the class size; BENCH_RUNS scales the runs.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdtempSync, rmSync } from 'node:fs';
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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gradeClass } from '../../lib/class/grade';
import { DEFAULT_INTERVAL_MS } from '../../lib/class/server';
import { mapWithLimit } from '../../lib/core/pool';
import { parseRoster, Roster } from '../../lib/class/roster';
import { makeContext } from '../../lib/ops/context';
import { deployScenario } from '../../lib/ops/deploy';
import { chooseVariant } from '../../lib/scenario/naming';
import { AwsClients } from '../../lib/targets/clients';
import { RunningEmulator, startEmulator } from '../../lib/targets/moto/server';
import type { Target } from '../../lib/targets/target';
import { SCENARIOS } from '../support/catalog';
import { median, time } from './measure';

const LEARNERS = Math.max(2, Number(process.env.BENCH_CLASS_LEARNERS ?? '50'));
const scale = Math.max(1, Number(process.env.BENCH_RUNS ?? '1'));
const RUNS = { one: 7 * scale, class: 3 * scale };
/** Labs deployed at once while setting up the class (setup is not measured). */
const DEPLOY_CONCURRENCY = 3;

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

/** Every SDK call (with its input) one class grade sends, through GradeOptions.onClients. */
async function recordClassCalls(roster: Roster): Promise<RecordedCall[]> {
  const calls: RecordedCall[] = [];
  await gradeClass(roster, SCENARIOS, {
    onClients: (clients) => {
      for (const service of Object.keys(SDK_MODULES) as ServiceName[]) {
        (clients[service] as unknown as { middlewareStack: { add(mw: unknown, o: unknown): void } }).middlewareStack.add(
          (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: unknown }) => {
            calls.push({ service, command: context.commandName!, input: structuredClone(args.input) });
            return next(args);
          },
          { step: 'initialize', name: 'benchClassRecorder' },
        );
      }
    },
  });
  return calls;
}

/** The recorded calls sent straight from one set of clients, `limit` at a time: what moto alone costs. */
async function replay(target: Target, calls: readonly RecordedCall[], limit: number): Promise<void> {
  const clients = new AwsClients(target);
  try {
    await mapWithLimit(calls, limit, async (c) => {
      const Ctor = SDK_MODULES[c.service][c.command] as new (input: unknown) => never;
      await (clients[c.service] as unknown as { send(cmd: unknown): Promise<unknown> }).send(new Ctor(c.input)).catch(() => undefined);
    });
  } finally {
    clients.destroy();
  }
}

const learnerName = (i: number) => `l${String(i).padStart(2, '0')}`;
const rosterOf = (endpoint: string, names: string[]): Roster =>
  parseRoster('bench', { learners: names.map((name) => ({ name, target: 'moto', endpoint })) });

export interface ClassGradeBench {
  readonly learners: number;
  readonly scenarios: number;
  readonly one: number;
  readonly class: number;
  readonly cellsPerSecond: number;
  readonly fixedCells: number;
  readonly setupMs: number;
  /** The same SDK calls as one class grade, sent directly with the same concurrency. */
  readonly replay: number;
  readonly calls: number;
  readonly oneCalls: number;
  /** Calls per `service:Operation`, most first: the class round's and one learner's. */
  readonly byOperation: readonly { op: string; class: number; one: number }[];
}

function countByOperation(calls: readonly RecordedCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of calls) {
    const op = `${c.service}:${c.command.replace(/Command$/, '')}`;
    counts.set(op, (counts.get(op) ?? 0) + 1);
  }
  return counts;
}

export async function benchClassGrade(): Promise<ClassGradeBench> {
  const home = mkdtempSync(join(tmpdir(), 'breakfix-bench-class-'));
  const prevHome = process.env.BREAKFIX_HOME;
  process.env.BREAKFIX_HOME = home;
  process.env.BREAKFIX_PROGRESS = 'off';
  let emu: RunningEmulator | undefined;
  try {
    emu = await startEmulator({ record: false });
    const target: Target = { kind: 'moto', region: 'us-east-1', endpoint: emu.endpoint };
    const names = Array.from({ length: LEARNERS }, (_, i) => learnerName(i + 1));
    const jobs = names.flatMap((learner) => SCENARIOS.map((scenario) => ({ learner, scenario })));
    process.stderr.write(`(d) class grade: deploying ${jobs.length} labs (${LEARNERS} learners x ${SCENARIOS.length} scenarios) on moto\n`);
    // The CDK toolkit reads the target from process.env (deploy sets it and restores it after). With
    // several deploys in flight, one's restore must not pull the endpoint from under another: point
    // the whole process at this moto while setting up.
    const envKeys = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_DEFAULT_REGION'] as const;
    const savedEnv = Object.fromEntries(envKeys.map((k) => [k, process.env[k]]));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: emu.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: target.region,
      AWS_DEFAULT_REGION: target.region,
    });
    const t0 = Date.now();
    let done = 0;
    await mapWithLimit(jobs, DEPLOY_CONCURRENCY, async ({ learner, scenario }) => {
      const clients = new AwsClients(target);
      try {
        const variant = chooseVariant(scenario.meta, 'moto', { learner });
        await deployScenario(scenario, makeContext({ scenario, target, learner, variant, clients }));
      } finally {
        clients.destroy();
      }
      if (++done % 25 === 0) process.stderr.write(`  ${done}/${jobs.length} labs deployed (${((Date.now() - t0) / 1000).toFixed(0)}s)\n`);
    });
    const setupMs = Date.now() - t0;
    for (const k of envKeys) {
      if (savedEnv[k] === undefined) delete process.env[k];
      else process.env[k] = savedEnv[k];
    }
    const one = rosterOf(emu.endpoint, [names[0]]);
    const all = rosterOf(emu.endpoint, names);
    const gradeOne = () => gradeClass(one, SCENARIOS);
    const gradeAll = () => gradeClass(all, SCENARIOS);
    await gradeOne();
    const warm = await gradeAll();
    const bad = warm.cells.filter((c) => c.status === 'error' || c.status === 'not-deployed');
    if (bad.length)
      throw new Error(
        `class grading should see every lab, but ${bad.length} cells are ${bad[0].status}: ${bad[0].learner}/${bad[0].scenario}: ${bad[0].message}`,
      );
    const calls = await recordClassCalls(all);
    const oneRecorded = await recordClassCalls(one);
    const oneCalls = oneRecorded.length;
    const classOps = countByOperation(calls);
    const oneOps = countByOperation(oneRecorded);
    const byOperation = [...new Set([...classOps.keys(), ...oneOps.keys()])]
      .map((op) => ({ op, class: classOps.get(op) ?? 0, one: oneOps.get(op) ?? 0 }))
      .sort((x, y) => y.class - x.class || x.op.localeCompare(y.op));
    const a: number[] = [];
    const b: number[] = [];
    const r: number[] = [];
    for (let i = 0; i < RUNS.class; i++) {
      // Interleaved, so drift on a shared machine hits every side alike.
      b.push(await time(gradeAll));
      r.push(await time(() => replay(target, calls, 8)));
      for (let j = 0; j < Math.ceil(RUNS.one / RUNS.class); j++) a.push(await time(gradeOne));
      process.stderr.write(
        `  class run ${i + 1}/${RUNS.class}: ${b[i].toFixed(0)} ms for ${jobs.length} cells; the same ${calls.length} calls sent directly ${r[i].toFixed(0)} ms\n`,
      );
    }
    const cls = median(b);
    return {
      learners: LEARNERS,
      scenarios: SCENARIOS.length,
      one: median(a),
      class: cls,
      cellsPerSecond: jobs.length / (cls / 1000),
      fixedCells: warm.counts.fixed,
      setupMs,
      replay: median(r),
      calls: calls.length,
      oneCalls,
      byOperation,
    };
  } finally {
    await emu?.stop();
    rmSync(home, { recursive: true, force: true });
    if (prevHome === undefined) delete process.env.BREAKFIX_HOME;
    else process.env.BREAKFIX_HOME = prevHome;
  }
}

export function formatClassGradeBench(r: ClassGradeBench): string {
  const ratio = r.class / r.one;
  const hundred = (100 * r.scenarios) / r.cellsPerSecond; // seconds
  const opWidth = Math.max(...r.byOperation.map((o) => o.op.length));
  return [
    '',
    `(d) class grade on moto: ${r.learners} learners x ${r.scenarios} scenarios (concurrency 8) vs 1 learner x ${r.scenarios} scenarios, medians`,
    `    class ${r.class.toFixed(0)} ms, one learner ${r.one.toFixed(0)} ms, ratio ${ratio.toFixed(2)} (goal <= 3: ${ratio <= 3 ? 'meets goal' : 'over goal'})`,
    `    ${r.cellsPerSecond.toFixed(1)} cells/s; setup (deploying ${r.learners * r.scenarios} labs, not measured) took ${(r.setupMs / 1000).toFixed(0)} s`,
    `    where the time goes: the class sends ${r.calls} SDK calls (one learner ${r.oneCalls}); the same ${r.calls} calls sent directly, 8 at a time, take ${r.replay.toFixed(0)} ms,`,
    `    so class grade / its own calls replayed = ${(r.class / r.replay).toFixed(2)}: the rest of the ratio is the emulator answering ${(r.calls / (r.replay / 1000)).toFixed(0)} calls/s`,
    `    SDK calls per round by operation (class of ${r.learners} / one learner):`,
    ...r.byOperation.map((o) => `      ${o.op.padEnd(opWidth)}  ${String(o.class).padStart(5)}  ${String(o.one).padStart(4)}`),
    `    100 learners x ${r.scenarios} scenarios on one emulator, projected at ${r.cellsPerSecond.toFixed(1)} cells/s: ${hundred.toFixed(1)} s per round,`,
    `    ${(hundred / (DEFAULT_INTERVAL_MS / 1000)).toFixed(2)} x the dashboard's default interval of ${DEFAULT_INTERVAL_MS / 1000} s (goal <= 1: ${hundred * 1000 <= DEFAULT_INTERVAL_MS ? 'meets goal' : 'over goal'})`,
    '',
  ].join('\n');
}

async function runAndPrint(): Promise<void> {
  try {
    process.stdout.write(formatClassGradeBench(await benchClassGrade()));
  } catch (err) {
    process.stderr.write(`class-grade bench failed: ${(err as Error)?.stack ?? err}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  void runAndPrint();
} else {
  // Imported by run.ts: run once its own benchmarks are done and the event loop drains.
  let started = false;
  process.on('beforeExit', () => {
    if (started || process.exitCode) return;
    started = true;
    void runAndPrint();
  });
}
