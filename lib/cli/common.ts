import type { Command } from 'commander';
import type { ScenarioDefinition } from '../scenario/types';
import type { Io } from './io';
import { UsageError } from '../core/errors';
import { learnerNameProblem } from '../scenario/naming';
import { resolveTarget } from '../targets/resolve';
import type { Target } from '../targets/target';
import { AwsClients } from '../targets/clients';
import { assertSandboxAccount } from '../targets/sandbox-guard';

/** Options every command accepts: where to act, and for whom. */
export interface CommonOptions {
  readonly target?: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly learner?: string;
  readonly account?: string;
  readonly debug?: boolean;
}

export interface CommandDeps {
  readonly io: Io;
  readonly scenarios: readonly ScenarioDefinition[];
  readonly env?: NodeJS.ProcessEnv;
  /** Where the running command acts, once known: main() words network errors by it. */
  readonly reached?: ReachedTarget;
}

export interface ReachedTarget {
  target?: Target;
  /** Where the endpoint came from: an option, the environment, or breakfix's embedded emulator. */
  endpointSource?: '--endpoint' | 'AWS_ENDPOINT_URL' | 'embedded' | 'default';
}

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--target <kind>', 'moto | floci | localstack | aws (default: the embedded moto emulator)')
    .option('--endpoint <url>', 'emulator endpoint (default: $AWS_ENDPOINT_URL, or the embedded emulator)')
    .option('--region <region>', 'AWS region (default: $AWS_REGION, us-east-1 on emulators)')
    .option('--learner <name>', "isolate this learner's lab: prefixes stack and resource names")
    .option('--account <ids>', 'sandbox account IDs allowed for --target aws (also $BREAKFIX_SANDBOX_ACCOUNTS)')
    .option('--debug', 'print stack traces on errors');
}

export function validateLearner(learner: string | undefined): string | undefined {
  if (learner === undefined) return undefined;
  const problem = learnerNameProblem(learner);
  if (problem) throw new UsageError('bad-learner-name', problem);
  return learner;
}

export interface PreparedTarget {
  readonly target: Target;
  readonly clients: AwsClients;
  readonly learner?: string;
}

/**
 * Resolves the target for a command. Commands that change infrastructure on
 * real AWS pass `mutating`, which enforces the sandbox allow-list.
 */
export async function prepareTarget(
  opts: CommonOptions,
  deps: CommandDeps,
  how: { startEmbedded?: boolean; mutating?: boolean; progress?: (m: string) => void } = {},
): Promise<PreparedTarget> {
  const learner = validateLearner(opts.learner);
  const target = await resolveTarget(opts, { startEmbedded: how.startEmbedded, env: deps.env, progress: how.progress });
  if (deps.reached) {
    deps.reached.target = target;
    deps.reached.endpointSource = target.embedded
      ? 'embedded'
      : opts.endpoint
        ? '--endpoint'
        : target.endpoint && (deps.env ?? process.env).AWS_ENDPOINT_URL
          ? 'AWS_ENDPOINT_URL'
          : 'default';
  }
  const clients = new AwsClients(target);
  if (target.kind === 'aws' && how.mutating) await assertSandboxAccount(clients, opts.account, deps.env);
  return { target, clients, learner };
}

export function parsePositiveInt(value: string, name: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError('bad-option', `${name} must be a positive whole number, not "${value}".`);
  return Number(value);
}

export function parsePort(value: string): number {
  const n = parsePositiveInt(value, '--port');
  if (n > 65535) throw new UsageError('bad-option', `--port must be at most 65535, not ${n}.`);
  return n;
}

/**
 * Real AWS only: asks before changing the account, unless --yes. Without a
 * person to ask, or on "no", it is a usage error naming --yes.
 */
export async function confirmOnRealAws(
  target: Target,
  yes: boolean | undefined,
  deps: CommandDeps,
  question: string,
  what: string,
): Promise<void> {
  if (target.kind !== 'aws' || yes) return;
  if (!deps.io.interactive || !(await deps.io.confirm(question)))
    throw new UsageError('needs-confirmation', `${what} on real AWS needs confirmation: pass --yes.`);
}
