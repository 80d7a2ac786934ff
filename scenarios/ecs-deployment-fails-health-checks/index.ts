/**
 * Wiring only: each part lives in its own file (see docs/adding-a-scenario.md).
 */
import type { ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import type * as Stack from './stack';

// The stack module pulls in aws-cdk-lib; check, status and hint never need it, so it loads when a stack is built.
const stackModule = () => require('./stack') as typeof Stack;
import { gatherHealthCheck, HealthCheckSnapshot } from './gather';
import { healthCheckSymptom } from './symptom';
import { shipRelease, verifyArmed } from './arm';
import { afterStackDeleted, probes, sweepLearnerResources } from './cleanup';
import { serviceRunsTheRelease } from './criteria/service-runs-the-release';
import { releaseTasksPassHealthChecks } from './criteria/release-tasks-pass-health-checks';
import { healthCheckTargetsAppHealthEndpoint } from './criteria/health-check-targets-app-health-endpoint';
import { healthCheckMatcherAcceptsOnlySuccess } from './criteria/health-check-matcher-accepts-only-success';
import { loadBalancerTrafficReachesAppPort } from './criteria/load-balancer-traffic-reaches-app-port';
import { taskSecurityGroupsAdmitOnlyLoadBalancer } from './criteria/task-security-groups-admit-only-load-balancer';
import { restrictedSubnetAclKeepsOutsideOut } from './criteria/restricted-subnet-acl-keeps-outside-out';
import { circuitBreakerRollsBack } from './criteria/circuit-breaker-rolls-back';
import { deploymentKeepsHealthyCapacity } from './criteria/deployment-keeps-healthy-capacity';
import { serviceRegistersWithLoadBalancer } from './criteria/service-registers-with-load-balancer';
import { tasksHaveNoPublicIp } from './criteria/tasks-have-no-public-ip';
import { serviceKeepsItsTasks } from './criteria/service-keeps-its-tasks';
import { servicePlacesTasksInEveryAppSubnet } from './criteria/service-places-tasks-in-every-app-subnet';

const criteria = [
  serviceRunsTheRelease,
  serviceRegistersWithLoadBalancer,
  serviceKeepsItsTasks,
  servicePlacesTasksInEveryAppSubnet,
  releaseTasksPassHealthChecks,
  healthCheckTargetsAppHealthEndpoint,
  healthCheckMatcherAcceptsOnlySuccess,
  loadBalancerTrafficReachesAppPort,
  taskSecurityGroupsAdmitOnlyLoadBalancer,
  restrictedSubnetAclKeepsOutsideOut,
  circuitBreakerRollsBack,
  deploymentKeepsHealthyCapacity,
  tasksHaveNoPublicIp,
];

const scenario: ScenarioDefinition<HealthCheckSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new (stackModule().HealthCheckStack)(scope, props),
  gather: gatherHealthCheck,
  criteria,
  symptom: async (ctx) => healthCheckSymptom(await gatherHealthCheck(ctx)),
  verifyArmed: verifyArmed(criteria),
  afterDeploy: shipRelease,
  sweepLearnerResources,
  afterStackDeleted,
  probes,
});

export default scenario;
