import { describe, expect, it } from 'vitest'
import { allocatorChoice } from '../../workflows/allocator.js'

const installed = (...paths: string[]) => (p: string) => paths.includes(p)

describe('the worker process allocator: jemalloc where installed, the system allocator when asked', () => {
  it('preloads the installed jemalloc before whatever LD_PRELOAD already holds', () => {
    expect(allocatorChoice({}, 'linux', installed('/usr/lib/x86_64-linux-gnu/libjemalloc.so.2'))).toEqual({ kind: 'preload', ldPreload: '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2' })
    expect(allocatorChoice({ LD_PRELOAD: '/opt/other.so' }, 'linux', installed('/usr/lib64/libjemalloc.so.2'))).toEqual({ kind: 'preload', ldPreload: '/usr/lib64/libjemalloc.so.2:/opt/other.so' })
  })
  it('takes JEMALLOC_PATH instead of the usual places, and only if it exists', () => {
    expect(allocatorChoice({ JEMALLOC_PATH: '/opt/je/libjemalloc.so' }, 'linux', installed('/opt/je/libjemalloc.so', '/usr/lib/libjemalloc.so.2'))).toEqual({ kind: 'preload', ldPreload: '/opt/je/libjemalloc.so' })
    expect(allocatorChoice({ JEMALLOC_PATH: '/opt/je/missing.so' }, 'linux', installed('/usr/lib/libjemalloc.so.2'))).toEqual({ kind: 'missing' })
  })
  it('starts once: a process that already runs on jemalloc is not started again', () => {
    expect(allocatorChoice({ LD_PRELOAD: '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2' }, 'linux', installed('/usr/lib/x86_64-linux-gnu/libjemalloc.so.2'))).toEqual({ kind: 'loaded' })
  })
  it('keeps the system allocator on MALLOC=system, off Linux, or when jemalloc is not installed', () => {
    expect(allocatorChoice({ MALLOC: 'system' }, 'linux', installed('/usr/lib/libjemalloc.so.2'))).toEqual({ kind: 'system' })
    expect(allocatorChoice({}, 'darwin', installed('/usr/local/lib/libjemalloc.so.2'))).toEqual({ kind: 'system' })
    expect(allocatorChoice({}, 'linux', installed())).toEqual({ kind: 'missing' })
  })
})
