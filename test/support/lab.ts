import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';
import { AwsClients, AwsClientsOptions } from '../../lib/targets/clients';
import type { Target } from '../../lib/targets/target';
import { makeContext } from '../../lib/ops/context';
import { deployScenario } from '../../lib/ops/deploy';
import { toolkitDeploy } from '../../lib/ops/toolkit';
import { chooseVariant } from '../../lib/scenario/naming';
import { startTestMoto, TestMoto } from './moto';

const run = promisify(execFile);

/** Starting moto and deploying a lab take minutes on a busy machine; the hooks that do it may take this long. */
const SETUP_TIMEOUT_MS = 10 * 60_000;

/** A lab context on a test moto, as the CLI would build it. */
export function labContext(
  scenario: ScenarioDefinition,
  endpoint: string,
  opts: { learner?: string; variant?: string; clientOptions?: AwsClientsOptions } = {},
): ScenarioContext {
  const target: Target = { kind: 'moto', region: 'us-east-1', endpoint };
  const variant = opts.variant ?? chooseVariant(scenario.meta, 'moto', { learner: opts.learner });
  return makeContext({ scenario, target, learner: opts.learner, variant, clients: new AwsClients(target, opts.clientOptions) });
}

/** Keeps a test's progress store out of the user's home. */
export function isolateBreakfixHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'breakfix-home-'));
  process.env.BREAKFIX_HOME = home;
  return home;
}

/** Runs the AWS CLI against the emulator, as a learner would; returns parsed JSON output. */
export async function awsCli(endpoint: string, args: string[]): Promise<any> {
  const { stdout } = await run('aws', ['--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json', ...args], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

/** A test file's own moto and progress store, started before its tests and stopped after them. */
export interface MotoHandle {
  readonly moto: TestMoto;
  readonly endpoint: string;
}

/** A value set in beforeAll, read in tests: reading it earlier is a mistake in the test file. */
function late<T>(what: string): { set(v: T): void; get(): T } {
  let value: T | undefined;
  return {
    set: (v) => void (value = v),
    get: () => {
      if (value === undefined) throw new Error(`${what} is read before beforeAll has set it up.`);
      return value;
    },
  };
}

/** Starts a private moto (and an isolated BREAKFIX_HOME) for the test file or describe block it is called in. */
export function useMoto(opts: { stock?: boolean } = {}): MotoHandle {
  const moto = late<TestMoto>('the test moto');
  beforeAll(async () => {
    isolateBreakfixHome();
    moto.set(await startTestMoto(opts));
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    try {
      await moto.get().stop();
    } catch {
      // never started: beforeAll already failed and said why
    }
  }, SETUP_TIMEOUT_MS);
  return {
    get moto() {
      return moto.get();
    },
    get endpoint() {
      return moto.get().endpoint;
    },
  };
}

export interface LabOptions {
  readonly variant?: string;
  readonly learner?: string;
  readonly clientOptions?: AwsClientsOptions;
  /** Deploy (and arm) the lab in beforeAll. @default true */
  readonly deploy?: boolean;
  /** Share a moto the file already started; default: start one for this lab. */
  readonly moto?: MotoHandle;
}

export interface Lab extends MotoHandle {
  /** The lab's context, as the CLI builds it: its target, clients, stack name and variant. */
  readonly ctx: ScenarioContext;
}

/**
 * One deployed lab for a test file or describe block, instead of the same
 * beforeAll/afterAll in every scenario test: a moto of its own (or a shared
 * one), an isolated progress store, the lab's context and the deploy;
 * afterwards its clients are closed and its moto stopped.
 */
export function useLab(scenario: ScenarioDefinition, opts: LabOptions = {}): Lab {
  const handle = opts.moto ?? useMoto();
  const ctx = late<ScenarioContext>(`the ${scenario.id} lab`);
  beforeAll(async () => {
    ctx.set(labContext(scenario, handle.endpoint, opts));
    if (opts.deploy ?? true) await deployScenario(scenario, ctx.get());
  }, SETUP_TIMEOUT_MS);
  afterAll(() => {
    try {
      ctx.get().clients.destroy();
    } catch {
      // never built
    }
  });
  return {
    get ctx() {
      return ctx.get();
    },
    get moto() {
      return handle.moto;
    },
    get endpoint() {
      return handle.endpoint;
    },
  };
}

/**
 * `cdk deploy` of the lab's stack as a learner would run it after editing the
 * stack (or unedited): the plain CDK deploy, without breakfix's post-deploy steps.
 */
export function cdkDeploy(scenario: ScenarioDefinition, ctx: ScenarioContext, buildStack = scenario.buildStack): Promise<void> {
  return toolkitDeploy(
    {
      scenario: { ...scenario, buildStack },
      learner: ctx.learner,
      variant: ctx.variant,
      targetKind: ctx.target.kind,
      region: ctx.target.region,
    },
    ctx.target,
    ctx.stackName,
    () => undefined,
  );
}
