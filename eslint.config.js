import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'shared/proto/generated/**', 'cloud-hub/onnx/generated/**', 'bench/results/**', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // shared/ is imported by both sides and must import neither.
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/edge-agent/**', '**/cloud-hub/**', '**/simulators/**'] }] },
  },
  {
    files: ['edge-agent/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/cloud-hub/**', '**/simulators/**'] }] },
  },
  {
    files: ['cloud-hub/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/edge-agent/**', '**/simulators/**'] }] },
  },
  {
    files: ['simulators/cli/edgehive.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
