import type { ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import type * as Stack from './stack';

// The stack module pulls in aws-cdk-lib; check, status and hint never need it, so it loads when a stack is built.
const stackModule = () => require('./stack') as typeof Stack;
import { gatherS3Delete, S3DeleteSnapshot } from './gather';
import { s3DeleteSymptom } from './symptom';
import { afterDeploy, verifyArmed } from './arm';
import { afterStackDeleted, leftovers, sweepLearnerResources } from './cleanup';
import { cleanupRoleCanDeleteExpired } from './criteria/cleanup-role-can-delete-expired';
import { retainedDataProtectedFromOthers } from './criteria/retained-data-protected-from-others';
import { bucketNotPublic } from './criteria/bucket-not-public';
import { cleanupRoleNotOverGranted } from './criteria/cleanup-role-not-over-granted';

const criteria = [cleanupRoleCanDeleteExpired, retainedDataProtectedFromOthers, bucketNotPublic, cleanupRoleNotOverGranted];

const scenario: ScenarioDefinition<S3DeleteSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new (stackModule().S3DeleteStack)(scope, props),
  gather: gatherS3Delete,
  criteria,
  symptom: s3DeleteSymptom,
  verifyArmed: verifyArmed(criteria),
  afterDeploy,
  sweepLearnerResources,
  afterStackDeleted,
  leftovers,
});

export default scenario;
