/**
 * Wiring only: each part lives in its own file (see docs/adding-a-scenario.md).
 * The scenario's ID, metadata and folder come from scenario.json.
 */
import type { ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import { ReportsStack } from './stack';
import { gatherReports, ReportsSnapshot } from './gather';
import { reportsSymptom } from './symptom';
import { afterDeploy, verifyArmed } from './arm';
import { sweepLearnerResources } from './cleanup';
import { bucketVersioningEnabled } from './criteria/bucket-versioning-enabled';
import { noncurrentVersionsExpire } from './criteria/noncurrent-versions-expire';

const criteria = [bucketVersioningEnabled, noncurrentVersionsExpire];

const scenario: ScenarioDefinition<ReportsSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new ReportsStack(scope, props),
  gather: gatherReports,
  criteria,
  symptom: async (ctx) => reportsSymptom(await gatherReports(ctx)),
  verifyArmed: verifyArmed(criteria),
  afterDeploy,
  sweepLearnerResources,
});

export default scenario;
