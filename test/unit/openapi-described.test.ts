import { describe, expect, it } from 'vitest'
import { z } from 'zod'

// Made before @hono/zod-openapi is loaded (it is imported below, inside the test), as the rule-set
// model's schemas are when a process happens to load rules/ first.
const early = z.object({ vi: z.string(), en: z.string() })

describe('a schema made before @hono/zod-openapi was loaded', () => {
  it('lacks .openapi, and described() gives a copy that has it and validates the same', async () => {
    const { described } = await import('../../server/http/openapi.js')
    expect((early as unknown as { openapi?: unknown }).openapi).toBeUndefined()
    const copy = described(early).openapi({ description: 'a text in both languages' })
    expect(copy.safeParse({ vi: 'Đạt', en: 'Met' }).success).toBe(true)
    expect(copy.safeParse({ vi: 'Đạt' }).success).toBe(false)
  })
})
