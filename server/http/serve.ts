import { existsSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { compress } from 'hono/compress'
import type { AppEnv } from './context.js'
import { gzipJson } from './gzip-json.js'
import { projectRoot } from '../paths.js'

export const distDir = resolve(projectRoot, 'dist')

/** Vite names what it builds `assets/<name>-<8-character hash>.<ext>`: a new content is a new name. */
const HASHED_ASSET = /^\/assets\/[^/]+-[\w-]{8}\.\w+$/
export const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * Answers that carry a secret (session token, a connected system's key shown once) are never
 * compressed: a secret compressed beside text the client chose leaks through the size (BREACH).
 */
const CARRIES_SECRET = /^\/api\/(auth\/|session$|integrations\/systems)/

/** Builds the web app into dist/ when it is not there yet (first `npm start` on a fresh clone). */
export async function ensureWebAppBuilt(): Promise<void> {
  if (existsSync(resolve(distDir, 'index.html'))) return
  console.log('Đang dựng giao diện web / building the web app…')
  const { build } = await import('vite')
  await build({ configFile: resolve(projectRoot, 'vite.config.ts'), logLevel: 'warn' })
}

/**
 * Hashed files are kept a year without asking again; anything else (index.html) is checked each
 * time. With the page, the browser is told to ask who is signed in at once, beside the scripts,
 * instead of a round trip later when they have run: one round trip less before the sign-in form.
 */
function onFound(path: string, c: Context): void {
  c.header('Cache-Control', HASHED_ASSET.test(c.req.path) ? IMMUTABLE : 'no-cache')
  if (path.endsWith('index.html')) c.header('Link', '</api/session>; rel=preload; as=fetch; crossorigin=anonymous')
}

/**
 * Adds the built web app (dir, dist/ by default) to the app: its files, sent brotli- or
 * gzip-compressed as built (`file.br`, `file.gz` from vite.config.ts) when the browser accepts it,
 * and index.html for every other path outside /api and /assets (a missing chunk is a 404, not a
 * page of HTML). Registered after createApp's middleware, so the files get the same security
 * headers (Content-Security-Policy, …) as the API. False when there is no build.
 */
export function serveWebApp(app: Hono<AppEnv>, dir = distDir): boolean {
  if (!existsSync(resolve(dir, 'index.html'))) return false
  const root = relative(process.cwd(), dir) || '.'
  const files = serveStatic({ root, precompressed: true, onFound })
  const index = serveStatic({ path: `${root}/index.html`, onFound })
  const outside = (prefixes: string[], handler: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> => (c, next) => (prefixes.some((p) => c.req.path.startsWith(p)) ? next() : handler(c, next))
  app.use('/*', outside(['/api/'], files))
  app.get('*', outside(['/api/', '/assets/'], index))
  return true
}

/**
 * The app as sent over the network: JSON and other text answers gzip-compressed when the client
 * accepts it and the answer is not compressed already (the web app's files are, at build time):
 * JSON whole, other text as it streams.
 * Tests that call `app.request` in-process see the answers unchanged.
 */
export function compressed(app: Hono<AppEnv>): Hono {
  const gzip = compress()
  const outer = new Hono()
  outer.use('*', (c, next) => (CARRIES_SECRET.test(c.req.path) ? next() : gzip(c, next)))
  // JSON gzipped whole (gzip-json.ts), returned as a new answer (not through c.res, which would merge the old
  // one's headers back and stream the body); what it leaves, `compress` streams.
  outer.all('*', async (c) => {
    const res = await app.fetch(c.req.raw, c.env)
    return CARRIES_SECRET.test(c.req.path) ? res : gzipJson(c.req.raw, res)
  })
  return outer
}

/**
 * Serves the API and, when built, the web app (dir, dist/ by default) on one port (unknown paths →
 * index.html). Resolves once the port is bound: "ready" printed before then sent a client that
 * believed it (a test, a balancer's first check) connection refused.
 */
export async function listen(app: Hono<AppEnv>, port: number, webApp = true, dir = distDir): Promise<{ close(): Promise<void> }> {
  if (webApp) serveWebApp(app, dir)
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: compressed(app).fetch, port, hostname: '0.0.0.0' }, () => resolve(s))
    s.once('error', reject)
  })
  return { close: () => new Promise((r) => server.close(() => r())) }
}
