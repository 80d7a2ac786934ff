/** Tests run from TypeScript sources; `npm test` type-checks first with tsc. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/lib', '<rootDir>/checkers', '<rootDir>/scenarios', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['<rootDir>/test/support/jest-env.js'],
  testTimeout: 180000,
  maxWorkers: 2,
};
