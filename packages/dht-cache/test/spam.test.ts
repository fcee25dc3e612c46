import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { Flood, floodPlugin, packetCodec, packetMessage } from '@lume/dht-flood'
import { encode, SigningContext } from '@lume/types'
import { generateKeyPair, sign } from '@lume/crypto'
import { DhtCache, encodeAnnouncement, MAX_HASHES_PER_ANNOUNCE } from '../src/index.js'

// Issue 12 item 2: flooded 'have' announcements from fresh origin keys, all
// naming the same 512 hashes with a TTL of 2^40 ms, grew a relay's directory
// until it ran out of memory.
describe('a relay’s cache directory under announcement spam', () => {
  let testnet: Testnet
  let relay: Relay
  let flood: Flood
  let cache: DhtCache

  beforeAll(async () => {
    testnet = await createTestnet()
    const keyPair = generateKeyPair()
    flood = new Flood({ keyPair })
    cache = new DhtCache({ flood, maxHoldersPerHash: 4, maxHolders: 1000, maxRelays: 20, maxAnnounceTtlMs: 300, onlineForMs: 300, sweepIntervalMs: 50 })
    relay = await createRelay({ keyPair, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [floodPlugin(flood), cache.plugin] })
  }, 30_000)
  afterAll(async () => {
    await relay?.close()
    await testnet?.close()
  }, 30_000)

  it('stays at its caps however many fresh origins announce, and forgets them when they expire without any lookup', async () => {
    // The spam arrives from a neighbour relay (its transport here: the flood's own API).
    const neighbour = generateKeyPair()
    const remove = flood.addPeer(neighbour.publicKey, { packet: () => {}, direct: () => {} })
    const hashes = Array.from({ length: MAX_HASHES_PER_ANNOUNCE }, (_, i) => Uint8Array.from({ length: 32 }, (_, j) => j < 2 ? (i >> (8 * j)) & 0xff : 7))
    const payload = encodeAnnouncement({ type: 'have', ttlMs: 2 ** 40, hashes })
    const origins = 100
    for (let n = 0; n < origins; n++) {
      const origin = generateKeyPair()
      const seq = Date.now() * 1000 + n
      flood.receivePacket(neighbour.publicKey, encode(packetCodec, { origin: origin.publicKey, seq, ttl: 2, payload, signature: sign(SigningContext.FLOOD_PACKET, packetMessage(origin.publicKey, seq, payload), origin.secretKey) }))
    }
    expect(flood.stats.delivered).toBe(origins)
    const size = cache.directory.size
    expect(size.holders).toBeLessThanOrEqual(1000)
    expect(size.relays).toBe(20)
    // A TTL of 2^40 ms is believed for maxAnnounceTtlMs only; the sweep timer then empties the directory (and the last-seen map).
    await expect.poll(() => cache.directory.size, { timeout: 5000 }).toEqual({ hashes: 0, holders: 0, relays: 0 })
    remove()
  })
})
