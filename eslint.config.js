// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/build/**',
      '**/.venv/**',
      'docs/api/**',
      '**/vite-dist/**',
      '**/.generated/**',
      'examples/browser/out/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use string-literal unions, not enums (docs/contributing/style.md).' },
        { selector: 'TSModuleDeclaration[kind="namespace"]', message: 'No namespaces (docs/contributing/style.md).' },
        { selector: 'ExportDefaultDeclaration', message: 'No default exports (docs/contributing/style.md).' },
        { selector: 'ExportAllDeclaration', message: 'No export * (docs/contributing/style.md): list the public API explicitly.' },
        { selector: "CallExpression[callee.name='eval']", message: 'No eval (CSP-safe).' },
        { selector: "NewExpression[callee.name='Function']", message: 'No new Function (CSP-safe).' },
      ],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/bench/**/*.ts', '**/*.test.ts', '**/*.test-d.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/vitest.config.ts', '**/*.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
