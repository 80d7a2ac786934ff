/**
 * Wiring only: each part lives in its own file (see docs/adding-a-scenario.md).
 */
import type { ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import type * as Stack from './stack';

// The stack module pulls in aws-cdk-lib; check, status and hint never need it, so it loads when a stack is built.
const stackModule = () => require('./stack') as typeof Stack;
import { gatherOrders, OrdersSnapshot } from './gather';
import { ordersSymptom } from './symptom';
import { afterDeploy, verifyArmed } from './arm';
import { afterStackDeleted, probes, sweepLearnerResources } from './cleanup';
import { passwordNotInStackParameters } from './criteria/password-not-in-stack-parameters';
import { passwordNotInStackTemplate } from './criteria/password-not-in-stack-template';
import { passwordNotInStackOutputs } from './criteria/password-not-in-stack-outputs';
import { passwordNotInStackEvents } from './criteria/password-not-in-stack-events';
import { passwordNotInFunctionEnvironment } from './criteria/password-not-in-function-environment';
import { passwordNotInTags } from './criteria/password-not-in-tags';
import { passwordNotInPlaintextSsmParameter } from './criteria/password-not-in-plaintext-ssm-parameter';
import { databasePasswordFromSecretStore } from './criteria/database-password-from-secret-store';
import { exposedPasswordRotated } from './criteria/exposed-password-rotated';
import { appCanReadDatabasePassword } from './criteria/app-can-read-database-password';
import { appPasswordAccessLeastPrivilege } from './criteria/app-password-access-least-privilege';
import { passwordSecretNotReadableByOthers } from './criteria/password-secret-not-readable-by-others';
import { stackUpdatedInPlace } from './criteria/stack-updated-in-place';
import { secretRotationEnabled } from './criteria/secret-rotation-enabled';

const criteria = [
  passwordNotInStackParameters,
  passwordNotInStackTemplate,
  passwordNotInStackOutputs,
  passwordNotInStackEvents,
  passwordNotInFunctionEnvironment,
  passwordNotInTags,
  passwordNotInPlaintextSsmParameter,
  databasePasswordFromSecretStore,
  exposedPasswordRotated,
  appCanReadDatabasePassword,
  appPasswordAccessLeastPrivilege,
  passwordSecretNotReadableByOthers,
  stackUpdatedInPlace,
  secretRotationEnabled,
];

const scenario: ScenarioDefinition<OrdersSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new (stackModule().OrdersStack)(scope, props),
  gather: gatherOrders,
  criteria,
  symptom: ordersSymptom,
  verifyArmed: verifyArmed(criteria),
  afterDeploy,
  sweepLearnerResources,
  afterStackDeleted,
  probes,
});

export default scenario;
