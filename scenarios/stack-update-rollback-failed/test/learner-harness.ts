/**
 * The learner-behaviour suite's only door into breakfix: starting moto,
 * building a lab context, deploy, check, reset and destroy. A refactor of
 * those entry points should touch this file and nothing else in the suite.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CheckReport } from '../../../checkers/criterion';
import type { ScenarioContext, ScenarioDefinition, Symptom } from '../../../lib/scenario/types';
import { checkScenario } from '../../../lib/ops/check';
import { deployScenario } from '../../../lib/ops/deploy';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import { startTestMoto, TestMoto } from '../../../test/support/moto';
import { awsCli, labContext } from '../../../test/support/lab';
import * as scenarioModule from '../index';

export type { TestMoto } from '../../../test/support/moto';

/** The scenario under test, whichever way index.ts exports it. */
export const scenario: ScenarioDefinition = (() => {
  const mod = scenarioModule as unknown as Record<string, unknown>;
  const candidates = [mod.default, ...Object.values(mod)];
  const found = candidates.find(
    (v): v is ScenarioDefinition => !!v && typeof v === 'object' && (v as ScenarioDefinition).id === 'stack-update-rollback-failed',
  );
  if (!found) throw new Error('scenarios/stack-update-rollback-failed/index.ts exports no scenario with that ID');
  return found;
})();

/** Variant IDs from scenario.json, in order. */
export const variants: string[] = scenario.meta.variants.map((v: { id: string }) => v.id);

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export function startMoto(): Promise<TestMoto> {
  return startTestMoto();
}

/** The `aws` CLI against the emulator, for account-wide listings that belong to no lab. */
export function awsOn(moto: TestMoto, args: string[]): Promise<any> {
  return awsCli(moto.endpoint, args);
}

/** One lab: a learner name of its own (so stacks never collide) and an explicit variant. */
export interface Lab {
  readonly ctx: ScenarioContext;
  readonly stackName: string;
  /** The `aws` CLI against this lab's emulator, JSON parsed. */
  aws(args: string[]): Promise<any>;
  /** SDK v3 clients a learner would build, pointed at this lab's emulator. */
  readonly sdk: { readonly cloudformation: CloudFormationClient; readonly logs: CloudWatchLogsClient; readonly dynamodb: DynamoDBClient };
  deploy(): Promise<void>;
  check(): Promise<CheckReport>;
  /** What `breakfix status` shows. */
  status(): Promise<Symptom>;
  reset(): Promise<void>;
  destroy(): Promise<void>;
}

export function lab(moto: TestMoto, learner: string, variant: string): Lab {
  const ctx = labContext(scenario, moto.endpoint, { learner, variant });
  return {
    ctx,
    stackName: ctx.stackName,
    aws: (args) => awsCli(moto.endpoint, args),
    sdk: {
      get cloudformation() {
        return ctx.clients.cloudformation;
      },
      get logs() {
        return ctx.clients.logs;
      },
      get dynamodb() {
        return ctx.clients.dynamodb;
      },
    },
    deploy: async () => {
      await deployScenario(scenario, ctx);
    },
    check: () => checkScenario(scenario, ctx),
    status: () => scenario.symptom(ctx),
    reset: async () => {
      await resetScenario(scenario, ctx);
    },
    destroy: async () => {
      await destroyScenario(scenario, ctx);
    },
  };
}

/** The IDs of the criteria that failed or errored, sorted. */
export function failingCriteria(report: CheckReport): string[] {
  return report.criteria
    .filter((c) => c.status === 'fail' || c.status === 'error')
    .map((c) => c.id)
    .sort();
}
