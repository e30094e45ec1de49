import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { execFileSync } from 'node:child_process'
import { sql } from 'kysely'
import { loadConfig } from '../../server/config.js'
import { launchCycle } from '../../server/cycles/cycle.service.js'
import { bootstrap } from '../../server/seed/bootstrap.js'
import { startSystem } from '../../server/system.js'
import { findTemporalCli, startDevServer } from '../../server/temporal/temporal-cli.js'
import { cycleWorkflowId, evaluationWorkflowId, signOffUnitUpdate } from '../../workflows/definitions.js'
import { vietnamDate } from '../../workflows/stages.js'
import { doc } from '../support/documents.js'

/**
 * `npm run record-histories -- <release>`: runs every path of the workflows on a real Temporal dev
 * server (PGlite, the demo organisation) and writes each workflow's history, every run of it, to
 * test/histories/<release>/ — the fixtures `replay.test.ts` replays against the current code.
 * Paths: save, submit, return, resubmit, approve, leadership return (one and a unit), sign-off,
 * classification (after a ranking that failed and was retried), reminder and escalation, cancel, and
 * the cycle's continue-as-new; since v6 the petitions: publication, a petition answered late
 * (reminder, escalation) and rejected, another accepted (the evaluation's new run from `reopen`),
 * re-review, the unit signed off again, re-classification and the lock after the window; since v7
 * delegation and reassignment: an evaluation under review reassigned to another reviewer before its
 * review reminder, a delegated approval and a delegated return, and the unit signed off by the
 * director's sign-off delegate.
 */
