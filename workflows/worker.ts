import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Client } from '@temporalio/client'
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker'
import type { Db } from '../server/db/database.js'
import { createActivities } from './activities.js'
import { createNationalDbActivities } from './national-db.activities.js'
import { loadNationalDbConfig } from '../server/config.js'

/** Above the largest unit (2,000 people) with a margin for the other units' work in between; WORKER_MAX_CACHED_WORKFLOWS overrides. */
export const MAX_CACHED_WORKFLOWS = 2500

const workflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url))
/** The bundle `npm run build` writes beside the compiled worker (build/workflow-bundle.js): production workers load it as is. */
const prebuiltBundle = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url))

/**
 * Workflow sources use `.js` import specifiers (ESM); webpack must map them to the `.ts` files.
 * The workflow modules and the SDK's API are loaded once into the worker's shared V8 context
 * (`preloadModules`) instead of once per cached workflow: they keep no state of their own (module
 * scope holds only constants, update definitions and activity proxies; a workflow's state lives in
 * its function's closure), and the SDK freezes what it shares.
 */
const bundlerOptions = (path: string) => ({
  webpackConfigHook: (config: any) => {
    config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } }
    return config
  },
  preloadModules: ['@temporalio/workflow', path],
})

/** Bundles the workflow code once (a few seconds); tests reuse the bundle across worker restarts (and bundle an earlier release's code from its path). */
export function bundleWorkflows(path = workflowsPath): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: path, ...bundlerOptions(path), logger: quietLogger })
}

export interface WorkerOptions {
  /** Owned by the caller (and shared with its client): closed after the worker stops. */
  connection: NativeConnection
  namespace: string
  taskQueue: string
  db: Db
  client: Client
  bundle?: WorkflowBundleWithSourceMap
}

/** Creates a worker polling the task queue with every workflow and activity of the product. */
export async function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // The client's payload codec (encryption, see server/temporal/data-converter.ts): one key for both.
    dataConverter: options.client.options.dataConverter,
    activities: { ...createActivities({ db: options.db, client: options.client, taskQueue: options.taskQueue }), ...createNationalDbActivities({ db: options.db, config: loadNationalDbConfig() }) },
    ...(options.bundle
      ? { workflowBundle: options.bundle }
      : existsSync(prebuiltBundle)
        ? { workflowBundle: { codePath: prebuiltBundle } }
        : { workflowsPath, bundlerOptions: bundlerOptions(workflowsPath) }),
    // The read-model backstop mostly waits (its grace period): slots are cheap.
    maxConcurrentActivityTaskExecutions: 200,
    // The workflows kept in memory between tasks (others replay when they next act). A unit's
    // sign-off acts on each of its evaluations twice (hold, then record): a cache smaller than the
    // largest unit (2,000 people) replays every one of them twice (measured: with 1,000 a 2,000-person
    // sign-off outran its 60 s deadline). The SDK's own default follows the heap size (2,395 with
    // Node's 4 GB heap on a 24 GB machine, ~1,080 with 8 GB of RAM): fixed here from the product's
    // need instead. `npm run worker` holds 2,500 in a peak of ~0,4 GiB: the modules are shared (see
    // bundlerOptions), the process runs on jemalloc without the SDK's per-promise stack traces
    // (worker.preload.ts) and with --optimize-for-size (README, "The worker's memory").
    maxCachedWorkflows: Number(process.env['WORKER_MAX_CACHED_WORKFLOWS'] || MAX_CACHED_WORKFLOWS),
  })
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
}
