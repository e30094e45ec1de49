import type { Db } from '../db/database.js'
import type { EvaluationRow } from '../db/schema.js'
import type { RuleSet } from '../rulesets/ruleset.repo.js'
import { catalogueForPeriod } from '../worklog/catalogue.repo.js'
import type { ProductRules } from './product-lines.js'

/** What an evaluation's product lines are checked against: its launch pre-fill, the period's catalogue, the person's position. */
export async function productRules(db: Db, ev: EvaluationRow, ruleSet: RuleSet): Promise<ProductRules> {
  const cycle = await db.selectFrom('cycles').select(['period_start', 'period_end']).where('id', '=', ev.cycle_id).executeTakeFirstOrThrow()
  const items = (ruleSet.definition.inputSchema as { properties?: { products?: { items?: { properties?: Record<string, unknown> } } } }).properties?.products?.items
  return {
    prefilled: ev.prefilled_products,
    catalogue: await catalogueForPeriod(db, cycle.period_start, cycle.period_end),
    positionCode: ev.position_code,
    withName: Boolean(items?.properties?.['name']),
  }
}
