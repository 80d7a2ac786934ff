import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { EnvironmentError } from '../core/errors';
import type { AwsClients } from './clients';

/** Accounts allowed to receive breakfix's deliberately insecure stacks. */
export function allowedAccounts(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  return [flag, env.BREAKFIX_SANDBOX_ACCOUNTS]
    .filter((v): v is string => Boolean(v))
    .flatMap((v) => v.split(/[\s,]+/))
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * breakfix deploys insecure infrastructure on purpose, so real AWS is used
 * only when the caller's account (per STS) is on an explicit allow-list.
 */
export async function assertSandboxAccount(
  clients: AwsClients,
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const allowed = allowedAccounts(flag, env);
  if (allowed.length === 0) {
    throw new EnvironmentError(
      'not-sandbox',
      'Refusing to touch real AWS: no sandbox account is allowed; pass --account <id> or set BREAKFIX_SANDBOX_ACCOUNTS to your sandbox account ID.',
    );
  }
  const who = await clients.sts.send(new GetCallerIdentityCommand({}));
  const account = who.Account ?? '';
  if (!allowed.includes(account)) {
    throw new EnvironmentError(
      'not-sandbox',
      `Refusing to touch real AWS: account ${account} (${who.Arn}) is not on the sandbox allow-list (${allowed.join(', ')}).`,
    );
  }
  return account;
}

/**
 * The CDK app's guard: `cdk synth` / `cdk deploy` for real AWS build labs only
 * for an account on the same allow-list `deploy` uses. The CDK CLI resolves
 * the account of the caller's credentials (STS) and hands it to the app as
 * CDK_DEFAULT_ACCOUNT; the stacks are then pinned to it, so `cdk deploy`
 * itself refuses credentials of any other account. Nothing here calls AWS.
 */
export function assertCdkSandboxAccount(env: NodeJS.ProcessEnv): string {
  const allowed = allowedAccounts(undefined, env);
  const refusing = 'Refusing to synthesize breakfix labs for real AWS';
  if (allowed.length === 0) {
    throw new EnvironmentError(
      'not-sandbox',
      `${refusing}: no sandbox account is allowed; set BREAKFIX_SANDBOX_ACCOUNTS to your sandbox account ID, or AWS_ENDPOINT_URL for an emulator.`,
    );
  }
  const account = env.CDK_DEFAULT_ACCOUNT;
  if (!account) {
    throw new EnvironmentError(
      'not-sandbox',
      `${refusing}: the CDK CLI could not tell which account your credentials belong to (CDK_DEFAULT_ACCOUNT is unset), so none can be shown to be on the allow-list (${allowed.join(', ')}).`,
    );
  }
  if (!allowed.includes(account)) {
    throw new EnvironmentError('not-sandbox', `${refusing}: account ${account} is not on the sandbox allow-list (${allowed.join(', ')}).`);
  }
  return account;
}
