import type { Case, MatrixContext } from './context.js'

/**
 * The indicators routes in the authorization matrix. Values come in from connected systems only
 * (anonymous 401, any signed-in user without a key 403); what is missing or late, for a cycle or
 * before a launch, is the admin's. (A staff member sees their own values on their evaluation,
 * whose route the evaluations cases cover.)
 */
export const indicatorsCases = ({ get, send, cycleId, cchc }: MatrixContext): Case[] => [
  { route: 'POST /api/integrations/indicators', call: send('POST', '/api/integrations/indicators', { indicators: [{ indicatorCode: 'TTHC_DUNG_HAN' }] }), allow: [] },
  { route: 'GET /api/integrations/indicators', call: get(`/api/integrations/indicators?cycleId=${cycleId}`), allow: ['admin'] },
  { route: 'GET /api/integrations/indicators/export', call: get(`/api/integrations/indicators/export?cycleId=${cycleId}`), allow: ['admin'] },
  { route: 'GET /api/integrations/indicators/preview', call: get(`/api/integrations/indicators/preview?ruleSetId=2&periodStart=2026-11-01&periodEnd=2026-11-30&unitIds=${cchc}`), allow: ['admin'] },
]
