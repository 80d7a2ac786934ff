#!/usr/bin/env node
/**
 * The CDK app: one stack per scenario, stack name = scenario ID.
 * `npx cdk deploy <id>` works against a sandbox account, or an emulator when
 * AWS_ENDPOINT_URL is set (BREAKFIX_TARGET names its flavour; default moto).
 * BREAKFIX_LEARNER and BREAKFIX_VARIANT mirror the CLI's --learner and --variant.
 */
import { App } from 'aws-cdk-lib';
import { addScenarioStacks } from '../lib/app/build-app';
import { scenarioCatalog } from './catalog';

const app = new App();
addScenarioStacks(app, scenarioCatalog({ eager: true }), process.env);
app.synth();
