import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {ignores: ['src/**/*.generated.ts', 'dist/', 'node_modules/', 'examples/hello-world/.state/', '.bench/', 'bench/*.tmp.ts']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', NodeJS: 'readonly', fetch: 'readonly'},
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', ignoreRestSiblings: true}],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      // The core is shared by every front end: it must not know about oclif.
      'no-restricted-imports': ['error', {patterns: [{group: ['@oclif/*'], message: 'core modules must not import oclif'}]}],
    },
  },
);
