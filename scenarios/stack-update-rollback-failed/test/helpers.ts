import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CheckReport, CriterionResult } from '../../../checkers/criterion';
import type { ScenarioContext, ScenarioDefinition } from '../../../lib/scenario/types';
import { makeContext } from '../../../lib/ops/context';
import { AwsClients, AwsClientsOptions } from '../../../lib/targets/clients';
import type { Target } from '../../../lib/targets/target';

const run = promisify(execFile);

/** A lab context on a test moto, built the way the CLI builds it. */
export function motoContext(scenario: ScenarioDefinition, endpoint: string, clientOptions?: AwsClientsOptions): ScenarioContext {
  const target: Target = { kind: 'moto', region: 'us-east-1', endpoint };
  return makeContext({ scenario, target, variant: scenario.meta.variants[0].id, clients: new AwsClients(target, clientOptions) });
}

/** Keeps the progress store of deploy/reset out of the user's home. */
export function isolateBreakfixHome(): void {
  process.env.BREAKFIX_HOME = mkdtempSync(join(tmpdir(), 'breakfix-rollback-home-'));
}

/** The AWS CLI against the emulator, as a learner would type it; parsed JSON output. */
export async function awsCli(endpoint: string, args: string[]): Promise<any> {
  const { stdout } = await run('aws', ['--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json', ...args], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

export function criterion(report: CheckReport, id: string): CriterionResult {
  const found = report.criteria.find((c) => c.id === id);
  if (!found) throw new Error(`report has no criterion ${id}`);
  return found;
}

export const failing = (report: CheckReport): string[] =>
  report.criteria.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id);
