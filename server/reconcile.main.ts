import { Client, Connection } from '@temporalio/client'
import { loadConfig } from './config.js'
import { migrate, openDatabase } from './db/database.js'
import { reconcile } from './evaluations/reconcile.js'
import { dataConverterOf } from './temporal/data-converter.js'

/**
 * `npm run reconcile [-- --cycle N]`: starts the workflow of a launch left without one, compares
 * every open evaluation's workflow with the read model, repairs what the read model lacks and
 * prints the report as JSON. Needs TEMPORAL_ADDRESS
 * (a running cluster or `npm start`'s dev server on 127.0.0.1:7233) and a worker running.
 */
async function run(): Promise<void> {
  const config = loadConfig()
  const cycleArg = process.argv.indexOf('--cycle')
  const cycleId = cycleArg > 0 ? Number(process.argv[cycleArg + 1]) : undefined
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  await migrate(db)
  const connection = await Connection.connect({ address: config.temporalAddress ?? '127.0.0.1:7233' })
  const report = await reconcile(db, new Client({ connection, namespace: config.temporalNamespace, ...(dataConverterOf(config) ? { dataConverter: dataConverterOf(config) } : {}) }), { taskQueue: config.taskQueue, ...(cycleId ? { cycleId } : {}) })
  console.log(JSON.stringify(report, null, 2))
  await connection.close()
  await db.destroy()
  if (report.reported.length) process.exitCode = 2
}

run().catch((err) => {
  console.error(err)
  process.exit(1)
})
