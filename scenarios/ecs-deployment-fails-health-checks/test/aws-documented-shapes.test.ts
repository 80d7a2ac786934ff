/**
 * Real-AWS-only behaviour, against documented shapes of ELB's
 * DescribeTargetHealth and ECS's DescribeServices output: on AWS the symptom
 * is read (reason codes and descriptions as the TargetHealth API reference
 * lists them; service events as the ECS service event messages page shows
 * them), never derived.
 */
import type { Service } from '@aws-sdk/client-ecs';
import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { HealthCheckSnapshot } from '../gather';
import { healthCheckSymptom } from '../symptom';

const TG = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/ecs-deployment-fail-1A2B3C4D5E6F/0123456789abcdef';
const SERVICE = 'ecs-deployment-fails-health-checks-orders';

const target = (ip: string, az: string, health: TargetHealthDescription['TargetHealth']): TargetHealthDescription => ({
  Target: { Id: ip, Port: 8080, AvailabilityZone: az },
  HealthCheckPort: '8080',
  TargetHealth: health,
});

// Shapes as DescribeServices returns them after the circuit breaker fired (fields breakfix reads).
const service: Service = {
  serviceName: SERVICE,
  status: 'ACTIVE',
  taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/ecs-deployment-fails-health-checks-orders:1',
  loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }],
  deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 },
  events: [
    { id: 'e4', message: `(service ${SERVICE}) rolling back to deployment ecs-svc/1234567890123456789.` },
    { id: 'e3', message: `(service ${SERVICE}) deployment ecs-svc/9876543210987654321 deployment failed: tasks failed to start.` },
    {
      id: 'e2',
      message: `(service ${SERVICE}, taskSet ecs-svc/9876543210987654321) (task 0a1b2c3d4e5f60718293a4b5c6d7e8f9) (port 8080) is unhealthy in (target-group ${TG}) due to (reason Health checks failed with these codes: [404]).`,
    },
  ],
};

function snapshot(targetHealth: TargetHealthDescription[]): HealthCheckSnapshot {
  return {
    target: 'aws',
    region: 'eu-west-1',
    stackName: 'ecs-deployment-fails-health-checks',
    vpcId: 'vpc-0a0b0c0d0e0f01234',
    vpcCidr: '10.43.0.0/16',
    clusterName: 'ecs-deployment-fails-health-checks-cluster',
    service,
    stackTargetGroupArn: TG,
    targetGroup: {
      TargetGroupArn: TG,
      TargetGroupName: 'ecs-deployment-fail-1A2B3C4D5E6F',
      HealthCheckPath: '/health',
      Matcher: { HttpCode: '200' },
    },
    subnets: [],
    appSubnetIds: [],
    acls: [],
    securityGroups: [],
    targetHealth,
  };
}

test('unhealthy targets: the summary is ELB reason code and description, read, with the service events', () => {
  const s = healthCheckSymptom(
    snapshot([
      target('10.43.3.17', 'eu-west-1a', {
        State: 'unhealthy',
        Reason: 'Target.ResponseCodeMismatch',
        Description: 'Health checks failed with these codes: [404]',
      }),
      target('10.43.4.22', 'eu-west-1b', {
        State: 'unhealthy',
        Reason: 'Target.ResponseCodeMismatch',
        Description: 'Health checks failed with these codes: [404]',
      }),
      target('10.43.3.40', 'eu-west-1a', { State: 'healthy' }),
    ]),
  );
  expect(s.source).toBe('authentic');
  expect(s.derivation).toBeUndefined();
  expect(s.summary).toBe(`2 of 3 targets unhealthy in ${TG}: Target.ResponseCodeMismatch (Health checks failed with these codes: [404])`);
  expect(s.details).toContain(
    '10.43.3.17:8080 (eu-west-1a): unhealthy Target.ResponseCodeMismatch "Health checks failed with these codes: [404]"',
  );
  expect(s.details).toContain(`(service ${SERVICE}) rolling back to deployment ecs-svc/1234567890123456789.`);
});

test('timeouts read as ELB writes them', () => {
  const s = healthCheckSymptom(
    snapshot([target('10.43.5.9', 'eu-west-1c', { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' })]),
  );
  expect(s.summary).toBe(`1 of 1 targets unhealthy in ${TG}: Target.Timeout (Request timed out)`);
});

test('after the rollback, with the new targets gone, the summary is the rollback event', () => {
  const s = healthCheckSymptom(snapshot([target('10.43.3.40', 'eu-west-1a', { State: 'healthy' })]));
  expect(s.summary).toBe(`(service ${SERVICE}) rolling back to deployment ecs-svc/1234567890123456789.`);
});
