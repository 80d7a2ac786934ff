import type { ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import type * as Stack from './stack';

// The stack module pulls in aws-cdk-lib; check, status and hint never need it, so it loads when a stack is built.
const stackModule = () => require('./stack') as typeof Stack;
import { FargatePullSnapshot, gatherFargatePull } from './gather';
import { fargatePullSymptom } from './symptom';
import { seedEmulatorImage, verifyArmed } from './arm';
import { probes, sweepLearnerResources } from './cleanup';
import { tasksLaunchIntoPrivateSubnets } from './criteria/tasks-launch-into-private-subnets';
import { noInternetEgress } from './criteria/no-internet-egress';
import { ecrEndpointsReachable } from './criteria/ecr-endpoints-reachable';
import { s3LayerPathFromEveryTaskSubnet } from './criteria/s3-layer-path-from-every-task-subnet';
import { s3EndpointPolicyAllowsLayerBucket } from './criteria/s3-endpoint-policy-allows-layer-bucket';
import { tasksReachRunning } from './criteria/tasks-reach-running';
import { executionRoleCanPullImage } from './criteria/execution-role-can-pull-image';
import { executionRoleLeastPrivilege } from './criteria/execution-role-least-privilege';
import { taskImageExists } from './criteria/task-image-exists';

const scenario: ScenarioDefinition<FargatePullSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new (stackModule().FargatePullStack)(scope, { ...props, sourceDir: scenario.dir }),
  gather: gatherFargatePull,
  criteria: [
    tasksLaunchIntoPrivateSubnets,
    noInternetEgress,
    ecrEndpointsReachable,
    s3LayerPathFromEveryTaskSubnet,
    s3EndpointPolicyAllowsLayerBucket,
    executionRoleCanPullImage,
    executionRoleLeastPrivilege,
    taskImageExists,
    tasksReachRunning,
  ],
  symptom: async (ctx) => fargatePullSymptom(await gatherFargatePull(ctx)),
  verifyArmed,
  afterDeploy: seedEmulatorImage,
  sweepLearnerResources,
  probes,
});

export default scenario;
