import { describe, expect, it } from 'vitest'
import type { SignedAnswer } from '@lume/types'
import { AnswerCache, CacheDirectory, decodeAnnouncement, encodeAnnouncement } from '../src/index.js'

const answer = (n: number, size = 10): SignedAnswer => ({
  relayPublicKey: new Uint8Array(32).fill(1),
  requestHash: new Uint8Array(32).fill(n),
  body: new Uint8Array(size),
  timestamp: 1,
  signature: new Uint8Array(64),
  proof: { index: 0, count: 1, siblings: [] }
})

describe('AnswerCache', () => {
  it('evicts the least recently used beyond maxEntries', () => {
    const cache = new AnswerCache({ maxEntries: 2 })
    cache.set('m', answer(1), 1000)
    cache.set('m', answer(2), 1000)
    cache.get(answer(1).requestHash) // 1 is now more recent than 2
    cache.set('m', answer(3), 1000)
    expect(cache.get(answer(2).requestHash)).toBeNull()
    expect(cache.get(answer(1).requestHash)).not.toBeNull()
    expect(cache.size).toBe(2)
  })

  it('bounds bytes, drops expired answers, and refuses one bigger than the cache', () => {
    const cache = new AnswerCache({ maxBytes: 1000 })
    cache.set('m', answer(1, 500), 1000)
    cache.set('m', answer(2, 500), 1000)
    expect(cache.byteSize).toBeLessThanOrEqual(1000)
    expect(cache.size).toBe(1)
    expect(cache.set('m', answer(3, 5000), 1000)).toBe(false)
    cache.set('m', answer(4), 100, 0)
    expect(cache.get(answer(4).requestHash, 50)).not.toBeNull()
    expect(cache.get(answer(4).requestHash, 100)).toBeNull()
  })
})

describe('CacheDirectory', () => {
  it('lists holders until their TTL, and relays seen recently', () => {
    const dir = new CacheDirectory({ onlineForMs: 1000 })
    const a = new Uint8Array(32).fill(0xa)
    const b = new Uint8Array(32).fill(0xb)
    const h = new Uint8Array(32).fill(7)
    dir.record(a, [h], 100, 0)
    dir.record(b, [h], 500, 0)
    expect(dir.holders(h, 50)).toHaveLength(2)
    expect(dir.holders(h, 200)).toHaveLength(1)
    expect(dir.online(900)).toHaveLength(2)
    dir.seen(a, 1500)
    expect(dir.online(1600)).toHaveLength(1)
  })

  it('forgets a holder that withdraws, and only that holder', () => {
    const dir = new CacheDirectory()
    const a = new Uint8Array(32).fill(0xa)
    const b = new Uint8Array(32).fill(0xb)
    const h = new Uint8Array(32).fill(7)
    const other = new Uint8Array(32).fill(8)
    dir.record(a, [h, other], 1000, 0)
    dir.record(b, [h], 1000, 0)
    dir.forget(a, [h], 10)
    expect(dir.holders(h, 20)).toEqual([b])
    expect(dir.holders(other, 20)).toEqual([a])
    // A withdrawal of what was never announced changes nothing.
    dir.forget(b, [other], 30)
    expect(dir.holders(other, 40)).toEqual([a])
    dir.forget(b, [h], 50)
    expect(dir.holders(h, 60)).toEqual([])
    expect(dir.size).toMatchObject({ hashes: 1, holders: 1 })
  })
})

// Issue 12 item 2: 'have' announcements from fresh origin keys, naming the
// same 512 hashes with a TTL of 2^40 ms, grew the directory without bound.
describe('CacheDirectory under announcement spam', () => {
  const hashes = Array.from({ length: 512 }, (_, i) => new Uint8Array(32).fill(0).map((_, j) => j === 0 ? i & 0xff : j === 1 ? i >> 8 : 0))
  const origin = (n: number): Uint8Array => { const key = new Uint8Array(32); new DataView(key.buffer).setUint32(0, n); return key }

  it('keeps holders per hash, holder records and last-seen relays at their caps, however many fresh origins announce', () => {
    const dir = new CacheDirectory({ maxHoldersPerHash: 4, maxHolders: 1000, maxRelays: 50 })
    for (let n = 0; n < 300; n++) dir.record(origin(n), hashes, 2 ** 40, 0)
    expect(dir.size.holders).toBeLessThanOrEqual(1000)
    expect(dir.size.relays).toBe(50)
    for (const hash of hashes) expect(dir.holders(hash, 1).length).toBeLessThanOrEqual(4)
    // The newest announcers are the ones kept.
    expect(dir.holders(hashes[511]!, 1).map((k) => new DataView(k.buffer).getUint32(0))).toEqual([296, 297, 298, 299])
  })

  it('caps an announcement’s TTL at maxAnnounceTtlMs', () => {
    const dir = new CacheDirectory({ maxAnnounceTtlMs: 1000 })
    dir.record(origin(1), [hashes[0]!], 2 ** 40, 0)
    expect(dir.holders(hashes[0]!, 999)).toHaveLength(1)
    expect(dir.holders(hashes[0]!, 1000)).toHaveLength(0)
  })

  it('sweeps expired holders and stale relays without any lookup', () => {
    const dir = new CacheDirectory({ onlineForMs: 100 })
    for (let n = 0; n < 10; n++) dir.record(origin(n), hashes.slice(0, 10), 50, 0)
    dir.record(origin(99), [hashes[0]!], 500, 100)
    expect(dir.size).toEqual({ hashes: 10, holders: 101, relays: 11 })
    dir.sweep(150)
    expect(dir.size).toEqual({ hashes: 1, holders: 1, relays: 1 })
    dir.sweep(1000)
    expect(dir.size).toEqual({ hashes: 0, holders: 0, relays: 0 })
  })
})

describe('announcements', () => {
  it('round-trip, and other topics or garbage decode to null', () => {
    const hashes = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)]
    const decoded = decodeAnnouncement(encodeAnnouncement({ type: 'have', ttlMs: 5000, hashes }))
    expect(decoded).toMatchObject({ type: 'have', ttlMs: 5000 })
    expect((decoded as { hashes: Uint8Array[] }).hashes.map((h) => Buffer.from(h).toString('hex'))).toEqual(hashes.map((h) => Buffer.from(h).toString('hex')))
    expect(decodeAnnouncement(encodeAnnouncement({ type: 'online' }))).toEqual({ type: 'online' })
    expect(decodeAnnouncement(Uint8Array.of(1, 2, 3))).toBeNull()
  })
})
