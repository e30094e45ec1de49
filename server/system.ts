import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { Client } from '@temporalio/client'
import { DefaultLogger, NativeConnection, Runtime, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker'
import { createWorker } from '../workflows/worker.js'
import { createApp } from './app.js'
import type { Config } from './config.js'
import { checkAuditChainDaily } from './audit/audit-check.js'
import { openDatabase, type Db } from './db/database.js'
import { migrateAsOwner } from './db/migrate-as-owner.js'
import { reconcileInBackground } from './evaluations/reconcile.js'
import { startCodecEndpoint, type CodecEndpoint } from './temporal/codec-endpoint.js'
import { dataConverterOf, embeddedPayloadKey } from './temporal/data-converter.js'
import { findTemporalCli, startDevServer, type DevServer } from './temporal/temporal-cli.js'

export interface System {
  db: Db
  client: Client
  /** The native connection the client (and an embedded worker) use; tests start further workers on it. */
  connection: NativeConnection
  app: ReturnType<typeof createApp>
  worker?: Worker
  devServer?: DevServer
  temporalAddress: string
  /** Stops the worker, then Temporal (if embedded), then the database, in that order. */
  stop(): Promise<void>
}

/**
 * Wires the product: database (migrated), Temporal (a cluster or an embedded dev server),
 * the API app and, when asked, a worker running in this process.
 */
export async function startSystem(config: Config, options: { worker: boolean; bundle?: WorkflowBundleWithSourceMap }): Promise<System> {
  // Embedded, the demo encrypts Temporal payloads too, with a key of its own data folder.
  if (!config.temporalAddress && !config.payloadKey) config = { ...config, payloadKey: embeddedPayloadKey(config.dataDir) }
  const dataConverter = dataConverterOf(config)
  quietRuntime()
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  await migrateAsOwner(db, config)
  let devServer: DevServer | undefined
  let codec: CodecEndpoint | undefined
  let address = config.temporalAddress
  if (!address) {
    mkdirSync(config.dataDir, { recursive: true })
    codec = startCodecEndpoint(config)
    devServer = await startDevServer({ cliPath: findTemporalCli(config.temporalCliPath), port: 7233, uiPort: 8233, dbFile: join(config.dataDir, 'temporal.sqlite'), ...(codec ? { uiCodecEndpoint: codec.url } : {}) })
    address = devServer.address
  }
  // A native (Rust) connection, shared with the embedded worker: gRPC runs off the JavaScript
  // thread that serves HTTP and PGlite.
  const connection = await NativeConnection.connect({ address })
  const client = new Client({ connection, namespace: config.temporalNamespace, ...(dataConverter ? { dataConverter } : {}) })
  let worker: Worker | undefined
  let workerRun: Promise<void> | undefined
  let stopAuditCheck: (() => void) | undefined
  let stopReconciler: (() => void) | undefined
  if (options.worker) {
    worker = await createWorker({ connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, db, client, ...(options.bundle ? { bundle: options.bundle } : {}) })
    workerRun = worker.run()
    stopReconciler = reconcileInBackground(db, client, config.taskQueue)
    stopAuditCheck = checkAuditChainDaily(db)
  }
  const app = createApp({ db, client, config })
  return {
    db,
    client,
    connection,
    app,
    worker,
    devServer,
    temporalAddress: address,
    async stop() {
      stopAuditCheck?.()
      stopReconciler?.()
      if (worker && worker.getState() === 'RUNNING') worker.shutdown()
      await workerRun?.catch(() => {})
      await connection.close()
      await devServer?.stop()
      codec?.close()
      await db.destroy()
    },
  }
}

let runtimeInstalled = false

/** Temporal's worker logs at INFO by default (webpack output included): warnings are enough. */
function quietRuntime(): void {
  if (runtimeInstalled) return
  runtimeInstalled = true
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') })
  } catch {
    // Already installed by the host process (tests): keep its logger.
  }
}
