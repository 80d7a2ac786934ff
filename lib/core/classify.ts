import { BreakfixError, EnvironmentError } from './errors';

const NETWORK_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'];
const REFUSALS = [
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AccessDenied',
  'AccessDeniedException',
  'SignatureDoesNotMatch',
];

/**
 * Turns any thrown value into a BreakfixError with one sentence. SDK and
 * network failures are the environment's fault; anything else is a breakfix bug.
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
    return new EnvironmentError(
      'no-credentials',
      `No AWS credentials were found (${message}); configure a profile or environment credentials.`,
      err,
    );
  }
  if (NETWORK_CODES.includes(netCode) || name === 'TimeoutError' || /ECONNREFUSED|connect ETIMEDOUT|getaddrinfo/.test(message)) {
    return new EnvironmentError(
      'endpoint-unreachable',
      `The endpoint is unreachable (${netCode || message}); is the emulator running, or is the network up?`,
      err,
    );
  }
  if (REFUSALS.includes(name)) return new EnvironmentError('aws-refused', `AWS refused the request (${name}: ${message}).`, err);
  if (e?.$metadata?.httpStatusCode !== undefined) {
    return new EnvironmentError('aws-error', `The AWS API returned an error: ${name}: ${message}`, err);
  }
  return new BreakfixError('internal', `Internal error: ${message}`, err);
}
