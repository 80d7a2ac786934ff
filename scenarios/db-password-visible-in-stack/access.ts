/**
 * The requests the app makes for its password, decided by breakfix's IAM
 * engine with the request context AWS builds for a Lambda function's role
 * session (the session is named after the function).
 */
import { checkAccessNotGranted, evaluate, type AccessSpec, type CheckResult, type EvaluationResult } from '../../lib/engines/iam';
import { buildRequestContext, workloadRequest, type WorkloadCaller } from '../../lib/engines/request-context';
import type { OrdersSnapshot } from './gather';

/** What the app must read: the secret or SecureString parameter the database takes its password from. */
export interface PasswordStore {
  readonly kind: 'secret' | 'parameter';
  readonly arn: string;
  /** Names an environment variable may use for it. */
  readonly names: string[];
  readonly action: string;
  readonly label: string;
}

export function storeOf(s: OrdersSnapshot): PasswordStore | undefined {
  if (s.secret)
    return {
      kind: 'secret',
      arn: s.secret.arn,
      names: [s.secret.arn, s.secret.name, s.secret.arn.replace(/-[A-Za-z0-9]{6}$/, '')],
      action: 'secretsmanager:GetSecretValue',
      label: `Secrets Manager secret ${s.secret.name}`,
    };
  if (s.secureParameter)
    return {
      kind: 'parameter',
      arn: s.secureParameter.arn,
      names: [s.secureParameter.name, s.secureParameter.arn],
      action: 'ssm:GetParameter',
      label: `SecureString parameter ${s.secureParameter.name}`,
    };
  return undefined;
}

function caller(s: OrdersSnapshot): WorkloadCaller {
  return {
    roleArn: s.appRole.roleArn,
    sessionName: s.app.name,
    origin: { by: 'service', service: 'lambda.amazonaws.com' },
    roleId: s.appRole.roleId,
    roleTags: s.appRole.tags,
  };
}

function policies(s: OrdersSnapshot) {
  return { identity: s.appRole.identity, permissionsBoundary: s.appRole.permissionsBoundary };
}

/** The app's read of its password, as AWS would decide it. */
export function decideRead(s: OrdersSnapshot, store: PasswordStore): EvaluationResult {
  const request = workloadRequest({
    caller: caller(s),
    request: { action: store.action, resourceArn: store.arn, region: s.region },
    network: { via: 'unknown' },
  });
  return evaluate(request, { ...policies(s), resource: store.kind === 'secret' ? s.secret?.policy : undefined });
}

/**
 * Can the app's role ever read another secret or parameter, or change any
 * secret? A proof over the policies' patterns, in the manner of IAM Access
 * Analyzer's CheckAccessNotGranted.
 */
export function checkNothingMore(s: OrdersSnapshot, store: PasswordStore | undefined): CheckResult {
  const secretPrefix = `arn:${s.partition}:secretsmanager:${s.region}:${s.account}:secret:`;
  const access: AccessSpec[] = [
    {
      actions: ['secretsmanager:*'],
      exceptActions: ['secretsmanager:Describe*', 'secretsmanager:Get*', 'secretsmanager:List*', 'secretsmanager:BatchGetSecretValue'],
      resources: ['*'],
    },
    {
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue'],
      resources: ['*'],
      exceptResources: store?.kind === 'secret' && s.secret ? [s.secret.arn, `${secretPrefix}${s.secret.name}-??????`] : [],
    },
    {
      actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory'],
      resources: ['*'],
      exceptResources: store?.kind === 'parameter' ? [store.arn] : [],
    },
  ];
  return checkAccessNotGranted({
    principalArn: workloadRequest({
      caller: caller(s),
      request: { action: 'secretsmanager:GetSecretValue', resourceArn: '*', region: s.region },
      network: { via: 'unknown' },
    }).principalArn,
    ...policies(s),
    resourcePolicies: s.secret?.policy ? [{ resources: [s.secret.arn], policy: s.secret.policy }] : [],
    context: buildRequestContext({
      caller: caller(s),
      request: { action: 'secretsmanager:GetSecretValue', resourceArn: '*', region: s.region },
      network: { via: 'unknown' },
    }),
    access,
  });
}

/** Which forbidden region a finding falls in, in words. */
export const FORBIDDEN = ['change or delete a secret', 'read another secret', 'read another Parameter Store parameter'] as const;
