import type { ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import type * as Stack from './stack';

// The stack module pulls in aws-cdk-lib; check, status and hint never need it, so it loads when a stack is built.
const stackModule = () => require('./stack') as typeof Stack;
import { RollbackLabSnapshot, gatherRollbackLab } from './gather';
import { rollbackSymptom } from './symptom';
import { armRollbackFailure, verifyArmed } from './arm';
import { afterStackDeleted, leftovers, sweepLearnerResources } from './cleanup';
import { stackRollbackCompleted } from './criteria/stack-rollback-completed';
import { stackIdMatchesArmed } from './criteria/stack-id-matches-armed';
import { ordersTableItemsIntact } from './criteria/orders-table-items-intact';
import { skippedResourcesMatchTemplate } from './criteria/skipped-resources-match-template';
import { terminationProtectionEnabled } from './criteria/termination-protection-enabled';
import { stackPolicyAllowsRelease } from './criteria/stack-policy-allows-release';

const scenario: ScenarioDefinition<RollbackLabSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new (stackModule().OrdersProductionStack)(scope, props),
  gather: gatherRollbackLab,
  criteria: [
    stackRollbackCompleted,
    stackIdMatchesArmed,
    stackPolicyAllowsRelease,
    ordersTableItemsIntact,
    skippedResourcesMatchTemplate,
    terminationProtectionEnabled,
  ],
  symptom: async (ctx) => rollbackSymptom(await gatherRollbackLab(ctx), ctx.target.kind),
  verifyArmed,
  afterDeploy: (ctx) => armRollbackFailure(scenario, ctx),
  sweepLearnerResources,
  afterStackDeleted,
  leftovers,
});

export default scenario;
