import { Criterion, fail, pass } from '../../../checkers/criterion';
import { decideAs, decidedBy, describeDecision, trustProblem } from '../access';
import { OrdersAppSnapshot, revisionLabel } from '../gather';

/**
 * The private ECR repository an image reference names, or undefined for any other registry (the lab's image
 * is on public ECR, which needs no permission). Forms per the ECR User Guide, "Pulling an image":
 * `<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag]` or `...@sha256:<digest>`.
 */
export function privateEcrRepository(image: string, partition: string): string | undefined {
  const m = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(.+)$/.exec(image);
  if (!m) return undefined;
  const path = m[3].split('@')[0];
  const slash = path.lastIndexOf('/');
  const colon = path.indexOf(':', slash + 1);
  const repository = colon >= 0 ? path.slice(0, colon) : path;
  return `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${repository}`;
}

/** What ECS does with the execution role before the container starts, and while it logs. */
function needs(s: OrdersAppSnapshot): [string, string][] {
  const out: [string, string][] = [];
  const repos = new Set(
    (s.live?.containerDefinitions ?? []).map((c) => privateEcrRepository(c.image ?? '', s.partition)).filter((r): r is string => !!r),
  );
  if (repos.size) out.push(['ecr:GetAuthorizationToken', '*']);
  for (const repo of repos) out.push(['ecr:BatchGetImage', repo], ['ecr:GetDownloadUrlForLayer', repo]);
  if (s.logGroupName) {
    const stream = `arn:${s.partition}:logs:${s.region}:${s.account}:log-group:${s.logGroupName}:log-stream:orders-app/app/${s.sessionName}`;
    out.push(['logs:CreateLogStream', stream], ['logs:PutLogEvents', stream]);
  }
  return out;
}

/** ECS still pulls images and ships logs with the execution role of the live task definition. */
export const executionRoleCanPullAndLog: Criterion<OrdersAppSnapshot> = {
  id: 'execution-role-can-pull-and-log',
  title: 'The execution role keeps its image pull and CloudWatch Logs permissions',
  rationale:
    'ECS still pulls the image and ships the awslogs output with the execution role; a fix that strips or replaces it stops the task from starting or logging.',
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/docker-pull-ecr-image.html',
  ],
  evaluate(s) {
    const label = revisionLabel(s.live, s.liveRef);
    if (!s.live?.executionRoleArn || !s.executionRole)
      return fail(
        `Task definition ${label}, which ECS service ${s.service.serviceName} runs, sets no execution role, so ECS cannot ship its logs with awslogs.`,
      );
    const role = s.executionRole.policies;
    if (!role)
      return fail(`Execution role ${s.executionRole.arn} of task definition ${label} could not be read: ${s.executionRole.error}.`);
    const trust = trustProblem(s, 'execution role', role);
    if (trust) return fail(trust);
    for (const [action, resourceArn] of needs(s)) {
      const { result } = decideAs(s, role, action, resourceArn);
      if (result.decision !== 'Allowed')
        return fail(
          `Execution role ${role.roleArn} of task definition ${label} may not ${action} on ${resourceArn}: ${describeDecision(result)}.`,
        );
    }
    const leftover = decideAs(s, role, 'dynamodb:GetItem', s.tableArn).result;
    const advice =
      leftover.decision === 'Allowed'
        ? `Execution role ${role.roleArn} is still allowed dynamodb:GetItem on ${s.tableArn} (${decidedBy(leftover)}); ECS never uses it for the app's calls, so that grant can go.`
        : undefined;
    return pass(
      `Execution role ${role.roleArn} of task definition ${label} can be assumed by ECS and is allowed logs:CreateLogStream/PutLogEvents on ${s.logGroupName ?? 'the app log group'}${needs(s).some(([a]) => a.startsWith('ecr:')) ? ' and the ECR pull actions' : ''}.`,
      advice,
    );
  },
};
