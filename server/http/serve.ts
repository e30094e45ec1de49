import { existsSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono } from 'hono'
import type { AppEnv } from './context.js'
import { projectRoot } from '../paths.js'

export const distDir = resolve(projectRoot, 'dist')

/** Builds the web app into dist/ when it is not there yet (first `npm start` on a fresh clone). */
export async function ensureWebAppBuilt(): Promise<void> {
  if (existsSync(resolve(distDir, 'index.html'))) return
  console.log('Đang dựng giao diện web / building the web app…')
  const { build } = await import('vite')
  await build({ configFile: resolve(projectRoot, 'vite.config.ts'), logLevel: 'warn' })
}

/** Serves the API and, when built, the web app from dist/ on one port (unknown paths → index.html). */
export function listen(app: Hono<AppEnv>, port: number, webApp = true): { close(): Promise<void> } {
  if (webApp && existsSync(resolve(distDir, 'index.html'))) {
    const root = relative(process.cwd(), distDir) || '.'
    const files = serveStatic({ root })
    const index = serveStatic({ path: `${root}/index.html` })
    const notApi = (handler: typeof files): typeof files => (c, next) => (c.req.path.startsWith('/api/') ? next() : handler(c, next))
    app.use('/*', notApi(files))
    app.get('*', notApi(index))
  }
  const server = serve({ fetch: app.fetch, port, hostname: '0.0.0.0' })
  return { close: () => new Promise((r) => server.close(() => r())) }
}
