import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay, BoundedMap, ErrorCode, LumeError, openWithin } from '../src/index.js'

const errorOf = async (p: Promise<unknown>): Promise<unknown> => { try { await p } catch (err) { return err } return undefined }

describe('BoundedMap', () => {
  it('never holds more than its cap: the oldest key goes first, a key set again is the newest', () => {
    const map = new BoundedMap<string, number>(2)
    map.set('a', 1).set('b', 2).set('a', 3).set('c', 4)
    expect([...map.entries()]).toEqual([['a', 3], ['c', 4]])
    for (let i = 0; i < 1000; i++) map.set(String(i), i)
    expect(map.size).toBe(2)
  })

  it('a cap of 0 holds nothing; a negative or fractional cap is a RangeError', () => {
    const none = new BoundedMap<string, number>(0)
    none.set('a', 1)
    expect(none.size).toBe(0)
    expect(() => new BoundedMap(-1)).toThrow(RangeError)
    expect(() => new BoundedMap(1.5)).toThrow(RangeError)
    expect(new BoundedMap(Infinity).set('a', 1).size).toBe(1)
  })
})

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, and never overflows', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 250, 2000))).toEqual([250, 500, 1000, 2000, 2000])
    expect(backoffDelay(10_000, 1, 30_000)).toBe(30_000)
    expect(backoffDelay(0, 100, 1000)).toBe(100)
  })
})

class FakeSocket extends EventEmitter {
  destroyed = false
  destroy (): void { this.destroyed = true }
}

describe('openWithin', () => {
  afterEach(() => { vi.useRealTimers() })

  it('resolves on open and leaves no open/close listener behind', async () => {
    const socket = new FakeSocket()
    const opened = openWithin(socket, 1000)
    socket.emit('open')
    await opened
    expect(socket.listenerCount('open') + socket.listenerCount('close')).toBe(0)
    socket.emit('error', new Error('late')) // swallowed, not an uncaught error
    expect(socket.destroyed).toBe(false)
  })

  it('times out with TIMEOUT and destroys the stream (a peer that never answers)', async () => {
    vi.useFakeTimers()
    const socket = new FakeSocket()
    const opened = errorOf(openWithin(socket, 500, 'connect to ab12'))
    await vi.advanceTimersByTimeAsync(500)
    const err = await opened
    expect(LumeError.hasCode(err, ErrorCode.TIMEOUT)).toBe(true)
    expect((err as Error).message).toContain('connect to ab12')
    expect(socket.destroyed).toBe(true)
  })

  it('an error is CONNECTION_FAILED, a LumeError (HANDSHAKE_FAILED) passes through, a close is CONNECTION_FAILED', async () => {
    const a = new FakeSocket()
    const failed = errorOf(openWithin(a, 1000))
    a.emit('error', new Error('refused'))
    expect(LumeError.hasCode(await failed, ErrorCode.CONNECTION_FAILED)).toBe(true)
    const b = new FakeSocket()
    const impostor = errorOf(openWithin(b, 1000))
    b.emit('error', new LumeError(ErrorCode.HANDSHAKE_FAILED, 'wrong key'))
    expect(LumeError.hasCode(await impostor, ErrorCode.HANDSHAKE_FAILED)).toBe(true)
    const c = new FakeSocket()
    const closed = errorOf(openWithin(c, 1000))
    c.emit('close')
    expect(LumeError.hasCode(await closed, ErrorCode.CONNECTION_FAILED)).toBe(true)
  })
})
