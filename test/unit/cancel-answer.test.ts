import { describe, expect, it } from 'vitest'
import { awaitCancel } from '../../server/cycles/cancel-answer.js'

const after = <T,>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms))

describe("a cancel's answer", () => {
  it('is "done" when every evaluation is cancelled within the quick window', async () => {
    expect(await awaitCancel(after(5, {}), () => Promise.resolve('OPEN'), 200)).toBe('done')
  })

  it('is "under way" once the quick window has passed and the cycle shows CANCELLING', async () => {
    expect(await awaitCancel(after(5_000, {}), () => Promise.resolve('CANCELLING'), 20)).toBe('under way')
  })

  it('waits on while the cancel has not begun (the launch still running), then answers what comes first', async () => {
    let looks = 0
    const status = () => Promise.resolve(++looks < 3 ? 'OPEN' : 'CANCELLING')
    expect(await awaitCancel(after(5_000, {}), status, 10)).toBe('under way')
    expect(looks).toBe(3)
    expect(await awaitCancel(after(300, {}), () => Promise.resolve('OPEN'), 10)).toBe('done')
  })

  it("passes the workflow's refusal or the deadline on", async () => {
    await expect(awaitCancel(Promise.reject(new Error('deadline')), () => Promise.resolve('OPEN'), 10)).rejects.toThrow('deadline')
  })
})
