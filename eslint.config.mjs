// Lint for TypeScript sources: the recommended rules, with the few this codebase deliberately departs from named here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'cdk.out/**', '.scenarios-*/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // SDK clients and the CDK are loaded on first use with require() to keep CLI start-up fast.
      '@typescript-eslint/no-require-imports': 'off',
      // Unused arguments keep hook signatures readable; prefix with _ where one is unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests read parsed CLI JSON and fake SDK inputs, whose shapes the assertions themselves pin down.
    files: ['**/test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
