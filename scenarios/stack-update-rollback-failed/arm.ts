/**
 * What `breakfix deploy` and `reset` do after the CDK deploy: seed the orders,
 * record which stack is production, and replay the incident. A clean-up
 * script deletes the API's log group outside CloudFormation; then a release
 * raises the log group's retention. The update fails because the log group
 * is gone, and the rollback fails for the same reason: UPDATE_ROLLBACK_FAILED.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as cdk from 'aws-cdk-lib';
import type * as cdkCxapi from 'aws-cdk-lib/cx-api';
import { UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand, ListTagsOfResourceCommand, PutItemCommand, TagResourceCommand } from '@aws-sdk/client-dynamodb';
import type * as buildApp from '../../lib/app/build-app';
import type { ArmedResult, ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';
import { EnvironmentError } from '../../lib/core/errors';
import { pollUntil } from '../../lib/core/poll';
import { describeStack } from '../../lib/engines/cfn/stack-state';
import { waitForStackToSettle } from '../../lib/engines/cfn/stack-events';
import { waitsOf } from '../../lib/targets/target';
import { NOT_FOUND, ignoring } from '../../lib/toolkit/aws-errors';
import { ARMED_STACK_TAG, LOG_GROUP_LOGICAL_ID, ORDERS, RELEASE_RETENTION_DAYS, logGroupName, orderItem, tableName } from './lab';
import { RollbackLabSnapshot, gatherRollbackLab, rollbackFailures } from './gather';

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
  // aws-cdk-lib loads here, not with the module: check and status load arm.ts too.
  const { App } = require('aws-cdk-lib') as typeof cdk;
  const cxapi = require('aws-cdk-lib/cx-api') as typeof cdkCxapi;
  const { addScenarioStack } = require('../../lib/app/build-app') as typeof buildApp;
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

/** DynamoDB applies tags asynchronously; the checker must not find the table unmarked. */
async function waitForArmedRecord(ctx: ScenarioContext, tableArn: string, stackId: string): Promise<void> {
  const waits = waitsOf(ctx.target);
  await pollUntil(
    async () => (await ctx.clients.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: tableArn }))).Tags ?? [],
    (tags) => tags.some((t) => t.Key === ARMED_STACK_TAG && t.Value === stackId),
    {
      pollMs: waits.pollMs,
      timeoutMs: waits.resourceMs,
      timedOut: () => new EnvironmentError('wait-timed-out', `DynamoDB did not show tag ${ARMED_STACK_TAG} on ${tableArn} in time.`),
    },
  );
}

export async function armRollbackFailure(scenario: ScenarioDefinition, ctx: ScenarioContext): Promise<void> {
  const { cloudformation: cfn, dynamodb, logs } = ctx.clients;
  const stack = await describeStack(cfn, ctx.stackName);
  if (!stack) throw new EnvironmentError('arming-failed', `Stack ${ctx.stackName} is missing right after deploy.`);
  const table = tableName(ctx.stackName);

  ctx.progress(`Seeding ${ORDERS.length} orders into ${table}`);
  for (const order of ORDERS) await dynamodb.send(new PutItemCommand({ TableName: table, Item: orderItem(order) }));
  const described = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
  const tableArn = described.Table!.TableArn!;
  await dynamodb.send(new TagResourceCommand({ ResourceArn: tableArn, Tags: [{ Key: ARMED_STACK_TAG, Value: stack.stackId }] }));
  await waitForArmedRecord(ctx, tableArn, stack.stackId);

  ctx.progress(`Deleting log group ${logGroupName(ctx.stackName)} outside CloudFormation`);
  await ignoring(NOT_FOUND.resource, logs.send(new DeleteLogGroupCommand({ logGroupName: logGroupName(ctx.stackName) })));

  ctx.progress(`Updating ${ctx.stackName}: ${LOG_GROUP_LOGICAL_ID} retention to ${RELEASE_RETENTION_DAYS} days`);
  await cfn.send(new UpdateStackCommand({ StackName: stack.stackId, TemplateBody: releaseTemplate(scenario, ctx) }));
  const waits = waitsOf(ctx.target);
  await waitForStackToSettle(cfn, stack.stackId, { pollMs: waits.pollMs, timeoutMs: waits.stackMs, progress: ctx.progress });
}

/** The lab is armed when the stack is stuck and the log group's rollback is what failed. */
export function armedFrom(s: RollbackLabSnapshot): ArmedResult {
  const facts: string[] = [];
  if (!s.stack) return { armed: false, facts: [`Stack ${s.stackName} does not exist.`] };
  if (s.stack.status !== 'UPDATE_ROLLBACK_FAILED') {
    return { armed: false, facts: [`Stack ${s.stackName} is ${s.stack.status}, not UPDATE_ROLLBACK_FAILED.`] };
  }
  facts.push(`Stack ${s.stackName} is UPDATE_ROLLBACK_FAILED${s.stack.statusReason ? `: ${s.stack.statusReason}` : '.'}`);
  const failed = rollbackFailures(s).find((e) => e.logicalId === LOG_GROUP_LOGICAL_ID);
  if (!failed) return { armed: false, facts: [...facts, `No UPDATE_FAILED event of ${LOG_GROUP_LOGICAL_ID} during the rollback.`] };
  facts.push(
    `${LOG_GROUP_LOGICAL_ID} (${failed.physicalId ?? logGroupName(s.stackName)}) UPDATE_FAILED while rolling back: ${failed.reason ?? 'no reason given'}`,
  );
  const intact = s.table.orders.filter((o) => o.intact).length;
  if (!s.table.exists || intact !== ORDERS.length || s.table.armedStackId !== s.stack.stackId) {
    return {
      armed: false,
      facts: [...facts, `Table ${s.table.name} does not hold the ${ORDERS.length} seeded orders recorded against this stack.`],
    };
  }
  facts.push(`Table ${s.table.name} holds ${intact} orders (DeletionPolicy Retain).`);
  return { armed: true, facts };
}

export async function verifyArmed(ctx: ScenarioContext): Promise<ArmedResult> {
  return armedFrom(await gatherRollbackLab(ctx));
}
