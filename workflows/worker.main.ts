import { Client } from '@temporalio/client'
import { loadConfig } from '../server/config.js'
import { openDatabase } from '../server/db/database.js'
import { migrateAsOwner } from '../server/db/migrate-as-owner.js'
import { checkAuditChainDaily } from '../server/audit/audit-check.js'
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker'
import { dataConverterOf } from '../server/temporal/data-converter.js'
import { createWorker } from './worker.js'
import { reconcileInBackground } from '../server/evaluations/reconcile.js'

/** `npm run worker`: a worker process (production: several, beside `npm run server`). Needs TEMPORAL_ADDRESS. */
async function run(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') })
  const config = loadConfig()
  const address = config.temporalAddress
  if (!address) throw new Error('TEMPORAL_ADDRESS is required for a separate worker (npm start runs an embedded one).')
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  await migrateAsOwner(db, config)
  const connection = await NativeConnection.connect({ address })
  const dataConverter = dataConverterOf(config)
  if (!dataConverter) console.warn('PAYLOAD_KEY is not set: workflow inputs and results reach Temporal unencrypted.')
  const client = new Client({ connection, namespace: config.temporalNamespace, ...(dataConverter ? { dataConverter } : {}) })
  const worker = await createWorker({ connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, db, client })
  console.log(`Worker: ${address}, task queue ${config.taskQueue}`)
  const running = worker.run()
  reconcileInBackground(db, client, config.taskQueue)
  checkAuditChainDaily(db)
  await running
  await connection.close()
  await db.destroy()
}

run().catch((err) => {
  console.error(err)
  process.exit(1)
})