const release = process.argv[2]
if (!release || !/^[\w.-]+$/.test(release)) throw new Error('usage: npm run record-histories -- <release name>')
const outDir = resolve(import.meta.dirname, release)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kpi-record-'))
  const cli = findTemporalCli(process.env['TEMPORAL_CLI_PATH'])
  const dev = await startDevServer({ cliPath: cli, logLevel: 'never' })
  const config = { ...loadConfig({}), dataDir, temporalAddress: dev.address, taskQueue: 'record' }
  const system = await startSystem(config, { worker: true })
  await bootstrap(system.db, { adminPassword: 'admin-pass-123', seedDemo: true, demoPassword: 'demo-pass-123' })
  const tokens = new Map<string, string>()
  const api = async (method: string, path: string, who: string, body?: unknown) => {
    if (!tokens.has(who)) {
      const res = await system.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: who, password: who === 'admin' ? 'admin-pass-123' : 'demo-pass-123' }) })
      tokens.set(who, ((await res.json()) as { token: string }).token)
    }
    const res = await system.app.request(path, { method, headers: { authorization: `Bearer ${tokens.get(who)}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) })
    const json = (await res.json())
    if (res.status >= 300) throw new Error(`${method} ${path} as ${who}: ${res.status} ${JSON.stringify(json)}`)
    return json
  }
  const until = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 300; i++) if (await check()) return
    else await sleep(200)
    throw new Error(`timed out: ${what}`)
  }
  const admin = 'admin'
  const cchc = ((await api('GET', '/api/units', admin)) as { id: number; code: string }[]).find((u) => u.code === 'CCHC')!.id
  const people = ['tp.phamlan', 'cvc.luongtuan', 'cv.maiphuong', 'cv.hoangnam', 'ptp.ngocha', 'cv.huynhduc', 'cv.tongmai', 'cv.lyson']
  const idOf = async (cycleId: number, who: string) => {
    const me = await api('GET', '/api/me', who)
    return ((await api('GET', `/api/evaluations?cycleId=${cycleId}`, who)) as { id: number; staffId: number }[]).find((e) => e.staffId === me.id)!.id
  }

  // Cycle 1: the whole process for one unit, with reminders and escalation (the self-assessment is due after 3 s).
  const input = { name: 'Ghi lịch sử', periodKind: 'month' as const, periodStart: '2026-11-01', periodEnd: '2026-11-30', ruleSetId: 1, unitIds: [cchc], durations: { selfAssessmentSeconds: 3, reviewSeconds: 3600, reminderBeforeSeconds: 2 } }
  const main = await launchCycle(system.db, system.client, config.taskQueue, input, 1, { updatesPerRun: 1 })
  await until(async () => (await api('GET', `/api/cycles/${main}`, admin)).status === 'OPEN', 'cycle open')
  await sleep(4000) // the reminder and the escalation fire for everyone
  for (const [i, who] of people.entries()) {
    const id = await idOf(main, who)
    await api('PUT', `/api/evaluations/${id}/self-assessment`, who, { data: doc(9 - (i % 3), 10 - i) })
    await api('POST', `/api/evaluations/${id}/submit`, who, {})
  }
  const maiphuong = await idOf(main, 'cv.maiphuong')
  await api('POST', `/api/evaluations/${maiphuong}/return`, 'tp.phamlan', { reason: 'Bổ sung minh chứng' })
  await api('PUT', `/api/evaluations/${maiphuong}/self-assessment`, 'cv.maiphuong', { data: doc(9, 10) })
  await api('POST', `/api/evaluations/${maiphuong}/submit`, 'cv.maiphuong', {})
  for (const who of people.slice(1)) await api('POST', `/api/evaluations/${await idOf(main, who)}/approve`, 'tp.phamlan', {})
  await api('POST', `/api/evaluations/${await idOf(main, 'tp.phamlan')}/approve`, 'gd.tranminh', { adjustments: { leader: { unitPlanScore: 95 } } })
  const hoangnam = await idOf(main, 'cv.hoangnam')
  await api('POST', `/api/evaluations/${hoangnam}/return`, 'gd.tranminh', { reason: 'Lãnh đạo trả lại' })
  await api('POST', `/api/evaluations/${hoangnam}/approve`, 'tp.phamlan', {})
  await api('POST', `/api/cycles/${main}/units/${cchc}/return`, 'gd.tranminh', { reason: 'Trả lại cả đơn vị' })
  for (const who of people.slice(1)) await api('POST', `/api/evaluations/${await idOf(main, who)}/approve`, 'tp.phamlan', {})
  await api('POST', `/api/evaluations/${await idOf(main, 'tp.phamlan')}/approve`, 'gd.tranminh', {})
  // Ranking that data prevents (since v4): damaged after approval, the cycle stops in RANKING_FAILED; fixed, an admin retries.
  const damaged = await idOf(main, 'cv.lyson')
  await sql`update evaluations set data = jsonb_set(data, '{general,ethics,politics}', '99') where id = ${damaged}`.execute(system.db)
  await api('POST', `/api/cycles/${main}/units/${cchc}/sign-off`, 'gd.tranminh')
  await until(async () => (await api('GET', `/api/cycles/${main}`, admin)).status === 'RANKING_FAILED', 'ranking failed')
  await sql`update evaluations set data = jsonb_set(data, '{general,ethics,politics}', '4') where id = ${damaged}`.execute(system.db)
  await api('POST', `/api/cycles/${main}/ranking/retry`, admin)
  await until(async () => (await api('GET', `/api/cycles/${main}`, admin)).status === 'CLASSIFIED', 'classified')

  // Cycle 2: cancelled while one evaluation is under review and the others are not submitted.
  const cancelled = await launchCycle(system.db, system.client, config.taskQueue, { ...input, name: 'Ghi lịch sử — hủy', periodStart: '2026-12-01', periodEnd: '2026-12-31' }, 1)
  await until(async () => (await api('GET', `/api/cycles/${cancelled}`, admin)).status === 'OPEN', 'cycle 2 open')
  const lyson = await idOf(cancelled, 'cv.lyson')
  await api('PUT', `/api/evaluations/${lyson}/self-assessment`, 'cv.lyson', { data: doc(9, 9) })
  await api('POST', `/api/evaluations/${lyson}/submit`, 'cv.lyson', {})
  await api('POST', `/api/cycles/${cancelled}/cancel`, admin, { reason: 'Khai báo nhầm' })

  // Cycle 3 (since v6): publication and petitions, with a 20 s window and answers due within 3 s.
  const petitions = await launchCycle(system.db, system.client, config.taskQueue, { ...input, name: 'Ghi lịch sử — kiến nghị', periodStart: '2027-01-01', periodEnd: '2027-01-31', durations: { petitionSeconds: 20, petitionAnswerSeconds: 3 } }, 1)
  await until(async () => (await api('GET', `/api/cycles/${petitions}`, admin)).status === 'OPEN', 'cycle 3 open')
  for (const who of people) {
    const id = await idOf(petitions, who)
    await api('PUT', `/api/evaluations/${id}/self-assessment`, who, { data: doc(8, 9) })
    await api('POST', `/api/evaluations/${id}/submit`, who, {})
  }
  const petitioner = await idOf(petitions, 'cv.tongmai')
  for (const who of people.slice(1)) await api('POST', `/api/evaluations/${await idOf(petitions, who)}/approve`, 'tp.phamlan', who === 'cv.tongmai' ? { adjustments: { overrides: { discipline: 'reprimand' } } } : {})
  await api('POST', `/api/evaluations/${await idOf(petitions, 'tp.phamlan')}/approve`, 'gd.tranminh', { adjustments: { leader: { unitPlanScore: 90 } } })
  await api('POST', `/api/cycles/${petitions}/units/${cchc}/sign-off`, 'gd.tranminh')
  await until(async () => Boolean((await api('GET', `/api/cycles/${petitions}`, admin)).publishedAt), 'cycle 3 published')
  const rejected = await api('POST', `/api/evaluations/${petitioner}/petitions`, 'cv.tongmai', { reason: 'Tôi không bị khiển trách trong tháng.' })
  await sleep(4000) // the reminder and the escalation of the late answer
  await api('POST', `/api/petitions/${rejected.id}/reject`, 'gd.tranminh', { reason: 'Biên bản còn hiệu lực' })
  const accepted = await api('POST', `/api/evaluations/${petitioner}/petitions`, 'cv.tongmai', { reason: 'Biên bản khiển trách đã bị hủy.' })
  await api('POST', `/api/petitions/${accepted.id}/accept`, 'gd.tranminh', { reason: 'Đã xác minh' })
  await until(async () => (await api('GET', `/api/evaluations/${petitioner}`, 'cv.tongmai')).stage === 'UNIT_REVIEW', 'reopened')
  await api('POST', `/api/evaluations/${petitioner}/approve`, 'tp.phamlan', { adjustments: {} })
  await api('POST', `/api/cycles/${petitions}/units/${cchc}/sign-off`, 'gd.tranminh')
  await until(async () => (await api('GET', `/api/evaluations/${petitioner}`, 'cv.tongmai')).stage === 'CLASSIFIED', 're-classified')
  await until(async () => Boolean((await api('GET', `/api/cycles/${petitions}`, admin)).resultsLockedAt), 'cycle 3 locked')

  // Cycle 4 (since v7): reassignment and delegation. Review reminder 16 s after opening, escalation 18 s.
  const today = vietnamDate(Date.now())
  const staffIds = new Map(((await api('GET', '/api/staff', admin)) as { id: number; username: string }[]).map((s) => [s.username, s.id]))
  const delegated = await launchCycle(system.db, system.client, config.taskQueue, { ...input, name: 'Ghi lịch sử — ủy quyền', periodStart: '2027-02-01', periodEnd: '2027-02-28', durations: { selfAssessmentSeconds: 3, reviewSeconds: 15, reminderBeforeSeconds: 2, petitionSeconds: 3 } }, 1)
  await until(async () => (await api('GET', `/api/cycles/${delegated}`, admin)).status === 'OPEN', 'cycle 4 open')
  for (const who of people) {
    const id = await idOf(delegated, who)
    await api('PUT', `/api/evaluations/${id}/self-assessment`, who, { data: doc(8, 9) })
    await api('POST', `/api/evaluations/${id}/submit`, who, {})
  }
  const reassignedId = await idOf(delegated, 'cv.huynhduc')
  await api('POST', `/api/evaluations/${reassignedId}/reassign`, admin, { role: 'reviewer', staffId: staffIds.get('ptp.ngocha'), reason: 'Trưởng phòng nghỉ phép' })
  await api('POST', '/api/delegations', 'tp.phamlan', { delegateId: staffIds.get('cvc.luongtuan'), scope: 'review', from: today, to: today, reason: 'Đi công tác' })
  await api('POST', `/api/evaluations/${await idOf(delegated, 'cv.maiphuong')}/approve`, 'cvc.luongtuan', { comment: 'Duyệt thay' })
  await api('POST', `/api/evaluations/${await idOf(delegated, 'cv.lyson')}/return`, 'cvc.luongtuan', { reason: 'Bổ sung (trả lại thay)' })
  await sleep(19_000) // the review reminder (to the new reviewer) and the escalation
  await api('PUT', `/api/evaluations/${await idOf(delegated, 'cv.lyson')}/self-assessment`, 'cv.lyson', { data: doc(8, 9) })
  await api('POST', `/api/evaluations/${await idOf(delegated, 'cv.lyson')}/submit`, 'cv.lyson', {})
  await api('POST', `/api/evaluations/${reassignedId}/approve`, 'ptp.ngocha', {})
  for (const who of people.slice(1)) if (!['cv.huynhduc', 'cv.maiphuong'].includes(who)) await api('POST', `/api/evaluations/${await idOf(delegated, who)}/approve`, 'tp.phamlan', {})
  await api('POST', `/api/evaluations/${await idOf(delegated, 'tp.phamlan')}/approve`, 'gd.tranminh', {})
  const signOff = (await api('POST', '/api/delegations', 'gd.tranminh', { delegateId: staffIds.get('tp.nguyenhai'), scope: 'sign-off', from: today, to: today, reason: 'Giám đốc đi công tác' })) as { id: number }
  // As the cycles route sends a delegate's sign-off: the delegate acting as the director.
  const onBehalfOf = { id: staffIds.get('gd.tranminh')!, roles: ['leader'], delegationId: signOff.id, scope: 'sign-off' as const, from: today, to: today }
  await system.client.workflow.getHandle(cycleWorkflowId(delegated)).executeUpdate(signOffUnitUpdate, { args: [{ actor: { id: staffIds.get('tp.nguyenhai')!, roles: ['unit_head', 'staff'], onBehalfOf }, unitId: cchc }] })
  await until(async () => Boolean((await api('GET', `/api/cycles/${delegated}`, admin)).resultsLockedAt), 'cycle 4 locked')

  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  let written = 0
  for (const cycleId of [main, cancelled, petitions, delegated]) {
    const rows = await system.db.selectFrom('evaluations').select('staff_id').where('cycle_id', '=', cycleId).execute()
    for (const id of [cycleWorkflowId(cycleId), ...rows.map((r) => evaluationWorkflowId(cycleId, r.staff_id))]) {
      for await (const run of system.client.workflow.list({ query: `WorkflowId = '${id}'` })) {
        // The CLI writes the JSON form Temporal's tools (and historyFromJSON) read.
        const json = execFileSync(cli, ['workflow', 'show', '--address', dev.address, '--namespace', 'default', '--workflow-id', id, '--run-id', run.runId, '--output', 'json'], { maxBuffer: 64 << 20 })
        writeFileSync(join(outDir, `${id.replace(/:/g, '-')}.${run.runId.slice(-12)}.json`), json)
        written++
      }
    }
  }
  console.log(`${written} histories written to ${outDir}`)
  await system.stop()
  await dev.stop()
  rmSync(dataDir, { recursive: true, force: true })
}

run().catch((err) => {
  console.error(err)
  process.exit(1)
})
