import { describe, expect, it } from 'vitest'
import type { CachedAnswer } from '@lume/types'
import { AnswerCache, CacheDirectory, decodeAnnouncement, encodeAnnouncement } from '../src/index.js'

const answer = (n: number, size = 10): CachedAnswer => ({
  relayPublicKey: new Uint8Array(32).fill(1), requestHash: new Uint8Array(32).fill(n), body: new Uint8Array(size),
  timestamp: 1, signature: new Uint8Array(64), proof: { index: 0, count: 1, siblings: [] }
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
    const dir = new CacheDirectory(1000)
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
