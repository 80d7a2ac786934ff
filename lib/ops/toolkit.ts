import type * as ToolkitLib from '@aws-cdk/toolkit-lib';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { Target } from '../targets/target';
import { EMULATOR_CREDENTIALS, isEmulator, waitsOf } from '../targets/target';
import type { StackRequest } from '../app/build-app';
import type * as BuildApp from '../app/build-app';
import { EnvironmentError } from '../core/errors';
import { AwsClients } from '../targets/clients';
import { lookUpTemplate, storeTemplate, type TemplateRequest } from './template-cache';
import { deployPlainStack, readPlainStack } from './direct-deploy';

const TARGET_ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
] as const;
type SavedEnv = Record<(typeof TARGET_ENV_KEYS)[number], string | undefined>;

/** Points the process environment at the target; returns what it replaced. */
function pointEnvAt(target: Target): SavedEnv {
  const saved = Object.fromEntries(TARGET_ENV_KEYS.map((k) => [k, process.env[k]])) as SavedEnv;
  process.env.AWS_REGION = target.region;
  process.env.AWS_DEFAULT_REGION = target.region;
  if (isEmulator(target)) {
    process.env.AWS_ENDPOINT_URL = target.endpoint;
    process.env.AWS_ACCESS_KEY_ID = EMULATOR_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = EMULATOR_CREDENTIALS.secretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  } else {
    delete process.env.AWS_ENDPOINT_URL;
  }
  return saved;
}

function restoreEnv(saved: SavedEnv): void {
  for (const k of TARGET_ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
}

/**
 * The process environment is one per process. Runs for the same target share
 * it: the first sets it and the last restores it. A run for another target
 * waits until they are done. (Two labs deployed at once in one process, as
 * tests and benches do, otherwise had one run restore the environment while
 * the other was still deploying, which sent its calls to real AWS.)
 */
let envHolder: { key: string; count: number; saved: SavedEnv; released: Promise<void>; release: () => void } | undefined;

/**
 * Runs `fn` with the process environment pointed at the target, the way the
 * CDK toolkit and the AWS CLI read it. Restores the environment afterwards.
 */
export async function withTargetEnv<T>(target: Target, fn: () => Promise<T>): Promise<T> {
  const key = JSON.stringify([target.kind, target.region, isEmulator(target) ? target.endpoint : '']);
  while (envHolder && envHolder.key !== key) await envHolder.released;
  if (!envHolder) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    envHolder = { key, count: 0, saved: pointEnvAt(target), released, release };
  }
  const holder = envHolder;
  holder.count++;
  try {
    return await fn();
  } finally {
    if (--holder.count === 0) {
      restoreEnv(holder.saved);
      envHolder = undefined;
      holder.release();
    }
  }
}

const STACK_ACTIVITY = 'CDK_TOOLKIT_I5502';

/**
 * Synthesizes without aws-cdk-lib's default CloudFormation validation (a
 * WebAssembly rule engine: most of a CLI synthesis's CPU time, profiled at
 * 28 of 57 s under load). Its findings are warnings unless an app opts in to
 * failing on them, and deploy shows none of them. `CDK_VALIDATION=false` is
 * the switch the CDK CLI's `--no-validation` sets; the caller's value is restored.
 */
function withoutDefaultValidation<T>(synth: () => T): T {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    return synth();
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = saved;
  }
}

export interface ToolkitDeployOptions {
  /**
   * Reuse the synthesized template of an identical earlier request, and store
   * this one's (template-cache.ts). Only for the scenario's own stack: a
   * caller that swaps `buildStack` (a test deploying an edited stack) must
   * leave it off, since the key covers the scenario folder's code, not the
   * function passed in.
   * @default false
   */
  readonly templateCache?: boolean;
  /**
   * The CloudFormation client a cache hit deploys with (direct-deploy.ts).
   * @default one built for `target` and destroyed afterwards
   */
  readonly cloudformation?: CloudFormationClient;
}

