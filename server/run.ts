import { loadConfig } from './config.js'
import { ensureWebAppBuilt, listen } from './http/serve.js'
import { warmUpSimulation } from './rulesets/simulation.warmup.js'
import { bootstrap, printCredentials } from './seed/bootstrap.js'
import { startSystem } from './system.js'

/**
 * Runs the HTTP server until SIGINT/SIGTERM, then stops everything it started.
 * `withWorker`: the all-in-one `npm start`; without: `npm run server` beside separate workers.
 */
export async function runServer(options: { withWorker: boolean }): Promise<void> {
  const config = loadConfig()
  console.log(`KPI Công vụ: khởi động / starting (data: ${config.dataDir}, DB: ${config.databaseUrl ? 'PostgreSQL' : 'PGlite'}, Temporal: ${config.temporalAddress ?? 'dev server'})`)
  if (config.serveWebApp) await ensureWebAppBuilt()
  const system = await startSystem(config, { worker: options.withWorker })
  const seeded = await bootstrap(system.db, { adminPassword: config.adminPassword, seedDemo: config.seedDemo })
  printCredentials(seeded, Boolean(config.adminPassword))
  const http = await listen(system.app, config.port, config.serveWebApp)
  console.log(`Sẵn sàng / ready: http://localhost:${config.port}  (API: /api, OpenAPI: /api/openapi.json${system.devServer ? ', Temporal UI: http://localhost:8233' : ''})`)
  // The simulation's code compiled while nobody waits on it (a failure here only costs the first simulation its speed).
  warmUpSimulation().catch((err) => console.error('simulation warm-up:', err))
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    console.log('Đang dừng / stopping…')
    await http.close()
    await system.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}
