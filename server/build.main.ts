import { cpSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from './paths.js'
import { bundleWorkflows } from '../workflows/worker.js'

/**
 * The part of `npm run build` that tsc does not do: copies the data files the compiled code reads
 * (the demo organisation, the default rule sets) into build/, and bundles the workflow code once
 * (build/workflow-bundle.js), so production workers start without webpack.
 */
async function run(): Promise<void> {
  const build = join(projectRoot, 'build')
  cpSync(join(projectRoot, 'server/seed/demo'), join(build, 'server/seed/demo'), { recursive: true })
  cpSync(join(projectRoot, 'rules/defaults'), join(build, 'rules/defaults'), { recursive: true })
  const bundle = await bundleWorkflows()
  writeFileSync(join(build, 'workflow-bundle.js'), bundle.code)
  console.log(`build/: compiled server and worker, data files, workflow bundle (${Math.round(bundle.code.length / 1024)} KiB)`)
}

run().catch((err) => {
  console.error(err)
  process.exit(1)
})
