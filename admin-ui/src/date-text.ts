/** An ISO day (2026-10-01) as people write it here: 01/10/2026; '' stays ''. */
export function isoToText(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  return m ? `${m[3]}/${m[2]}/${m[1]}` : ''
}

/**
 * What someone typed as a day — 1/10/2026, 01.10.2026, 01-10-2026, or an ISO 2026-10-01 pasted
 * in — as an ISO day, or null when it is not a real day (31/02/2026).
 */
export function textToIso(text: string): string | null {
  const t = text.trim()
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t)
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t)
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : vn ? [vn[3], vn[2], vn[1]] : []
  if (!y || !m || !d) return null
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() !== Number(m) - 1 || day.getUTCDate() !== Number(d)) return null
  return day.toISOString().slice(0, 10)
}
