import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { equalBytes } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { BlobLimitKinds, BlobMethods } from '../src/index.js'
import { BlobNet, testBytes, type BlobRelay } from './helpers/relays.js'

const MiB = 1024 * 1024

describe('a holder that serves valid bytes slowly', () => {
  let net: BlobNet
  let slow: BlobRelay
  let fetcher: BlobRelay
  let watcher: BlobRelay

  beforeAll(async () => {
    net = await BlobNet.create()
    // Every range it sends is valid and well inside the 10 s stall timeout: 2 MiB take it 4 s.
    slow = await net.add({ serveBytesPerSecond: 512 * 1024 })
    // 2 MiB at 10 MiB/s plus 200 ms: about 0.4 s allowed.
    fetcher = await net.add({ fetchFloorMs: 200, fetchMinBytesPerSecond: 10 * MiB })
    watcher = await net.add()
    await fetcher.relay.connect(slow.keyPair.publicKey)
    await watcher.relay.connect(fetcher.keyPair.publicKey)
  }, 30_000)
  afterAll(async () => { await net?.close() }, 30_000)

  it('cannot keep a fetch slot past the fetch deadline: the fetch fails TIMEOUT, its temp file goes, nothing is kept or announced', async () => {
    const { hash } = await net.client([slow]).put(testBytes(2 * MiB, 7), { keyPair: generateKeyPair() })
    await expect.poll(async () => (await net.call(fetcher, BlobMethods.holders, hash)).some((k) => equalBytes(k, slow.keyPair.publicKey)), { timeout: 20_000, interval: 200 }).toBe(true)

    const conn = await net.connect(fetcher)
    await expect(conn.call(BlobMethods.fetch, hash, { timeoutMs: 30_000 })).rejects.toMatchObject({ code: 'TIMEOUT' })
    expect(await net.call(fetcher, BlobMethods.info, hash)).toBe(null)
    expect(await readdir(join(fetcher.dir, 'plugins', 'blobs', 'tmp'))).toEqual([])
    expect(fetcher.relay.book.used(BlobLimitKinds.fetches)).toBe(0)
    // The watcher hears the slow holder's announcements, never one from the fetcher.
    await expect.poll(async () => (await net.call(watcher, BlobMethods.holders, hash)).length, { timeout: 20_000, interval: 200 }).toBeGreaterThan(0)
    expect((await net.call(watcher, BlobMethods.holders, hash)).some((k) => equalBytes(k, fetcher.keyPair.publicKey))).toBe(false)
  }, 60_000)
})
