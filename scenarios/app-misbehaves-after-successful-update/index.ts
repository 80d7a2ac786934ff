/**
 * Wiring only: each part lives in its own file (see docs/adding-a-scenario.md).
 * The scenario's ID, metadata and folder come from scenario.json.
 */
import type { ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import type * as Stack from './stack';

// The stack module pulls in aws-cdk-lib; check, status and hint never need it, so it loads when a stack is built.
const stackModule = () => require('./stack') as typeof Stack;
import { OrdersServiceSnapshot, gatherOrdersService } from './gather';
import { ordersServiceSymptom } from './symptom';
import { afterDeploy, verifyArmed } from './arm';
import { afterStackDeleted, leftovers, probes, sweepLearnerResources } from './cleanup';
import { stackIdMatchesArmed } from './criteria/stack-id-matches-armed';
import { resourcesMatchTemplate } from './criteria/resources-match-template';
import { ordersApiAcceptsWrites } from './criteria/orders-api-accepts-writes';
import { paymentClientWaitsForProvider } from './criteria/payment-client-waits-for-provider';
import { functionOutlastsPaymentCall } from './criteria/function-outlasts-payment-call';
import { ordersTableKeepsItsOrders } from './criteria/orders-table-keeps-its-orders';
import { driftDetectionRecordedInSync } from './criteria/drift-detection-recorded-in-sync';
import { lambdaCanAssumeFunctionRole } from './criteria/lambda-can-assume-function-role';
import { functionReservedConcurrencyNotZero } from './criteria/function-reserved-concurrency-not-zero';
import { functionRoleCanReadParameters } from './criteria/function-role-can-read-parameters';
import { functionRoleCanWriteOrders } from './criteria/function-role-can-write-orders';

const criteria = [
  stackIdMatchesArmed,
  resourcesMatchTemplate,
  ordersApiAcceptsWrites,
  paymentClientWaitsForProvider,
  functionOutlastsPaymentCall,
  lambdaCanAssumeFunctionRole,
  functionReservedConcurrencyNotZero,
  functionRoleCanReadParameters,
  functionRoleCanWriteOrders,
  ordersTableKeepsItsOrders,
  driftDetectionRecordedInSync,
];

const scenario: ScenarioDefinition<OrdersServiceSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new (stackModule().OrdersServiceStack)(scope, { ...props, sourceDir: scenario.dir }),
  gather: gatherOrdersService,
  criteria,
  symptom: async (ctx) => ordersServiceSymptom(await gatherOrdersService(ctx)),
  verifyArmed: verifyArmed(criteria),
  afterDeploy,
  sweepLearnerResources,
  afterStackDeleted,
  leftovers,
  probes,
});

export default scenario;
