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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gradeClass } from '../../lib/class/grade';
import { DEFAULT_INTERVAL_MS } from '../../lib/class/server';
import { mapWithLimit } from '../../lib/core/pool';
import { parseRoster, Roster } from '../../lib/class/roster';
import { makeContext } from '../../lib/ops/context';
import { deployScenario } from '../../lib/ops/deploy';
import { chooseVariant } from '../../lib/scenario/naming';
import { AwsClients, signingNameOf } from '../../lib/targets/clients';
import { RunningEmulator, startEmulator } from '../../lib/targets/moto/server';
import type { Target } from '../../lib/targets/target';
import { SCENARIOS } from '../support/catalog';
import { median, time } from './measure';

const LEARNERS = Math.max(2, Number(process.env.BENCH_CLASS_LEARNERS ?? '50'));
const scale = Math.max(1, Number(process.env.BENCH_RUNS ?? '1'));
const RUNS = { one: 7 * scale, class: 3 * scale };
/** Labs deployed at once while setting up the class (setup is not measured). */
const DEPLOY_CONCURRENCY = 3;

/** The class of an SDK client or command, to build another of the same kind when replaying. */
type Ctor = new (input: unknown) => unknown;
interface Sendable {
  send(command: unknown): Promise<unknown>;
}
interface RecordedCall {
  /** `service:Operation`, the service as IAM prefixes its actions (signing name). */
  readonly op: string;
  readonly clientClass: Ctor;
  readonly commandClass: Ctor;
  readonly input: unknown;
}

/**
 * Every SDK call (with its input) one class grade sends, of every service a gather reads (Lambda, SSM,
 * Secrets Manager and RDS included), through the clients' `customize` hook.
 */
async function recordClassCalls(roster: Roster): Promise<RecordedCall[]> {
  const calls: RecordedCall[] = [];
  await gradeClass(roster, SCENARIOS, {
    clientOptions: {
      customize: (client) => {
        const service = signingNameOf(client);
        const sendable = client as unknown as Sendable;
        const send = sendable.send.bind(client);
        sendable.send = (command: unknown, ...rest: unknown[]) => {
          const c = command as { constructor: Ctor; input: unknown };
          calls.push({
            op: `${service}:${c.constructor.name.replace(/Command$/, '')}`,
            clientClass: client.constructor as unknown as Ctor,
            commandClass: c.constructor,
            input: structuredClone(c.input),
          });
          return (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
        };
      },
    },
  });
  return calls;
}

/** The recorded calls sent straight from one set of clients, `limit` at a time: what moto alone costs. */
async function replay(target: Target, calls: readonly RecordedCall[], limit: number): Promise<void> {
  const clients = new AwsClients(target);
  try {
    await mapWithLimit(calls, limit, async (c) => {
      const client = clients.client(c.clientClass as never) as Sendable;
      await client.send(new c.commandClass(structuredClone(c.input))).catch(() => undefined);
    });
  } finally {
    clients.destroy();
  }
}

/**
 * Reads a round makes per lab because AWS has no account-wide (or cross-resource batch) read that answers
 * them, by `service:Operation`, each with the reason. Reads not named here either are account-wide
 * already (the read view) or have an account-wide or batch API a gather could use instead; the floor
 * counts those once per account. The list is of AWS's APIs, not of what a gather happens to call today.
 */
export const PER_LAB_ONLY: Readonly<Record<string, string>> = {
  'cloudformation:ListStackResources': "a stack's resources are listed per stack (DescribeStackResources too)",
  'cloudformation:GetTemplate': 'templates are read per stack',
  'cloudformation:GetStackPolicy': 'stack policies are read per stack',
  'cloudformation:DescribeStackEvents': 'events are listed per stack',
  'cloudformation:DescribeStacks': 'DescribeStacks by name, where a gather needs one stack fresh (the listing is account-wide)',
  's3:GetBucketPolicy': 'S3 bucket configuration is per bucket (ListBuckets gives names only)',
  's3:GetBucketAcl': 'S3 bucket configuration is per bucket',
  's3:GetPublicAccessBlock': 'S3 bucket configuration is per bucket',
  's3:GetBucketLifecycleConfiguration': 'S3 bucket configuration is per bucket',
  's3:GetBucketVersioning': 'S3 bucket configuration is per bucket',
  's3:ListObjectsV2': 'objects are listed per bucket',
  'ecs:DescribeServices': 'services are described per cluster (up to 10 of one cluster), and every lab has its own cluster',
  'ecs:ListTasks': 'tasks are listed per cluster',
  'ecs:DescribeTasks': 'tasks are described per cluster',
  'ecs:DescribeTaskDefinition': 'one task definition per call (ListTaskDefinitions gives ARNs only)',
  'ecr:DescribeImages': 'images are described per repository',
  'ecr:GetRepositoryPolicy': 'repository policies are read per repository',
  'dynamodb:DescribeTable': 'tables are described one at a time (ListTables gives names only)',
  'dynamodb:GetResourcePolicy': 'resource policies are read per table',
  'dynamodb:DescribeTimeToLive': 'time to live is read per table',
  'lambda:GetFunctionConcurrency': 'reserved concurrency is read per function',
  'secretsmanager:GetResourcePolicy': 'secret policies are read per secret',
  'secretsmanager:ListSecretVersionIds': 'versions are listed per secret',
  'iam:GetPolicy': "an AWS managed policy's metadata (once per view; GetAccountAuthorizationDetails would list all of them)",
  'iam:GetPolicyVersion': "an AWS managed policy's document (once per view, as above)",
  'elasticloadbalancing:DescribeTargetHealth': 'target health is read per target group',
};

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
  /**
   * The honest floor: the class round's calls if every read with an account-wide API were made once
   * (PER_LAB_ONLY stay per lab), times moto's measured cost per call in this run (the replay's ms per
   * call, 8 at a time), in ms, with no checker CPU at all.
   */
  readonly floorCalls: number;
  readonly floor: number;
}

function countByOperation(calls: readonly RecordedCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c.op, (counts.get(c.op) ?? 0) + 1);
  return counts;
}

/** The floor's calls: every per-lab-only read the class round made, and every other operation once per account. */
export function floorCalls(byOperation: readonly { op: string; class: number }[], accounts: number): number {
  return byOperation.reduce((sum, o) => sum + (PER_LAB_ONLY[o.op] ? o.class : Math.min(o.class, accounts)), 0);
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
      floorCalls: floorCalls(byOperation, 1),
      floor: (floorCalls(byOperation, 1) * median(r)) / calls.length,
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
    `    SDK calls per round by operation (class of ${r.learners} / one learner; * = per lab, AWS has no account-wide read):`,
    ...r.byOperation.map(
      (o) =>
        `      ${o.op.padEnd(opWidth)}  ${String(o.class).padStart(5)}  ${String(o.one).padStart(4)}${PER_LAB_ONLY[o.op] ? `  * ${PER_LAB_ONLY[o.op]}` : ''}`,
    ),
    `    floor: ${r.floorCalls} calls (the per-lab reads above, every other read once) x ${(r.replay / r.calls).toFixed(1)} ms per call measured here`,
    `    = ${r.floor.toFixed(0)} ms, ${(r.floor / r.one).toFixed(2)} x one learner: no class round on one emulator can be faster than that (goal <= 3: ${r.floor / r.one <= 3 ? 'reachable' : 'not reachable on one emulator'})`,
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
