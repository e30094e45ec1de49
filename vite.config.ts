import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)

/**
 * Writes `file.br` and `file.gz` beside each text file of the build, compressed once at the
 * highest level, so the server sends them as they are (serveStatic's `precompressed`) instead of
 * compressing every answer again.
 */
function precompress(): Plugin {
  return {
    name: 'kpi:precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist'
      const files = Object.values(bundle)
        .map((out) => ({ name: out.fileName, data: out.type === 'chunk' ? out.code : out.source }))
        .filter((f) => /\.(js|css|html|svg|json)$/.test(f.name) && f.data.length >= 1024)
      await Promise.all(
        files.flatMap(({ name, data }) => [
          brotli(data, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).then((b) => writeFile(join(dir, `${name}.br`), b)),
          gz(data, { level: 9 }).then((b) => writeFile(join(dir, `${name}.gz`), b)),
        ]),
      )
    },
  }
}

/** The web app (admin-ui/), built to dist/ and served by the API server; `npm run dev` proxies /api to it. */
export default defineConfig({
  root: 'admin-ui',
  plugins: [react(), precompress()],
  build: { outDir: '../dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { port: 5173, proxy: { '/api': `http://localhost:${process.env['PORT'] ?? 3000}` } },
})
