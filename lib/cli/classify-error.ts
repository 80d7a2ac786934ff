import { BreakfixError, EXIT, EnvironmentError } from './errors';

/**
 * Turns any thrown value into one sentence with an exit code. SDK and network
 * failures are the environment's fault (3); anything else is a breakfix bug (4).
 */
export function classifyError(err: unknown): BreakfixError {
  if (err instanceof BreakfixError) return err;
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string }; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? '';
  const message = (e?.message ?? String(err)).split('\n')[0];
  const netCode = e?.code ?? e?.cause?.code ?? '';
  if (
    name === 'CredentialsProviderError' ||
    (/Could not load credentials|credential/i.test(message) && /load|provider|missing/i.test(message))
  ) {
    return new EnvironmentError(`No AWS credentials were found (${message}); configure a profile or environment credentials.`, err);
  }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(netCode) ||
    name === 'TimeoutError' ||
    /ECONNREFUSED|connect ETIMEDOUT|getaddrinfo/.test(message)
  ) {
    return new EnvironmentError(`The endpoint is unreachable (${netCode || message}); is the emulator running, or is the network up?`, err);
  }
  if (
    [
      'ExpiredToken',
      'ExpiredTokenException',
      'InvalidClientTokenId',
      'UnrecognizedClientException',
      'AccessDenied',
      'AccessDeniedException',
      'SignatureDoesNotMatch',
    ].includes(name)
  ) {
    return new EnvironmentError(`AWS refused the request (${name}: ${message}).`, err);
  }
  if (e?.$metadata?.httpStatusCode !== undefined) {
    return new EnvironmentError(`The AWS API returned an error: ${name}: ${message}`, err);
  }
  return new BreakfixError(`Internal error: ${message}`, EXIT.INTERNAL, err);
}
