import { ERROR_CODES, EnvironmentError, UsageError } from './errors';
import { classifyError } from './classify';

test('an error carries its stable code and who is at fault', () => {
  const usage = new UsageError('unknown-scenario', 'Unknown scenario "x".');
  expect(usage).toMatchObject({ name: 'UsageError', code: 'unknown-scenario', fault: 'user', message: 'Unknown scenario "x".' });
  const env = new EnvironmentError('stack-busy', 'Stack s is busy.', new Error('cause'));
  expect(env).toMatchObject({ name: 'EnvironmentError', code: 'stack-busy', fault: 'environment' });
  expect((env.cause as Error).message).toBe('cause');
});

test('codes are kebab-case and each names one fault', () => {
  for (const [code, fault] of Object.entries(ERROR_CODES)) {
    expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(['user', 'environment', 'breakfix']).toContain(fault);
  }
});

test('classification: SDK and network failures are the environment, anything else breakfix', () => {
  expect(classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toMatchObject({
    code: 'endpoint-unreachable',
    fault: 'environment',
  });
  expect(classifyError(Object.assign(new Error('denied'), { name: 'AccessDenied' }))).toMatchObject({ code: 'aws-refused' });
  expect(classifyError(Object.assign(new Error('bad'), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } }))).toMatchObject({
    code: 'aws-error',
  });
  expect(classifyError(new TypeError('x is undefined'))).toMatchObject({
    code: 'internal',
    fault: 'breakfix',
    message: 'Internal error: x is undefined',
  });
  const known = new UsageError('bad-option', 'kept');
  expect(classifyError(known)).toBe(known);
});
