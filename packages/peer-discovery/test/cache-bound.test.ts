import { afterEach, describe, expect, it, vi } from 'vitest'
import { ErrorCode, LumeError } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { PeerDiscovery, signRecord } from '../src/index.js'

// The cache holds a record per key anyone asked about: it must stay bounded
// (least recently used out first) and drop what has expired.
describe('PeerDiscovery cache is bounded', () => {
  afterEach(() => { vi.useRealTimers() })

  const relays = [generateKeyPair(), generateKeyPair(), generateKeyPair()]
  const counting = (): { asked: number[], discovery: PeerDiscovery } => {
    const asked = [0, 0, 0]
    const discovery = new PeerDiscovery({ maxCacheEntries: 2 })
    discovery.register('static', {
      find: async (key) => {
        const i = relays.findIndex((r) => r.publicKey.every((b, j) => b === key[j]))
        asked[i] = (asked[i] as number) + 1
        return signRecord(relays[i] as typeof relays[number], ['dht'])
      }
    })
    return { asked, discovery }
  }

  it('keeps at most maxCacheEntries records, evicting the least recently used', async () => {
    const { asked, discovery } = counting()
    const [a, b, c] = relays.map((r) => r.publicKey) as [Uint8Array, Uint8Array, Uint8Array]
    await discovery.discover(a)
    await discovery.discover(b)
    expect((await discovery.discover(a)).cached).toBe(true) // a is now the most recent
    await discovery.discover(c) // evicts b
    expect(discovery.cacheSize).toBe(2)
    expect((await discovery.discover(a)).cached).toBe(true)
    expect((await discovery.discover(c)).cached).toBe(true)
    expect((await discovery.discover(b)).cached).toBe(false)
    expect(asked).toEqual([1, 2, 1])
    await discovery.close()
  })

  it('drops expired records instead of keeping them', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const { discovery } = counting()
    await discovery.discover(relays[0]!.publicKey)
    vi.setSystemTime(Date.now() + 10 * 60_000)
    await discovery.discover(relays[1]!.publicKey)
    expect(discovery.cacheSize).toBe(1)
    await discovery.close()
  })

  it('refuses a maxCacheEntries that is not a positive integer', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) {
      expect(() => new PeerDiscovery({ maxCacheEntries: n })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }))
    }
    expect(LumeError.isInstance((() => { try { return new PeerDiscovery({ maxCacheEntries: 0 }) } catch (err) { return err } })())).toBe(true)
  })
})
