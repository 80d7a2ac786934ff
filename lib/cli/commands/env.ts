import type { CommandDeps, CommonOptions } from '../common';
import { prepareTarget } from '../common';
import { EXIT } from '../exit-codes';
import { EMULATOR_CREDENTIALS, isEmulator } from '../../targets/target';

export interface EnvOptions extends CommonOptions {
  readonly json?: boolean;
}

/** Single quotes keep a value literal in every POSIX shell; a quote inside is closed, escaped and reopened. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Prints the shell exports that point the `aws` CLI and any SDK at the
 * target, so `eval "$(breakfix env)"` makes plain `aws ...` commands reach
 * the lab. On the embedded emulator it starts one when none is running, so
 * the exports always name a live endpoint.
 */
export async function runEnv(opts: EnvOptions, deps: CommandDeps): Promise<number> {
  const { target } = await prepareTarget(opts, deps, { startEmbedded: true, progress: (m) => deps.io.err(m) });
  const set: Record<string, string> = { AWS_REGION: target.region, AWS_DEFAULT_REGION: target.region };
  const unset: string[] = [];
  if (isEmulator(target) && target.endpoint) {
    set.AWS_ENDPOINT_URL = target.endpoint;
    // Emulators accept any key; these never reach a real account.
    set.AWS_ACCESS_KEY_ID = EMULATOR_CREDENTIALS.accessKeyId;
    set.AWS_SECRET_ACCESS_KEY = EMULATOR_CREDENTIALS.secretAccessKey;
    unset.push('AWS_SESSION_TOKEN', 'AWS_PROFILE');
  } else {
    // Real AWS: the learner's own credentials stay; only an emulator endpoint must go.
    unset.push('AWS_ENDPOINT_URL');
  }
  if (opts.json) {
    deps.io.out(JSON.stringify({ target: target.kind, set, unset }));
    return EXIT.OK;
  }
  const where = target.endpoint ? `${target.kind} at ${target.endpoint}` : `real AWS in ${target.region}`;
  deps.io.out(`# breakfix: point the aws CLI and SDKs at ${where}. Use: eval "$(breakfix env)"`);
  for (const [k, v] of Object.entries(set)) deps.io.out(`export ${k}=${shellQuote(v)}`);
  if (unset.length) deps.io.out(`unset ${unset.join(' ')}`);
  return EXIT.OK;
}
