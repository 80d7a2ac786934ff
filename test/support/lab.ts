import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';
import { AwsClients, AwsClientsOptions } from '../../lib/targets/clients';
import type { Target } from '../../lib/targets/target';
import { makeContext } from '../../lib/ops/context';
import { chooseVariant } from '../../lib/scenario/naming';

const run = promisify(execFile);

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
