import { describe, expect, it, vi } from 'vitest'
import { toHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { createInvite, createShortInvite, encodeRecord, openInvite, PeerDiscovery, signRecord, StaticSource, verifyRecord, type Discovered, type DiscoverySource } from '../src/index.js'

const after = async <T>(ms: number, value: T): Promise<T> => await new Promise((resolve) => setTimeout(() => resolve(value), ms))

describe('signed peer records', () => {
  const relay = generateKeyPair()
  it('verify for their key, fresh; refuse forged, expired, future and other-key records by code', () => {
    const record = signRecord(relay, ['dht', 'ws://127.0.0.1:8080'])
    expect(verifyRecord(record, relay.publicKey, 60_000).addresses).toEqual(['dht', 'ws://127.0.0.1:8080'])
    const mallory = generateKeyPair()
    const forged = { ...signRecord(mallory, ['evil:1']), publicKey: relay.publicKey }
    expect(() => verifyRecord(forged, relay.publicKey, 60_000)).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' }))
    expect(() => verifyRecord({ ...record, addresses: ['evil:1'] }, relay.publicKey, 60_000)).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' }))
    expect(() => verifyRecord(signRecord(relay, ['x'], Date.now() - 120_000), relay.publicKey, 60_000)).toThrow(expect.objectContaining({ code: 'EXPIRED' }))
    expect(() => verifyRecord(signRecord(relay, ['x'], Date.now() + 3_600_000), relay.publicKey, 60_000)).toThrow(expect.objectContaining({ code: 'EXPIRED' }))
    expect(() => verifyRecord(record, mallory.publicKey, 60_000)).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' }))
  })
})

describe('PeerDiscovery', () => {
  const relay = generateKeyPair()
  const record = signRecord(relay, ['dht'])

  it('races sources in parallel: one hanging, one answering after 100 ms, done at 100 ms (fake timers)', async () => {
    vi.useFakeTimers()
    try {
      const discovery = new PeerDiscovery({ sourceTimeoutMs: 5000 })
      let aborted = false
      discovery.register('hangs', { find: async (_k, signal) => await new Promise((_resolve, reject) => signal.addEventListener('abort', () => { aborted = true; reject(new Error('aborted')) })) })
      discovery.register('answers', { find: async () => await after(100, encodeRecord(record)) })
      let found: Discovered | undefined
      const pending = discovery.discover(relay.publicKey).then((d) => { found = d })
      await vi.advanceTimersByTimeAsync(99)
      expect(found).toBe(undefined)
      await vi.advanceTimersByTimeAsync(1)
      await pending
      expect(found?.source).toBe('answers')
      expect(aborted).toBe(true) // the loser was cancelled
    } finally {
      vi.useRealTimers()
    }
  })

  it('caches: a second lookup asks no source', async () => {
    let asked = 0
    const discovery = new PeerDiscovery()
    discovery.register('counting', { find: async () => { asked++; return record } })
    expect((await discovery.discover(relay.publicKey)).cached).toBe(false)
    expect((await discovery.discover(relay.publicKey)).cached).toBe(true)
    expect(asked).toBe(1)
  })

  it('ignores forged, expired and other-key answers and still succeeds through another source', async () => {
    const mallory = generateKeyPair()
    const discovery = new PeerDiscovery()
    discovery.register('forger', { find: async () => ({ ...signRecord(mallory, ['evil:1']), publicKey: relay.publicKey }) })
    discovery.register('stale', { find: async () => signRecord(relay, ['old:1'], Date.now() - 3 * 86_400_000) })
    discovery.register('other', { find: async () => signRecord(mallory, ['x:1']) })
    discovery.register('junk', { find: async () => Uint8Array.of(1, 2, 3) })
    discovery.register('good', { find: async () => await after(50, record) })
    const found = await discovery.discover(relay.publicKey)
    expect(found.source).toBe('good')
    expect(found.record.addresses).toEqual(['dht'])
    const scores = discovery.scores()
    expect(scores.forger).toBeLessThan(0)
    expect(scores.good).toBe(1)
  })

  it('reports what each source said when none knows the key, and times out when asked to', async () => {
    const discovery = new PeerDiscovery({ sourceTimeoutMs: 200 })
    discovery.register('empty', new StaticSource())
    discovery.register('slow', { find: async () => await after(5000, null) } satisfies DiscoverySource)
    const err = await discovery.discover(relay.publicKey).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'NOT_FOUND', details: { sources: { empty: expect.stringMatching(/^NOT_FOUND/), slow: expect.stringMatching(/^TIMEOUT/) } } })
    const hang = new PeerDiscovery({ sourceTimeoutMs: 10_000 })
    hang.register('never', { find: async () => await new Promise(() => {}) })
    await expect(hang.discover(relay.publicKey, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'TIMEOUT' })
  })
})

describe('invite links', () => {
  it('round-trip: a full invite bootstraps discovery with no other source', async () => {
    const relay = generateKeyPair()
    const friend = signRecord(generateKeyPair(), ['dht'])
    const link = createInvite(relay, ['dht', 'ws://127.0.0.1:9000'], [friend])
    expect(link).toMatch(/^lume:invite:[A-Za-z0-9_-]+$/)
    const opened = openInvite(link)
    expect(toHex(opened.publicKey)).toBe(toHex(relay.publicKey))
    expect(opened.records).toHaveLength(2)
    const discovery = new PeerDiscovery()
    discovery.register('invite', new StaticSource(opened.records))
    expect((await discovery.discover(relay.publicKey)).record.addresses).toContain('ws://127.0.0.1:9000')
    expect((await discovery.discover(friend.publicKey)).source).toBe('invite')
  })

  it('short links carry the key and a hint only; damaged links are refused', () => {
    const relay = generateKeyPair()
    const short = createShortInvite(relay.publicKey, 'irc.example #lume')
    const opened = openInvite(short)
    expect(toHex(opened.publicKey)).toBe(toHex(relay.publicKey))
    expect(opened.records).toEqual([])
    expect(opened.hint).toBe('irc.example #lume')
    expect(() => openInvite('lume:invite:@@@')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    expect(() => openInvite('https://example.com')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    const tampered = createInvite(relay, ['dht']).replace(/.$/, (c) => c === 'A' ? 'B' : 'A')
    expect(() => openInvite(tampered)).toThrow()
  })
})
