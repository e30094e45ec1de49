import { describe, expect, it } from 'vitest'
import { batched } from '../../server/worklog/batched.js'

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('batched calls', () => {
  it('sends a lone call at once, and calls made meanwhile together, each answered with its own result', async () => {
    const batches: number[][] = []
    const double = batched(async (xs: number[]) => {
      batches.push(xs)
      await tick()
      return xs.map((x) => x * 2)
    })
    expect(await double(1)).toBe(2)
    await tick()
    expect(await Promise.all([3, 4, 5, 6].map(double))).toEqual([6, 8, 10, 12])
    expect(batches).toEqual([[1], [3], [4, 5, 6]])
  })

  it('keeps up to inFlight batches running, and cuts batches at maxBatch', async () => {
    const batches: number[][] = []
    const echo = batched(
      async (xs: number[]) => {
        batches.push(xs)
        await tick()
        return xs
      },
      { inFlight: 2, maxBatch: 2 },
    )
    expect(await Promise.all([1, 2, 3, 4, 5, 6].map(echo))).toEqual([1, 2, 3, 4, 5, 6])
    expect(batches).toEqual([[1], [2], [3, 4], [5, 6]])
  })

  it('retries each call alone when the batch was refused as a whole, so one bad input fails only its caller', async () => {
    const write = batched(
      async (xs: number[]) => {
        await tick()
        if (xs.includes(13)) throw Object.assign(new Error('refused'), { code: '23503' })
        return xs
      },
      { retryAlone: (err) => (err as { code?: string }).code === '23503' },
    )
    const results = await Promise.allSettled([1, 2, 13, 4].map(write))
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 2, 'refused', 4])
  })

  it('fails the whole batch on any other error (it may have been written: no retry)', async () => {
    const write = batched(async (xs: number[]) => {
      await tick()
      if (xs.length > 1) throw new Error('connection lost')
      return xs
    })
    const results = await Promise.allSettled([1, 2, 3].map(write))
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected'])
  })
})
