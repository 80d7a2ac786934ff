import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ScenarioContext, ScenarioDefinition, ScenarioStackProps } from '../lib/scenario/types';
import type { ScenarioMeta } from '../lib/scenario/meta';
import { loadScenarioMeta, scenarioSourceDir } from '../lib/scenario/load-meta';

/**
 * Every scenario, in the order `list` shows them, each with a loader. The
 * registry test checks this list against the folders under scenarios/.
 * Loading is deferred so `list`, `hint` and `--help` read only scenario.json.
 */
export const SCENARIO_LOADERS: ReadonlyArray<readonly [string, () => ScenarioDefinition]> = [
  ['fargate-cannot-pull-image', () => require('./fargate-cannot-pull-image').fargateCannotPullImage],
  ['stack-update-rollback-failed', () => require('./stack-update-rollback-failed').stackUpdateRollbackFailed],
  ['s3-delete-access-denied', () => require('./s3-delete-access-denied').s3DeleteAccessDenied],
  ['ecs-app-dynamodb-access-denied', () => require('./ecs-app-dynamodb-access-denied').ecsAppDynamodbAccessDenied],
];

/** A scenario whose metadata is read at once and whose code loads on first use. */
class LazyScenario implements ScenarioDefinition {
  readonly meta: ScenarioMeta;
  readonly dir: string;
  private loaded?: ScenarioDefinition;

  constructor(
    readonly id: string,
    private readonly load: () => ScenarioDefinition,
  ) {
    this.dir = scenarioSourceDir(join(__dirname, id));
    this.meta = loadScenarioMeta(this.dir);
  }

  private get real(): ScenarioDefinition {
    if (!this.loaded) {
      this.loaded = this.load();
      if (this.loaded.id !== this.id) throw new Error(`scenarios/catalog.ts loads ${this.loaded.id} for ${this.id}`);
    }
    return this.loaded;
  }

  get criteria() {
    return this.real.criteria;
  }
  buildStack(scope: Construct, props: ScenarioStackProps): Stack {
    return this.real.buildStack(scope, props);
  }
  gather(ctx: ScenarioContext) {
    return this.real.gather(ctx);
  }
  symptom(ctx: ScenarioContext) {
    return this.real.symptom(ctx);
  }
  verifyArmed(ctx: ScenarioContext) {
    return this.real.verifyArmed(ctx);
  }
  get afterDeploy() {
    return this.real.afterDeploy?.bind(this.real);
  }
  get sweepLearnerResources() {
    return this.real.sweepLearnerResources?.bind(this.real);
  }
  get afterStackDeleted() {
    return this.real.afterStackDeleted?.bind(this.real);
  }
  get leftovers() {
    return this.real.leftovers?.bind(this.real);
  }
}

export function lazyScenarios(): ScenarioDefinition[] {
  return SCENARIO_LOADERS.map(([id, load]) => new LazyScenario(id, load));
}
