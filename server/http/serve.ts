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

/**
 * Adds the built web app (dir, dist/ by default) to the app: its files, and index.html for every
 * other path outside /api. Registered after createApp's middleware, so the files get the same
 * security headers (Content-Security-Policy, …) as the API. False when there is no build.
 */
export function serveWebApp(app: Hono<AppEnv>, dir = distDir): boolean {
  if (!existsSync(resolve(dir, 'index.html'))) return false
  const root = relative(process.cwd(), dir) || '.'
  const files = serveStatic({ root })
  const index = serveStatic({ path: `${root}/index.html` })
  const notApi = (handler: typeof files): typeof files => (c, next) => (c.req.path.startsWith('/api/') ? next() : handler(c, next))
  app.use('/*', notApi(files))
  app.get('*', notApi(index))
  return true
}

/** Serves the API and, when built, the web app from dist/ on one port (unknown paths → index.html). */
export function listen(app: Hono<AppEnv>, port: number, webApp = true): { close(): Promise<void> } {
  if (webApp) serveWebApp(app)
  const server = serve({ fetch: app.fetch, port, hostname: '0.0.0.0' })
  return { close: () => new Promise((r) => server.close(() => r())) }
}
