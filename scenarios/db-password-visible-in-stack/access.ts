/**
 * The requests the app makes for its password, decided by breakfix's IAM
 * engine with the request context AWS builds for a Lambda function's role
 * session (the session is named after the function).
 */
import {
  canAssumeRole,
  checkAccessNotGranted,
  destructiveActions,
  evaluate,
  IndeterminateError,
  type AccessSpec,
  type AssumeRoleAnswer,
  type CheckResult,
  type EvaluationResult,
  type NamedPolicy,
  type StatedContext,
} from '../../lib/engines/iam';
import {
  buildRequestContext,
  buildServiceCallContext,
  sessionArn,
  workloadRequest,
  type WorkloadCaller,
} from '../../lib/engines/request-context';
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
    request: {
      action: store.action,
      resourceArn: store.arn,
      region: s.region,
      // The secret's tags reach the request as aws:ResourceTag/* and secretsmanager:ResourceTag/* (ABAC on the secret).
      ...(store.kind === 'secret' && s.secret
        ? { resourceTags: s.secret.tags, serviceResourceTagKeys: ['secretsmanager:ResourceTag'] }
        : {}),
    },
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

export const LAMBDA = 'lambda.amazonaws.com';

/**
 * Can Lambda assume the function's role? Lambda calls sts:AssumeRole as lambda.amazonaws.com; the role's
 * trust policy decides ("Lambda execution role": the trust policy must name the Lambda service). Lambda's
 * documentation does not say whether that call carries aws:SourceAccount / aws:SourceArn, so a trust policy
 * that depends on them cannot be decided here: undefined then, with the key that would decide.
 */
export function lambdaTrust(s: OrdersSnapshot): { answer?: AssumeRoleAnswer; undecided?: string } {
  if (!s.appRole.trustPolicy) return { undecided: `IAM returned no trust policy for role ${s.appRole.roleArn}` };
  try {
    return {
      answer: canAssumeRole({
        roleArn: s.appRole.roleArn,
        trustPolicy: s.appRole.trustPolicy,
        caller: LAMBDA,
        context: buildServiceCallContext({ service: LAMBDA, region: s.region }),
      }),
    };
  } catch (e) {
    if (e instanceof IndeterminateError) return { undecided: e.message };
    throw e;
  }
}

// ---------------------------------------------------------------- others

/** Time keys and TLS are free in these proofs: a grant that holds at some time, or over plain HTTP, is a grant. */
const FREE_KEYS = ['aws:CurrentTime', 'aws:EpochTime', 'aws:TokenIssueTime', 'aws:SecureTransport'];

function freeing(context: StatedContext, keys: readonly string[]): StatedContext {
  const values = { ...context.values };
  for (const k of keys) delete values[k];
  return { ...context, values, absent: (context.absent ?? []).filter((k) => !keys.includes(k)), unknown: [...context.unknown, ...keys] };
}

/** Someone outside the account, who holds secretsmanager:* in their own account. */
export const OUTSIDER_ACCOUNT = '210987654321';

/** A principal other than the app: who it is, and the policies of its own it holds. */
export interface OtherPrincipal {
  readonly label: string;
  readonly principalArn: string;
  readonly roleArn: string;
  readonly identity: NamedPolicy[];
}

const allSecrets = (name: string): NamedPolicy => ({
  name,
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }] },
});

/** The AWS principals an Allow statement of a resource policy names (strings as written: "*", account IDs, ARNs). */
function namedPrincipals(policy: NamedPolicy): string[] {
  const doc = (typeof policy.document === 'string' ? JSON.parse(policy.document) : policy.document) as { Statement?: unknown };
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as { Effect?: string; Principal?: unknown }[];
  const out = new Set<string>();
  for (const st of statements) {
    if (!st || st.Effect !== 'Allow') continue;
    const p = st.Principal;
    if (p === '*') out.add('*');
    else if (p && typeof p === 'object' && 'AWS' in p) for (const a of [(p as { AWS: unknown }).AWS].flat()) out.add(String(a));
  }
  return [...out];
}

/**
 * The principals whose access to the secret must be proved absent: any other role of the lab's account
 * holding no permission of its own (a resource policy alone grants within the account), anyone of another
 * account holding secretsmanager:* there (cross-account, the resource policy decides), and every IAM
 * principal the secret's policy names besides the app's role, with the same rule for its account.
 */
export function otherPrincipals(s: OrdersSnapshot): OtherPrincipal[] {
  const iamArn = (account: string, rest: string) => `arn:${s.partition}:iam::${account}:${rest}`;
  const others: OtherPrincipal[] = [
    {
      label: `any other role of account ${s.account}`,
      roleArn: iamArn(s.account, 'role/any-other-role'),
      principalArn: sessionArn(iamArn(s.account, 'role/any-other-role'), 'any-session'),
      identity: [],
    },
    {
      label: `a principal of another account (e.g. ${OUTSIDER_ACCOUNT})`,
      roleArn: iamArn(OUTSIDER_ACCOUNT, 'role/outsider'),
      principalArn: sessionArn(iamArn(OUTSIDER_ACCOUNT, 'role/outsider'), 'outsider'),
      identity: [allSecrets('OutsiderSecretsManagerFullAccess')],
    },
  ];
  for (const named of s.secret?.policy ? namedPrincipals(s.secret.policy) : []) {
    if (named === '*' || named === s.appRole.roleArn) continue;
    const account = /^\d{12}$/.test(named) ? named : (named.split(':')[4] ?? '');
    if (!/^\d{12}$/.test(account)) continue;
    const role = /^arn:[^:]+:iam::\d{12}:role\//.test(named) ? named : iamArn(account, 'role/any-role');
    const own = account !== s.account;
    others.push({
      label: `${named} (named by the secret's policy)`,
      roleArn: role,
      principalArn: /:user\//.test(named) ? named : sessionArn(role, 'any-session'),
      identity: own ? [allSecrets('SecretsManagerFullAccessInItsAccount')] : [],
    });
  }
  return others;
}

/** What nobody but the app may do to the secret: read its value, or change, delete or re-share it. */
export function othersForbidden(): string[] {
  return ['secretsmanager:GetSecretValue', ...destructiveActions('secretsmanager-secret')];
}

/**
 * Can this other principal read, change or re-share the secret? A proof over the resource policy's patterns
 * and conditions (any time, any TLS, any tags and IDs of the caller), in the manner of IAM Access Analyzer's
 * CheckAccessNotGranted.
 */
export function otherPrincipalProof(s: OrdersSnapshot, secret: NonNullable<OrdersSnapshot['secret']>, other: OtherPrincipal): CheckResult {
  const context = freeing(
    buildRequestContext({
      caller: { roleArn: other.roleArn, sessionName: 'any-session', origin: { by: 'job' } },
      request: { action: 'secretsmanager:GetSecretValue', resourceArn: secret.arn, resourceAccount: s.account, region: s.region },
      network: { via: 'unknown' },
    }),
    FREE_KEYS,
  );
  return checkAccessNotGranted({
    principalArn: other.principalArn,
    identity: other.identity,
    resourcePolicies: secret.policy ? [{ resources: [secret.arn], policy: secret.policy }] : [],
    context,
    resourceAccount: s.account,
    access: [{ actions: othersForbidden(), resources: [secret.arn] }],
  });
}
