#!/usr/bin/env node
/**
 * The CDK app: one stack per scenario, stack name = scenario ID.
 * `npx cdk deploy <id>` works against a sandbox account, or an emulator when
 * AWS_ENDPOINT_URL is set (BREAKFIX_TARGET names its flavour; default moto).
 * BREAKFIX_LEARNER and BREAKFIX_VARIANT mirror the CLI's --learner and --variant.
 */
import { App } from 'aws-cdk-lib';
import { addScenarioStack } from '../lib/app/build-app';
import { targetKindFromEnv } from '../lib/targets/resolve';
import { SCENARIOS } from '../scenarios';

const app = new App();
const targetKind = targetKindFromEnv(process.env);
for (const scenario of SCENARIOS) {
  addScenarioStack(app, {
    scenario,
    targetKind,
    learner: process.env.BREAKFIX_LEARNER || undefined,
    variant: process.env.BREAKFIX_VARIANT || undefined,
    region: process.env.CDK_DEFAULT_REGION,
    account: process.env.CDK_DEFAULT_ACCOUNT,
  });
}
app.synth();
