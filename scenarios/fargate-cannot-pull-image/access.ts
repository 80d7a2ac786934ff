import { evaluate, EvaluationResult } from '../../lib/engines/iam';
import { sessionArnOf } from '../../lib/toolkit/arn';
import type { FargatePullSnapshot } from './gather';

/** ECS names the execution role's session after the task; any name stands for it here. */
const EXECUTION_SESSION = 'ecs-task';

/** What ECS does with the execution role before the container starts (guide CHECK 1). */
export function pullRequests(s: FargatePullSnapshot): { action: string; resource: string }[] {
  const repo =
    s.repository?.repositoryArn ?? `arn:aws:ecr:${s.region}:${s.executionRole?.account ?? '000000000000'}:repository/${s.repositoryName}`;
  return [
    { action: 'ecr:GetAuthorizationToken', resource: '*' },
    { action: 'ecr:BatchCheckLayerAvailability', resource: repo },
    { action: 'ecr:GetDownloadUrlForLayer', resource: repo },
    { action: 'ecr:BatchGetImage', resource: repo },
  ];
}

/** The awslogs driver writes with the execution role too. */
export function logRequests(s: FargatePullSnapshot): { action: string; resource: string }[] {
  const group = s.taskDefinition?.containerDefinitions?.find((c) => c.logConfiguration?.logDriver === 'awslogs')?.logConfiguration
    ?.options?.['awslogs-group'];
  if (!group) return [];
  const account = s.executionRole?.account ?? '000000000000';
  const stream = `arn:aws:logs:${s.region}:${account}:log-group:${group}:log-stream:app/app/task`;
  return [
    { action: 'logs:CreateLogStream', resource: stream },
    { action: 'logs:PutLogEvents', resource: stream },
  ];
}

/** Actions an execution role has no business with; any of them allowed means a broader grant than pulling and logging. */
export function overreachRequests(s: FargatePullSnapshot): { action: string; resource: string }[] {
  const repo = s.repository?.repositoryArn ?? '*';
  return [
    { action: 'ecr:PutImage', resource: repo },
    { action: 'ecr:DeleteRepository', resource: repo },
    { action: 'iam:PassRole', resource: '*' },
    { action: 'iam:CreateUser', resource: '*' },
    { action: 's3:DeleteObject', resource: 'arn:aws:s3:::any-bucket/any-key' },
    { action: 'dynamodb:Scan', resource: `arn:aws:dynamodb:${s.region}:${s.executionRole?.account ?? '000000000000'}:table/any-table` },
  ];
}

/** Evaluates one request as an ECS task session of the live execution role. */
export function asExecutionRole(s: FargatePullSnapshot, req: { action: string; resource: string }): EvaluationResult {
  const role = s.executionRole!;
  // Every resource probed lives in the role's own account.
  return evaluate(
    {
      principalArn: sessionArnOf(role.roleArn, EXECUTION_SESSION),
      action: req.action,
      resourceArn: req.resource,
      resourceAccount: role.account,
    },
    { identity: role.identity, permissionsBoundary: role.permissionsBoundary },
  );
}
