import type { ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import type * as Stack from './stack';

// The stack module pulls in aws-cdk-lib; check, status and hint never need it, so it loads when a stack is built.
const stackModule = () => require('./stack') as typeof Stack;
import { gatherOrdersApp, OrdersAppSnapshot } from './gather';
import { ordersAppSymptom } from './symptom';
import { afterDeploy, verifyArmed } from './arm';
import { leftovers, sweepLearnerResources } from './cleanup';
import { liveTaskDefinitionHasOwnTaskRole } from './criteria/live-task-definition-has-own-task-role';
import { taskRoleCanReadOrders } from './criteria/task-role-can-read-orders';
import { taskRoleLeastPrivilege } from './criteria/task-role-least-privilege';
import { executionRoleCanPullAndLog } from './criteria/execution-role-can-pull-and-log';
import { deploymentCompletedOnLiveRevision } from './criteria/deployment-completed-on-live-revision';

const criteria = [
  liveTaskDefinitionHasOwnTaskRole,
  taskRoleCanReadOrders,
  taskRoleLeastPrivilege,
  executionRoleCanPullAndLog,
  deploymentCompletedOnLiveRevision,
];

const scenario: ScenarioDefinition<OrdersAppSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new (stackModule().OrdersAppStack)(scope, props),
  gather: gatherOrdersApp,
  criteria,
  symptom: ordersAppSymptom,
  verifyArmed: verifyArmed(criteria),
  afterDeploy,
  sweepLearnerResources,
  leftovers,
});

export default scenario;
