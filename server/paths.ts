import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The project's root folder (where package.json is), from the sources (tsx) or the compiled build/ alike. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`)
  }
}

export const projectRoot = findRoot(import.meta.dirname)
