import { BreakfixError, EnvironmentError, UsageError } from '../core/errors';
import { EXIT, exitCodeFor } from './exit-codes';

test('only the CLI turns a fault into an exit code: user 2, environment 3, breakfix 4', () => {
  expect(exitCodeFor(new UsageError('bad-option', 'x').fault)).toBe(EXIT.USAGE);
  expect(exitCodeFor(new EnvironmentError('not-deployed', 'x').fault)).toBe(EXIT.ENVIRONMENT);
  expect(exitCodeFor(new BreakfixError('internal', 'x').fault)).toBe(EXIT.INTERNAL);
  expect([EXIT.USAGE, EXIT.ENVIRONMENT, EXIT.INTERNAL]).toEqual([2, 3, 4]);
});
