import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { equalBytes } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { BlobMethods, signPin, signUnpin, type BlobClient } from '../src/index.js'
import { BlobNet, testBytes, type BlobRelay } from './helpers/relays.js'

const K = 1000

/** What `relay` says it holds of `hash` (its size, or null). */
async function info (net: BlobNet, relay: BlobRelay, hash: Uint8Array): Promise<number | null> {
  return await net.call(relay, BlobMethods.info, hash)
}

describe('quotas, pins and the cache', () => {
  let net: BlobNet
  let source: BlobRelay
  let keeper: BlobRelay

  beforeAll(async () => {
    net = await BlobNet.create()
    source = await net.add({ perKeyBytes: 250 * K, maxPinnedBytes: 450 * K, announceTtlMs: 2000 })
    keeper = await net.add({ cacheBytes: 150 * K, announceTtlMs: 2000 })
    await keeper.relay.connect(source.keyPair.publicKey)
  }, 30_000)
  afterAll(async () => { await net?.close() }, 30_000)

  it('refuses a key over its quota (QUOTA_EXCEEDED) while another key still stores', async () => {
    const client = net.client([source])
    const alice = generateKeyPair()
    await client.put(testBytes(150 * K, 1), { keyPair: alice })
    await expect(client.put(testBytes(150 * K, 2), { keyPair: alice })).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' })
    // A different key is unaffected.
    await client.put(testBytes(150 * K, 2), { keyPair: generateKeyPair() })
  })

  it('frees a key\'s quota when it unpins (signed by that key only), and the blob becomes cache', async () => {
    const relay = await net.add({ perKeyBytes: 200 * K, cacheBytes: 150 * K })
    const client = net.client([relay])
    const bob = generateKeyPair()
    const first = await client.put(testBytes(120 * K, 31), { keyPair: bob })
    await expect(client.put(testBytes(120 * K, 32), { keyPair: bob })).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' })
    const relayKey = relay.keyPair.publicKey
    // Neither another key's unpin nor bob's pin signature (another context) unpins it.
    await expect(net.call(relay, BlobMethods.unpin, { owner: bob.publicKey, hash: first.hash, signature: signUnpin(generateKeyPair().secretKey, relayKey, first.hash, 120 * K) })).rejects.toMatchObject({ code: 'BAD_SIGNATURE' })
    await expect(net.call(relay, BlobMethods.unpin, { owner: bob.publicKey, hash: first.hash, signature: signPin(bob.secretKey, relayKey, first.hash, 120 * K) })).rejects.toMatchObject({ code: 'BAD_SIGNATURE' })
    await client.unpin(first.hash, bob)
    await client.unpin(first.hash, bob) // twice is harmless
    await client.put(testBytes(120 * K, 32), { keyPair: bob })
    // Unpinned, the first is cache now (it fits the 150 kB cache); the unpin outlives a restart.
    expect(await info(net, relay, first.hash)).toBe(120 * K)
    await net.restart(relay)
    await client.put(testBytes(60 * K, 33), { keyPair: bob })
    await expect(client.put(testBytes(30 * K, 34), { keyPair: bob })).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' })
  })

  it('refuses past the relay-wide pin quota whatever the key', async () => {
    const client = net.client([source])
    await client.put(testBytes(140 * K, 3), { keyPair: generateKeyPair() })
    await expect(client.put(testBytes(100 * K, 4), { keyPair: generateKeyPair() })).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', message: expect.stringContaining('this relay') })
  })

  it('keeps what it fetched for a client, announces it, evicts the cache LRU-first, and pins survive eviction and restart', async () => {
    const c1 = testBytes(100 * K, 11)
    const c2 = testBytes(100 * K, 12)
    // `source` is full from the tests above: the cached blobs come from a relay of their own.
    const relayHeld = await net.add({ perKeyBytes: 1000 * K, announceTtlMs: 2000 })
    await keeper.relay.connect(relayHeld.keyPair.publicKey)
    const upHeld = net.client([relayHeld])
    const h1 = (await upHeld.put(c1, { keyPair: generateKeyPair() })).hash
    const h2 = (await upHeld.put(c2, { keyPair: generateKeyPair() })).hash
    const pinned = testBytes(120 * K, 13)
    const viaKeeper: BlobClient = net.client([keeper])
    const p = (await viaKeeper.put(pinned, { keyPair: generateKeyPair() })).hash

    // The keeper learns who holds h1 over the flood, fetches it, keeps it and serves it.
    await expect.poll(async () => { try { return await viaKeeper.fetchVia(keeper.keyPair.publicKey, h1, 5000) } catch { return 0 } }, { timeout: 20_000, interval: 300 }).toBe(100 * K)
    expect(await info(net, keeper, h1)).toBe(100 * K)
    // ... and announces it: the holder it fetched from now names the keeper too.
    const askHeld = net.client([relayHeld])
    await expect.poll(async () => (await askHeld.holders(h1)).some((k) => equalBytes(k, keeper.keyPair.publicKey)), { timeout: 20_000, interval: 300 }).toBe(true)

    // A second cached blob does not fit beside the first: the least recently used goes; the pin stays.
    expect(await viaKeeper.fetchVia(keeper.keyPair.publicKey, h2, 20_000)).toBe(100 * K)
    expect(await info(net, keeper, h1)).toBe(null)
    expect(await info(net, keeper, h2)).toBe(100 * K)
    expect(equalBytes(await net.client([keeper]).bytes(p), pinned)).toBe(true)
    // An owner pins the cached blob (signed, no re-upload): now it outlives the cache.
    await expect(viaKeeper.pin(h1, generateKeyPair())).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await viaKeeper.pin(h2, generateKeyPair())
    expect(await viaKeeper.fetchVia(keeper.keyPair.publicKey, h1, 20_000)).toBe(100 * K)
    expect(await info(net, keeper, h2)).toBe(100 * K)
    expect(await info(net, keeper, h1)).toBe(100 * K)

    await net.restart(keeper)
    expect(equalBytes(await net.client([keeper]).bytes(p), pinned)).toBe(true)
    expect(await info(net, keeper, h2)).toBe(100 * K)
  }, 60_000)
})
