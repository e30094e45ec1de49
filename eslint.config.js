// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** Node's modules and the database layer: nothing a workflow may import (its code must replay deterministically). */
const notInWorkflows = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'net', 'os', 'path',
  'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
]

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', '.tools/', 'data/', 'test/artifacts/', 'test/histories/**/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'test/unit/*.tsx'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Every promise is awaited or explicitly voided (Temporal's samples and the house rule).
      '@typescript-eslint/no-floating-promises': 'error',
      // React event handlers may be async (their errors are shown by the page's action helper).
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Rows from the database and parsed JSON are typed at the repository edge; `any` stays visible but allowed there.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    // Temporal's rule set for workflow code: no Node, no database, no server modules; types only.
    files: ['workflows/**/*.ts', 'test/fixtures/workflows-*/**/*.ts'],
    ignores: ['workflows/activities.ts', 'workflows/*.activities.ts', 'workflows/worker.ts', 'workflows/worker.main.ts', 'workflows/worker.preload.ts', 'workflows/allocator.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...notInWorkflows, ...notInWorkflows.map((m) => `node:${m}`), 'pg', 'kysely', '@electric-sql/pglite', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
          patterns: [{ group: ['**/server/**', '!**/server/db/schema.js'], message: 'Workflows import server code as types only (import type …).', allowTypeImports: true }],
        },
      ],
    },
  },
)
