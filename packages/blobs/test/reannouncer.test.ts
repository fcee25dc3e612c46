import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fromHex, toHex } from '@lume/types'
import { Reannouncer } from '../src/relay/reannouncer.js'

const key = (i: number): string => toHex(new Uint8Array(32).map((_, j) => j < 4 ? (i >> (8 * j)) & 0xff : 0))

/** A store's live key order, as FileBlobStore keeps it: a use moves a key to the end. */
function held (n: number): Map<string, true> {
  return new Map(Array.from({ length: n }, (_, i) => [key(i), true]))
}

describe('Reannouncer: every held blob once per period, a batch at a time', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  const start = (store: Map<string, true>, sent: Uint8Array[][]): Reannouncer => {
    const r = new Reannouncer({
      periodMs: 1000,
      batch: 512,
      count: () => store.size,
      hashes: function * () { for (const k of store.keys()) yield fromHex(k, 32) },
      send: (hashes) => { sent.push(hashes) }
    })
    r.start()
    return r
  }

  it('sends the first batch at once, the rest spread over the first half of the period, never more than a batch per step', async () => {
    const store = held(1500)
    const sent: Uint8Array[][] = []
    const r = start(store, sent)
    expect(sent.map((b) => b.length)).toEqual([512])
    await vi.advanceTimersByTimeAsync(499)
    expect(sent.map((b) => b.length)).toEqual([512, 512, 476])
    expect(new Set(sent.flat().map((h) => toHex(h))).size).toBe(1500)
    // Nothing more until the next round, a period after the first.
    await vi.advanceTimersByTimeAsync(500)
    expect(sent).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(1)
    expect(sent).toHaveLength(4)
    r.stop()
    await vi.advanceTimersByTimeAsync(5000)
    expect(sent).toHaveLength(4)
  })

  it('ends a round however the store is used meanwhile (a key used after it was sent comes again, at most twice the steps)', async () => {
    const store = held(1024)
    const sent: Uint8Array[][] = []
    const r = start(store, sent)
    // A reader touching every key already sent, after every step: each would come round again forever.
    const touch = (): void => { for (const h of sent.flat()) { const k = toHex(h); store.delete(k); store.set(k, true) } }
    for (let i = 0; i < 7; i++) { touch(); await vi.advanceTimersByTimeAsync(250) }
    touch()
    await vi.advanceTimersByTimeAsync(249)
    // Two steps planned, four at most per round: two rounds in two periods, whatever the reader does.
    expect(sent.length).toBeLessThanOrEqual(8)
    expect(sent.every((b) => b.length <= 512)).toBe(true)
    r.stop()
  })

  it('says nothing for an empty store, and picks up what is stored by the next round', async () => {
    const store = held(0)
    const sent: Uint8Array[][] = []
    const r = start(store, sent)
    expect(sent).toEqual([])
    store.set(key(7), true)
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent.map((b) => b.map((h) => toHex(h)))).toEqual([[key(7)]])
    r.stop()
  })
})
