import { Client, Connection } from '@temporalio/client'
import { pingUpdate } from './bare.workflows.js'
import { serverTiming, timed } from './stats.js'

/**
 * The latency client, run as its own process like a real user's browser: for each action it opens
 * the action's page (untimed), then times a bare Temporal Update on an idle workflow and the action
 * over HTTP, each from a quiet system (the previous one's background work done). Reads its plan as JSON on stdin; writes
 * `{ ours, bare, steps }` in milliseconds as JSON on stdout: `steps` are the server's own `Server-Timing`
 * durations of each action (session, read, update, write, total), where the server sends them.
 */
export interface LatencyPlan {
  base: string
  temporalAddress: string
  bareWorkflowId: string
  settleMs: number
  /** Each action, after opening its page (`opens`, untimed) as the user's browser does first. */
  requests: { method: string; path: string; token: string; body?: unknown; opens?: string }[]
}

async function main(): Promise<void> {
  let input = ''
  for await (const chunk of process.stdin) input += chunk
  const plan = JSON.parse(input) as LatencyPlan
  const client = new Client({ connection: await Connection.connect({ address: plan.temporalAddress }) })
  const bare = client.workflow.getHandle(plan.bareWorkflowId)
  const settle = () => new Promise((r) => setTimeout(r, plan.settleMs))
  const steps: Record<string, number[]> = {}
  const send = async (r: { method: string; path: string; token: string; body?: unknown }, timed = false) => {
    const res = await fetch(plan.base + r.path, {
      method: r.method,
      headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json' },
      ...(r.body ? { body: JSON.stringify(r.body) } : {}),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${r.method} ${r.path}: ${res.status} ${text}`)
    if (timed) for (const [name, ms] of serverTiming(res.headers.get('server-timing'))) (steps[name] ??= []).push(ms)
  }
  // Warm both paths (connections, JIT) before sampling.
  await bare.executeUpdate(pingUpdate, { args: [0] })
  await fetch(plan.base + '/api/health').then((r) => r.text())
  const ours: number[] = []
  const bareMs: number[] = []
  for (const [i, request] of plan.requests.entries()) {
    if (request.opens) await send({ method: 'GET', path: request.opens, token: request.token })
    await settle()
    bareMs.push((await timed(() => bare.executeUpdate(pingUpdate, { args: [i] })))[1])
    await settle()
    ours.push((await timed(() => send(request, true)))[1])
  }
  process.stdout.write(JSON.stringify({ ours, bare: bareMs, steps }))
  await client.connection.close()
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
