import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/** The web app (admin-ui/), built to dist/ and served by the API server; `npm run dev` proxies /api to it. */
export default defineConfig({
  root: 'admin-ui',
  plugins: [react()],
  build: { outDir: '../dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { port: 5173, proxy: { '/api': `http://localhost:${process.env['PORT'] ?? 3000}` } },
})
