/**
 * Real-AWS-only behaviour, against documented shapes of ECS's
 * DescribeServices / DescribeTasks output: the symptom is authentic, and
 * `tasks-reach-running` reads the service instead of being not-applicable.
 */
import type { Service, Task } from '@aws-sdk/client-ecs';
import type { FargatePullSnapshot } from '../gather';
import { fargatePullSymptom } from '../symptom';
import { tasksReachRunning } from '../criteria/tasks-reach-running';

const STOPPED_REASON =
  'CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://prod-eu-west-1-starport-layer-bucket.s3.eu-west-1.amazonaws.com/a1b2-c3d4/0123abcd?X-Amz-Security-Token=...": dial tcp 52.218.100.12:443: i/o timeout';

// Shapes as DescribeServices returns them (fields breakfix reads).
const documentedService = (running: number): Service => ({
  serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/fargate-cannot-pull-image-cluster/fargate-cannot-pull-image-app',
  serviceName: 'fargate-cannot-pull-image-app',
  clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/fargate-cannot-pull-image-cluster',
  status: 'ACTIVE',
  desiredCount: 1,
  runningCount: running,
  pendingCount: 0,
  launchType: 'FARGATE',
  taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/fargate-cannot-pull-image-app:1',
  networkConfiguration: {
    awsvpcConfiguration: {
      subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
      securityGroups: ['sg-0123456789abcdef0'],
      assignPublicIp: 'DISABLED',
    },
  },
  events: [
    {
      id: 'e2',
      createdAt: new Date('2026-11-22T10:04:12Z'),
      message: '(service fargate-cannot-pull-image-app) has started 1 tasks: (task 5f0e2b6c0b2e4b0c9d1e2f3a4b5c6d7e).',
    },
  ],
});

// Shape as DescribeTasks returns a task stopped by a failed pull.
const documentedStoppedTask: Task = {
  taskArn: 'arn:aws:ecs:eu-west-1:111122223333:task/fargate-cannot-pull-image-cluster/5f0e2b6c0b2e4b0c9d1e2f3a4b5c6d7e',
  lastStatus: 'STOPPED',
  desiredStatus: 'STOPPED',
  stopCode: 'TaskFailedToStart',
  stoppedReason: STOPPED_REASON,
  stoppedAt: new Date('2026-11-22T10:05:01Z'),
  containers: [{ name: 'app', lastStatus: 'STOPPED', reason: STOPPED_REASON }],
};

function snapshot(running: number, stopped: Task[]): FargatePullSnapshot {
  return {
    target: 'aws',
    region: 'eu-west-1',
    stackName: 'fargate-cannot-pull-image',
    labVpcId: 'vpc-0a0b0c0d0e0f01234',
    networks: {},
    clusterName: 'fargate-cannot-pull-image-cluster',
    service: documentedService(running),
    repositoryName: 'fargate-cannot-pull-image-app',
    imageFromLabRepository: true,
    stoppedTasks: stopped,
  };
}

test("status on AWS shows ECS's own stopped reason, labelled authentic", async () => {
  const symptom = await fargatePullSymptom(snapshot(0, [documentedStoppedTask]));
  expect(symptom.source).toBe('authentic');
  expect(symptom.summary).toBe(`Stopped reason: ${STOPPED_REASON}`);
  expect(symptom.details.join('\n')).toContain('stopCode TaskFailedToStart');
  expect(symptom.details.join('\n')).toContain('has started 1 tasks');
  expect(symptom.derivation).toBeUndefined();
});

test('tasks-reach-running fails on AWS with the real stopped reason while no task runs', async () => {
  const outcome = await tasksReachRunning.evaluate(snapshot(0, [documentedStoppedTask]));
  expect(outcome.status).toBe('fail');
  expect(outcome.message).toContain('runs 0 of 1 desired tasks');
  expect(outcome.message).toContain('CannotPullContainerError');
});

test('tasks-reach-running passes on AWS once the service runs its task', async () => {
  const outcome = await tasksReachRunning.evaluate(snapshot(1, [documentedStoppedTask]));
  expect(outcome.status).toBe('pass');
});

test('tasks-reach-running is not applicable on emulators', async () => {
  const outcome = await tasksReachRunning.evaluate({ ...snapshot(0, []), target: 'moto' });
  expect(outcome.status).toBe('not-applicable');
});
