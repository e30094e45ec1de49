import { existsSync } from 'node:fs'

/** Where Debian, Ubuntu, Fedora and a source build put jemalloc (Debian: `apt-get install libjemalloc2`). */
const JEMALLOC_PATHS = ['/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2', '/usr/lib64/libjemalloc.so.2', '/usr/lib/libjemalloc.so.2', '/usr/local/lib/libjemalloc.so.2']

export type AllocatorChoice = { kind: 'loaded' } | { kind: 'system' } | { kind: 'missing' } | { kind: 'preload'; ldPreload: string }

/**
 * What the worker process should run on (see worker.preload.ts): jemalloc already loaded, the
 * system allocator asked for (MALLOC=system) or the only one there, or a jemalloc library to
 * preload (JEMALLOC_PATH, else the first installed of the usual paths) before what LD_PRELOAD holds.
 */
export function allocatorChoice(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, exists: (path: string) => boolean = existsSync): AllocatorChoice {
  const preloaded = env['LD_PRELOAD'] ?? ''
  if (preloaded.includes('jemalloc')) return { kind: 'loaded' }
  if (env['MALLOC'] === 'system' || platform !== 'linux') return { kind: 'system' }
  const library = (env['JEMALLOC_PATH'] ? [env['JEMALLOC_PATH']] : JEMALLOC_PATHS).find((p) => exists(p))
  if (!library) return { kind: 'missing' }
  return { kind: 'preload', ldPreload: [library, preloaded].filter(Boolean).join(':') }
}
