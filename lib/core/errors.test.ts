import { BreakfixError, ERROR_CODES, EnvironmentError, UsageError } from './errors';
import { classifyError } from './classify';
import { EXIT, exitCodeFor } from '../cli/exit-codes';

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

test('only the CLI turns a fault into an exit code: user 2, environment 3, breakfix 4', () => {
  expect(exitCodeFor(new UsageError('bad-option', 'x').fault)).toBe(EXIT.USAGE);
  expect(exitCodeFor(new EnvironmentError('not-deployed', 'x').fault)).toBe(EXIT.ENVIRONMENT);
  expect(exitCodeFor(new BreakfixError('internal', 'x').fault)).toBe(EXIT.INTERNAL);
  expect([EXIT.USAGE, EXIT.ENVIRONMENT, EXIT.INTERNAL]).toEqual([2, 3, 4]);
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
