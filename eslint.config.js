import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Forbid imports that break the one-way layering: components -> hooks -> core; server and sandbox -> core. */
const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((group) => ({ group: [group], message })),
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'storybook-static/',
      'node_modules/',
      'coverage/',
      'examples/**/dist/',
      'examples/*/node_modules/',
      'examples/*/.next/',
      'examples/*/next-env.d.ts',
      '.pack/',
      'bench-results/',
      '!.storybook',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use string unions, not enums (house style).' },
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only (house style).' },
      ],
    },
  },
  layer(['src/core/**'], ['react', 'react-dom', 'react/*', '@radix-ui/*', 'clsx', '**/hooks/**', '**/components/**', '**/sandbox/**', '**/server/**'], 'core is framework-free and imports nothing above it.'),
  layer(['src/hooks/**'], ['**/components/**', '@radix-ui/*', '**/sandbox/**', '**/server/**'], 'hooks import core only (components -> hooks -> core).'),
  layer(['src/components/**'], ['**/sandbox/**', '**/server/**'], 'components import hooks and core only.'),
  layer(['src/sandbox/**', 'src/server/**', 'src/sandbox-server/**'], ['react', 'react-dom', 'react/*', '@radix-ui/*', '**/hooks/**', '**/components/**'], 'sandbox and server import core only.'),
  {
    // Next.js wants default exports from pages, layouts and its config.
    files: ['vite.config.ts', 'vitest.config.ts', '**/vite.config.ts', '.storybook/**', 'stories/**', 'eslint.config.js', '.size-limit.js', 'examples/next-app/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
