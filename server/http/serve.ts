import { existsSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono } from 'hono'
import type { AppEnv } from './context.js'

/** Serves the API and, when built, the web app from dist/ on one port. */
export function listen(app: Hono<AppEnv>, port: number): { close(): Promise<void> } {
  if (existsSync('dist/index.html')) {
    app.use('/*', serveStatic({ root: './dist' }))
    app.get('*', serveStatic({ path: './dist/index.html' }))
  }
  const server = serve({ fetch: app.fetch, port, hostname: '0.0.0.0' })
  return { close: () => new Promise((resolve) => server.close(() => resolve())) }
}
