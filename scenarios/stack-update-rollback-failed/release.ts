import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { addScenarioStack } from '../../lib/app/build-app';
import type { ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';
import { LOG_GROUP_LOGICAL_ID, RELEASE_RETENTION_DAYS } from './lab';

/**
 * The release the pipeline ships: the deployed template, synthesized exactly
 * as `breakfix deploy` synthesized it, with the API log group's retention
 * raised. JSON, which every target accepts as a template body.
 *
 * The CDK toolkit synthesizes with path metadata on (its default), so this
 * does too: otherwise every resource's Metadata would differ and the
 * release would touch the orders table as well.
 */
export function releaseTemplate(scenario: ScenarioDefinition, ctx: ScenarioContext): string {
  const outdir = mkdtempSync(join(tmpdir(), 'breakfix-release-'));
  try {
    const app = new App({ outdir, context: { [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true } });
    addScenarioStack(app, { scenario, learner: ctx.learner, variant: ctx.variant, targetKind: ctx.target.kind, region: ctx.target.region });
    const template = app.synth().getStackByName(ctx.stackName).template as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    template.Resources[LOG_GROUP_LOGICAL_ID].Properties.RetentionInDays = RELEASE_RETENTION_DAYS;
    return JSON.stringify(template);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
