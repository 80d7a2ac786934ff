/**
 * Wiring only: each part lives in its own file (see docs/adding-a-scenario.md).
 * The scenario's ID, metadata and folder come from scenario.json.
 */
import type { ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import type * as Stack from './stack';

// The stack module pulls in aws-cdk-lib; check, status and hint never need it, so it loads when a stack is built.
const stackModule = () => require('./stack') as typeof Stack;
import { gatherReports, ReportsSnapshot } from './gather';
import { reportsSymptom } from './symptom';
import { afterDeploy, verifyArmed } from './arm';
import { sweepLearnerResources } from './cleanup';
import { bucketVersioningEnabled } from './criteria/bucket-versioning-enabled';
import { noncurrentVersionsExpire } from './criteria/noncurrent-versions-expire';

const criteria = [bucketVersioningEnabled, noncurrentVersionsExpire];

const scenario: ScenarioDefinition<ReportsSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new (stackModule().ReportsStack)(scope, props),
  gather: gatherReports,
  criteria,
  symptom: async (ctx) => reportsSymptom(await gatherReports(ctx)),
  verifyArmed: verifyArmed(criteria),
  afterDeploy,
  sweepLearnerResources,
});

export default scenario;
