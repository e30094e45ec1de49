import { loadConfig } from './config.js'
import { listen } from './http/serve.js'
import { bootstrap, printCredentials } from './seed/bootstrap.js'
import { startSystem } from './system.js'

/** `npm run server`: the API alone (production: DATABASE_URL and TEMPORAL_ADDRESS set; workers run apart). */
async function run(): Promise<void> {
  const config = loadConfig()
  const system = await startSystem(config, { worker: false })
  printCredentials(await bootstrap(system.db, { adminPassword: config.adminPassword, seedDemo: config.seedDemo }), Boolean(config.adminPassword))
  const http = listen(system.app, config.port)
  console.log(`API: http://localhost:${config.port}/api`)
  const stop = async () => {
    await http.close()
    await system.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

run().catch((err) => {
  console.error(err)
  process.exit(1)
})
