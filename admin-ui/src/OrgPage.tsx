import { tr } from './i18n'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { InferResponseType } from 'hono/client'
import { Message, useAction } from './action'
import { ApiFailure } from './api'
import { allPages, client, ok } from './client'
import type { Lang } from './i18n'
import { LoadMore, usePagedList } from './paged-list'
import { TableHead } from './TableHead'
import { UnitOptions, type Unit } from './UnitOptions'

/** An active staff member as `GET /api/staff` lists them (personalId: admins only). */
type Staff = InferResponseType<typeof client.api.staff.$get, 200>[number]
/** What `POST /api/staff/import?dryRun=true` answers: the rows, how many are valid, the errors per row. */
type Preview = InferResponseType<typeof client.api.staff.import.$post, 200>
/** What the import answers once every row is created. */
type Imported = InferResponseType<typeof client.api.staff.import.$post, 201>

const ROLES = ['staff', 'unit_head', 'leader', 'admin'] as const
type Role = (typeof ROLES)[number]
/** A role as people read it; an unknown code as it is. */
const roleLabel = (lang: Lang, role: string) => (['staff', 'unit_head', 'leader', 'admin'].includes(role) ? tr(lang, `orgPage.role.${role as 'staff' | 'unit_head' | 'leader' | 'admin'}`) : role)

