// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const nodeOnly = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'net']

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tools/**', 'scratch/**', 'bin/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node }
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }]
    }
  },
  {
    // Config and build scripts run in plain Node outside the TypeScript projects.
    files: ['eslint.config.mjs', 'build/**/*.mjs', 'build/**/*.cjs'],
    ...tseslint.configs.disableTypeChecked
  },
  {
    // The page's one classic script (public/appearance.js): plain browser JavaScript, copied as is.
    files: ['src/renderer/public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.browser } }
  },
  {
    // The shared contract runs everywhere: no Node, Electron or DOM imports.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nodeOnly, 'electron', 'react', 'react-dom', '../main/*', '../renderer/*', '../node/*', '../../server/*'] }]
    }
  },
  {
    // Node-only helpers (durable files) shared by the server and the client core.
    files: ['src/node/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['**/main/**', '**/renderer/**', '**/server/**'] }] }
  },
  {
    // The client core is plain Node so it runs and is tested without Electron.
    files: ['src/main/core/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['**/renderer/**', '**/server/**'] }] }
  },
  {
    files: ['src/renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: [...nodeOnly, '**/main/**', '**/node/**', '**/server/**'] }]
    }
  },
  {
    // The data directory's records answer from memory behind the asynchronous repository contract.
    files: ['server/store/meta-store.ts', 'server/store/contact-repo.ts', 'server/store/admin-repo.ts', 'server/store/user-group-repo.ts', 'server/store/hooks-repo.ts', 'server/store/dir-file-repo.ts', 'server/search/search-index.ts'],
    rules: { '@typescript-eslint/require-await': 'off' }
  },
  {
    files: ['server/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['**/src/main/**', '**/src/renderer/**'] }] }
  },
  {
    // Tests read JSON bodies loosely and assert on them; the OpenAPI check types them for real.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off'
    }
  }
)