/**
 * Deploys one scenario stack. A template-cache hit whose stack needs nothing
 * only the toolkit does (no assets, an inline-sized template) goes to
 * CloudFormation through the SDK (direct-deploy.ts), so the process never
 * loads `@aws-cdk/toolkit-lib`. Otherwise the CDK toolkit library deploys,
 * using the direct (non-change-set) method: change-set redeploys hang on
 * moto, and direct deployment behaves the same on every target.
 */
export async function toolkitDeploy(
  req: StackRequest,
  target: Target,
  stackName: string,
  progress: (m: string) => void,
  opts: ToolkitDeployOptions = {},
): Promise<void> {
  const cacheReq: TemplateRequest | undefined =
    opts.templateCache && req.variant !== undefined
      ? {
          scenario: req.scenario,
          variant: req.variant,
          learner: req.learner,
          targetKind: req.targetKind,
          region: req.region,
          account: req.account,
        }
      : undefined;
  const cached = cacheReq ? lookUpTemplate(cacheReq) : undefined;
  const plain = cached?.hit ? readPlainStack(cached.dir, stackName, target.region) : undefined;
  if (plain) {
    progress('Template unchanged since it was last synthesized; sending it to CloudFormation');
    const clients = opts.cloudformation ? undefined : new AwsClients(target);
    try {
      await deployPlainStack(opts.cloudformation ?? clients!.cloudformation, plain, { progress, ...deployWaits(target) });
    } finally {
      clients?.destroy();
    }
    return;
  }
  // Loaded only here: its start-up is most of what a cache hit saves.
  const { Toolkit, StackSelectionStrategy, ToolkitError } = require('@aws-cdk/toolkit-lib') as typeof ToolkitLib;
  await withTargetEnv(target, async () => {
    const toolkit = new Toolkit({
      color: false,
      emojis: false,
      ioHost: {
        notify: async (msg) => {
          if (msg.code === STACK_ACTIVITY) progress(String(msg.message).replace(/\s+/g, ' ').trim());
        },
        requestResponse: async (msg) => msg.defaultResponse,
      },
    });
    const source = cached?.hit
      ? await toolkit.fromAssemblyDirectory(cached.dir)
      : await toolkit.fromAssemblyBuilder(async (props) => {
          // Synthesis is the slow, silent part on an emulator (moto creates resources in milliseconds): say it is happening.
          progress('Synthesizing the CloudFormation template');
          // aws-cdk-lib takes seconds to load: only a synthesis pays for it, a cache hit never does.
          const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
          const { addScenarioStack } = require('../app/build-app') as typeof BuildApp;
          const app = new App({ outdir: props.outdir, context: props.context });
          addScenarioStack(app, req);
          const assembly = withoutDefaultValidation(() => app.synth());
          if (cached && cacheReq) {
            try {
              storeTemplate(assembly.directory, cached.dir, { ...cacheReq, scenario: cacheReq.scenario.id });
            } catch (err) {
              progress(`Could not keep the template for next time (${(err as Error).message}); deploying anyway`);
            }
          }
          progress('Template ready; sending it to CloudFormation');
          return assembly;
        });
    if (cached?.hit) progress('Template unchanged since it was last synthesized; sending it to CloudFormation');
    try {
      await toolkit.deploy(source, {
        stacks: { strategy: StackSelectionStrategy.PATTERN_MUST_MATCH_SINGLE, patterns: [stackName] },
        deploymentMethod: { method: 'direct' },
        forceDeployment: false,
      });
    } catch (err) {
      // A stack that ended in a failed state is the environment's doing, on either path; the toolkit's sentence says which.
      if (ToolkitError.isDeploymentError(err)) throw new EnvironmentError('stack-deploy-failed', (err as Error).message, err);
      throw err;
    }
  });
}

/** How long and how often a deploy waits on CloudFormation: the target's stack waits. */
function deployWaits(target: Target): { pollMs: number; timeoutMs: number } {
  const waits = waitsOf(target);
  return { pollMs: waits.pollMs, timeoutMs: waits.stackMs };
}
