#!/usr/bin/env node
/**
 * The CDK app: one stack per scenario, stack name = scenario ID.
 * `npx cdk deploy <id>` works against an allow-listed sandbox account
 * (BREAKFIX_SANDBOX_ACCOUNTS), or an emulator when AWS_ENDPOINT_URL is set
 * (BREAKFIX_TARGET names its flavour; default moto). BREAKFIX_LEARNER and
 * BREAKFIX_VARIANT mirror the CLI's --learner and --variant.
 */
import { App } from 'aws-cdk-lib';
import { addScenarioStacks, cdkAppSettings } from '../lib/app/build-app';
import { BreakfixError } from '../lib/core/errors';
import { exitCodeFor } from '../lib/cli/exit-codes';
import { scenarioCatalog } from './catalog';

const say = (line: string): void => void process.stderr.write(`${line}\n`);

try {
  cdkAppSettings(process.env); // refuses before the scenarios load: nothing is built for an account not allowed
  const app = new App();
  addScenarioStacks(app, scenarioCatalog({ eager: true }), process.env, say);
  app.synth();
} catch (err) {
  // A refusal is one sentence and an exit code, as from the breakfix CLI; anything else is a bug with its trace.
  if (!(err instanceof BreakfixError)) throw err;
  say(`breakfix: ${err.message}`);
  process.exitCode = exitCodeFor(err.fault);
}
