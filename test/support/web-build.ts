import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'vite'

/**
 * Builds the web app as users get it into a folder of the test's own (so browser tests never empty
 * each other's `dist/`), and returns the folder. vitest sets NODE_ENV=test, which would build React
 * for development: the build runs with NODE_ENV=production.
 */
export async function buildWebApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'kpi-web-'))
  const nodeEnv = process.env['NODE_ENV']
  process.env['NODE_ENV'] = 'production'
  try {
    await build({ configFile: resolve(import.meta.dirname, '../../vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } })
  } finally {
    process.env['NODE_ENV'] = nodeEnv
  }
  return outDir
}