/** The admin's organisation: units as a tree, staff a page at a time (found by name, username or unit; create, edit), import from CSV/XLSX with a preview of errors per row. */
export function OrgPage({ lang }: { lang: Lang }) {
  const [units, setUnits] = useState<Unit[]>([])
  const [search, setSearch] = useState({ q: '', unitId: '' })
  const [query, setQuery] = useState(search)
  useEffect(() => {
    const timer = setTimeout(() => setQuery(search), 250)
    return () => clearTimeout(timer)
  }, [search])
  const staffList = usePagedList<Staff>(`/api/staff?limit=50${query.q.trim() ? `&q=${encodeURIComponent(query.q.trim())}` : ''}${query.unitId ? `&unitId=${query.unitId}` : ''}`)
  const staff = staffList.items
  const reloadStaff = staffList.reload
  const [editing, setEditing] = useState<Staff | null>(null)
  const [form, setForm] = useState({ username: '', fullName: '', unitCode: '', positionCode: 'CV', roles: ['staff'] as Role[] })
  const [file, setFile] = useState<File | null>(null)
  const [preview, setPreview] = useState<Preview | null>(null)
  const loadUnits = useCallback(async () => setUnits(await allPages(client.api.units.$get, {})), [])
  /** After an action: the units and the first page of staff (as searched) again. */
  const load = useCallback(async () => {
    await loadUnits()
    await reloadStaff()
  }, [loadUnits, reloadStaff])
  const { message, act: run } = useAction(load)
  const act = (fn: () => Promise<string>) => run(fn, (text) => text)
  useEffect(() => {
    void loadUnits()
  }, [loadUnits])
  const create = (e: FormEvent) => {
    e.preventDefault()
    void act(async () => {
      const created = await ok(client.api.staff.$post({ json: form }))
      return tr(lang, 'orgPage.createdPassword', { username: form.username, password: created.password })
    })
  }
  const upload = async (dryRun: boolean) => {
    if (!file) return
    const res = await fetch(`/api/staff/import${dryRun ? '?dryRun=true' : ''}`, { method: 'POST', credentials: 'same-origin', body: await file.arrayBuffer() })
    const body = await res.json()
    if (dryRun) setPreview(res.ok ? body : null)
    if (!res.ok) throw new ApiFailure(res.status, body.error.code, body.error.message)
    return body as Imported
  }
  const depth = (u: Unit): number => (u.parentId ? 1 + depth(units.find((x) => x.id === u.parentId) ?? { ...u, parentId: null }) : 0)
  const ordered = orderTree(units)
  return (
    <>
      <section className="card" data-testid="org-units">
        <h2>{tr(lang, 'orgPage.units')}</h2>
        <ul className="tree">
          {ordered.map((u) => (
            <li key={u.id} style={{ paddingLeft: `${depth(u) * 1.25}rem` }}>
              <strong>{u.code}</strong> {u.name} {u.headName && <span className="muted">— {u.headName}</span>}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" data-testid="org-staff">
        <h2>
          {tr(lang, 'orgPage.staff')} <span className="count">{staff.length}{staffList.next ? '+' : ''}</span>
        </h2>
        <div className="inline-form">
          <input type="search" data-testid="staff-search" value={search.q} maxLength={100} placeholder={tr(lang, 'orgPage.search')} aria-label={tr(lang, 'orgPage.search')} onChange={(e) => setSearch({ ...search, q: e.target.value })} />
          <select aria-label={tr(lang, 'orgPage.unit')} value={search.unitId} onChange={(e) => setSearch({ ...search, unitId: e.target.value })}>
            <option value="">{tr(lang, 'orgPage.allUnits')}</option>
            <UnitOptions units={units} />
          </select>
        </div>
        <table>
          <TableHead lang={lang} vi={['Tài khoản', 'Họ và tên', 'Đơn vị', 'Chức danh', 'Số định danh cá nhân', 'Vai trò', '']} en={['Username', 'Name', 'Unit', 'Position', 'Personal ID', 'Roles', '']} />
          <tbody>
            {staff.map((s) => (
              <tr key={s.id}>
                <td>{s.username}</td>
                <td>{s.fullName}</td>
                <td>{s.unitName}</td>
                <td>{s.positionCode}</td>
                <td>{s.personalId ?? '—'}</td>
                <td>{s.roles.map((r) => roleLabel(lang, r)).join(', ')}</td>
                <td>
                  <button className="secondary" onClick={() => setEditing(s)}>
                    {tr(lang, 'orgPage.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <LoadMore next={staffList.next} onMore={staffList.more} lang={lang} />
        {editing && (
          <form
            className="inline-form"
            data-testid="edit-staff"
            onSubmit={(e) => {
              e.preventDefault()
              void act(async () => {
                await ok(client.api.staff[':id'].$patch({ param: { id: String(editing.id) }, json: { fullName: editing.fullName, positionCode: editing.positionCode, roles: editing.roles as Role[], unitCode: units.find((u) => u.id === editing.unitId)?.code, personalId: editing.personalId?.trim() || null } }))
                setEditing(null)
                return tr(lang, 'orgPage.saved')
              })
            }}
          >
            <label>
              {tr(lang, 'orgPage.name')}
              <input value={editing.fullName} onChange={(e) => setEditing({ ...editing, fullName: e.target.value })} />
            </label>
            <label>
              {tr(lang, 'orgPage.unit')}
              <select value={editing.unitId ?? ''} onChange={(e) => setEditing({ ...editing, unitId: Number(e.target.value) })}>
                <UnitOptions units={units} />
              </select>
            </label>
            <label>
              {tr(lang, 'orgPage.position')}
              <input value={editing.positionCode ?? ''} onChange={(e) => setEditing({ ...editing, positionCode: e.target.value || null })} />
            </label>
            <label>
              {tr(lang, 'orgPage.personalId12Digits')}
              <input inputMode="numeric" pattern="\d{12}" maxLength={12} data-testid="personal-id" value={editing.personalId ?? ''} onChange={(e) => setEditing({ ...editing, personalId: e.target.value })} />
            </label>
            <fieldset>
              <legend>{tr(lang, 'orgPage.roles')}</legend>
              {ROLES.map((r) => (
                <label key={r} className="check">
                  <input type="checkbox" checked={editing.roles.includes(r)} onChange={(e) => setEditing({ ...editing, roles: e.target.checked ? [...editing.roles, r] : editing.roles.filter((x) => x !== r) })} />
                  {roleLabel(lang, r)}
                </label>
              ))}
            </fieldset>
            <button type="submit">{tr(lang, 'orgPage.save')}</button>
            <button type="button" className="secondary" onClick={() => setEditing(null)}>
              {tr(lang, 'orgPage.cancel')}
            </button>
          </form>
        )}
        <h3>{tr(lang, 'orgPage.addAStaffMember')}</h3>
        <form className="inline-form" onSubmit={create}>
          <label>
            {tr(lang, 'orgPage.username')}
            <input required value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
          </label>
          <label>
            {tr(lang, 'orgPage.name')}
            <input required value={form.fullName} onChange={(e) => setForm({ ...form, fullName: e.target.value })} />
          </label>
          <label>
            {tr(lang, 'orgPage.unit')}
            <select required value={form.unitCode} onChange={(e) => setForm({ ...form, unitCode: e.target.value })}>
              <option value="">—</option>
              <UnitOptions units={units} by="code" />
            </select>
          </label>
          <label>
            {tr(lang, 'orgPage.position')}
            <input value={form.positionCode} onChange={(e) => setForm({ ...form, positionCode: e.target.value })} />
          </label>
          <button type="submit">{tr(lang, 'orgPage.create')}</button>
        </form>
        <h3>{tr(lang, 'orgPage.importFromCsvExcel')}</h3>
        <div className="inline-form">
          <input type="file" accept=".csv,.xlsx" data-testid="import-file" onChange={(e) => (setFile(e.target.files?.[0] ?? null), setPreview(null))} />
          <button className="secondary" disabled={!file} onClick={() => void act(async () => (await upload(true), tr(lang, 'orgPage.fileChecked')))}>
            {tr(lang, 'orgPage.preview')}
          </button>
          <button disabled={!file || !preview || preview.errors.length > 0} onClick={() => void act(async () => `${tr(lang, 'orgPage.imported')} ${(await upload(false))?.created ?? 0}`)}>
            {tr(lang, 'orgPage.import')}
          </button>
        </div>
        {preview && (
          <div data-testid="import-preview">
            <p>
              {tr(lang, 'orgPage.rowsValid', { rows: preview.rows, valid: preview.valid })}
            </p>
            {preview.errors.length > 0 && (
              <table>
                <tbody>
                  {preview.errors.map((e, i) => (
                    <tr key={i} className="error">
                      <td>
                        {tr(lang, 'orgPage.row')} {e.row}
                      </td>
                      <td>{e.path}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
        <Message message={message} />
      </section>
    </>
  )
}

/** Units in tree order: each parent followed by its children. */
function orderTree(units: Unit[]): Unit[] {
  const out: Unit[] = []
  const visit = (parentId: number | null) => {
    for (const u of units.filter((x) => x.parentId === parentId)) {
      out.push(u)
      visit(u.id)
    }
  }
  visit(null)
  return out
}
