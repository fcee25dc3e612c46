import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { equalBytes } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { BlobMethods } from '../src/index.js'
import { BlobNet, testBytes, type BlobRelay } from './helpers/relays.js'

describe('a relay that drops a blob', () => {
  let net: BlobNet
  let holder: BlobRelay
  let other: BlobRelay

  beforeAll(async () => {
    net = await BlobNet.create()
    // No cache: a blob nobody pins any more is dropped at once.
    holder = await net.add({ cacheBytes: 0 })
    other = await net.add()
    await other.relay.connect(holder.keyPair.publicKey)
  }, 30_000)
  afterAll(async () => { await net?.close() }, 30_000)

  const namesHolder = async (hash: Uint8Array): Promise<boolean> =>
    (await net.call(other, BlobMethods.holders, hash)).some((k) => equalBytes(k, holder.keyPair.publicKey))

  it('withdraws its announcement: other relays stop naming it as a holder long before the announcement\'s TTL', async () => {
    const owner = generateKeyPair()
    const client = net.client([holder])
    const { hash } = await client.put(testBytes(50_000, 3), { keyPair: owner })
    await expect.poll(async () => await namesHolder(hash), { timeout: 20_000, interval: 200 }).toBe(true)

    await client.unpin(hash, owner)
    expect(await net.call(holder, BlobMethods.info, hash)).toBe(null)
    // The announcement said 10 minutes; the withdrawal travels the flood like it did.
    await expect.poll(async () => await namesHolder(hash), { timeout: 20_000, interval: 200 }).toBe(false)
    // A client asking the other relay for holders is not sent to the relay that dropped it.
    expect(await net.client([other]).holders(hash)).toEqual([])
  }, 60_000)
})
