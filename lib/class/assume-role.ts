import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { EnvironmentError } from '../core/errors';

export interface AssumeRoleOptions {
  readonly roleArn: string;
  readonly externalId?: string;
  /** The STS client that calls AssumeRole, with the instructor's own credentials. */
  readonly sts: STSClient;
  readonly sessionName?: string;
  /** @default 3600 */
  readonly durationSeconds?: number;
}

/** Refresh this long before the session expires, so no grading call races the expiry. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A credential provider for a learner's grader role: STS AssumeRole once,
 * then the cached session until shortly before it expires. Concurrent
 * callers share one in-flight AssumeRole. (The SDK's own
 * fromTemporaryCredentials does the same but lives in a package breakfix does
 * not otherwise need.)
 */
export function assumeRoleCredentials(opts: AssumeRoleOptions): AwsCredentialIdentityProvider {
  let cached: AwsCredentialIdentity | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;
  const fresh = () => cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS);
  return async () => {
    if (fresh()) return cached!;
    inFlight ??= (async () => {
      try {
        const out = await opts.sts.send(
          new AssumeRoleCommand({
            RoleArn: opts.roleArn,
            RoleSessionName: opts.sessionName ?? 'breakfix-grader',
            ExternalId: opts.externalId,
            DurationSeconds: opts.durationSeconds ?? 3600,
          }),
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
        cached = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
        return cached;
      } catch (err) {
        throw new EnvironmentError(
          'grader-role',
          `Cannot assume the grader role ${opts.roleArn}: ${(err as Error).name && (err as Error).name !== 'Error' ? `${(err as Error).name}: ` : ''}${(err as Error).message}`,
          err,
        );
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
}
