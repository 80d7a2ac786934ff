import { EnvironmentError, UsageError } from '../core/errors';
import { checkoutRoot, endpointAnswers, readRecords, startEmbeddedEmulator } from './moto/server';
import { TARGET_KINDS, Target, TargetKind } from './target';

export interface TargetOptions {
  readonly target?: string;
  readonly endpoint?: string;
  readonly region?: string;
}

export const DEFAULT_EMULATOR_REGION = 'us-east-1';
const FLOCI_LOCALSTACK_ENDPOINT = 'http://localhost:4566';

function parseKind(value: string | undefined): TargetKind | undefined {
  if (value === undefined || value === '') return undefined;
  if ((TARGET_KINDS as readonly string[]).includes(value)) return value as TargetKind;
  throw new UsageError('unknown-target', `Unknown target "${value}": use one of ${TARGET_KINDS.join(', ')}.`);
}

function normaliseEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError('bad-endpoint', `Endpoint "${value}" is not a URL (expected e.g. http://localhost:4566).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError('bad-endpoint', `Endpoint "${value}" must be http:// or https://.`);
  return url.origin;
}

/** The target kind the CDK app synthesizes for, from the environment. */
export function targetKindFromEnv(env: NodeJS.ProcessEnv): TargetKind {
  const named = parseKind(env.BREAKFIX_TARGET);
  if (named) return named;
  return env.AWS_ENDPOINT_URL ? 'moto' : 'aws';
}

export interface ResolveOptions {
  /** Start the embedded emulator when none is running (deploy does). */
  readonly startEmbedded?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly progress?: (message: string) => void;
}

/**
 * Decides where a command acts. The default is the embedded moto emulator,
 * never real AWS: real AWS needs an explicit `--target aws`.
 */
export async function resolveTarget(opts: TargetOptions, ro: ResolveOptions = {}): Promise<Target> {
  const env = ro.env ?? process.env;
  const kind = parseKind(opts.target);
  const endpointRaw = opts.endpoint ?? (kind === 'aws' ? undefined : env.AWS_ENDPOINT_URL || undefined);
  if (kind === 'aws') {
    if (opts.endpoint) throw new UsageError('bad-option', '--endpoint cannot be used with --target aws: real AWS has no custom endpoint.');
    const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) throw new UsageError('bad-option', '--target aws needs a region: pass --region or set AWS_REGION.');
    return { kind: 'aws', region };
  }
  const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? DEFAULT_EMULATOR_REGION;
  if (endpointRaw) {
    const endpoint = normaliseEndpoint(endpointRaw);
    // Name where the endpoint came from, so an unreachable one points at what to fix.
    const source = opts.endpoint ? '--endpoint' : 'AWS_ENDPOINT_URL';
    return { kind: kind ?? (await detectFlavour(endpoint, source)), region, endpoint };
  }
  if (kind === 'floci' || kind === 'localstack') {
    return { kind, region, endpoint: FLOCI_LOCALSTACK_ENDPOINT };
  }
  // The embedded emulator: reuse the one this checkout started, or start one.
  // Another checkout's emulator runs that checkout's fidelity module and holds its labs: never reuse it silently.
  const running = readRecords();
  const root = checkoutRoot();
  for (const rec of running.filter((r) => r.checkout === root)) {
    if (await endpointAnswers(rec.endpoint)) return { kind: 'moto', region, endpoint: rec.endpoint, embedded: true };
  }
  const foreign = running.find((r) => r.checkout !== root);
  if (!ro.startEmbedded) {
    throw new EnvironmentError(
      'no-emulator',
      foreign
        ? `No embedded emulator of this checkout (${root}) is running; the one at ${foreign.endpoint} belongs to ${foreign.checkout ? `another checkout (${foreign.checkout})` : 'an older breakfix'}, so breakfix does not use it: run \`breakfix deploy <id>\` (or \`breakfix emulator start\`) here first, or pass --endpoint ${foreign.endpoint} to use it on purpose.`
        : 'No embedded emulator is running, so nothing is deployed there: run `breakfix deploy <id>` (or `breakfix emulator start`) first, or pass --endpoint / --target.',
    );
  }
  ro.progress?.('Starting the embedded moto emulator');
  try {
    const { emulator, notice } = await startEmbeddedEmulator({ env });
    if (notice) ro.progress?.(notice);
    return { kind: 'moto', region, endpoint: emulator.endpoint, embedded: true };
  } catch (err) {
    throw new EnvironmentError('emulator-start-failed', (err as Error).message, err);
  }
}

/** Names an emulator that was given by endpoint only, by asking it. */
async function detectFlavour(endpoint: string, source: '--endpoint' | 'AWS_ENDPOINT_URL'): Promise<TargetKind> {
  if (await endpointAnswers(endpoint)) return 'moto';
  try {
    const res = await fetch(`${endpoint}/_localstack/health`, { signal: AbortSignal.timeout(1500) });
    if (res.ok) return 'localstack';
  } catch (err) {
    throw new EnvironmentError(
      'endpoint-unreachable',
      source === '--endpoint'
        ? `Endpoint ${endpoint} is unreachable (${(err as Error).cause ?? (err as Error).message}); start the emulator there or fix --endpoint.`
        : `Endpoint ${endpoint}, taken from AWS_ENDPOINT_URL, is unreachable (${(err as Error).cause ?? (err as Error).message}); start the emulator there, or unset AWS_ENDPOINT_URL to use the embedded emulator.`,
      err,
    );
  }
  throw new UsageError(
    'unknown-target',
    `Cannot tell which emulator answers at ${endpoint}; name it with --target floci, localstack or moto.`,
  );
}
