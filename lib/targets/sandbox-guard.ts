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
