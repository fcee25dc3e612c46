import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RpcConnection } from '@lume/rpc'
import { BlobLimitKinds, BlobMethods } from '../src/index.js'
import { BlobNet, type BlobRelay } from './helpers/relays.js'

const NO_OWNER = new Uint8Array(32)

describe('a peer that closes while its blobs.begin is still making the temp file', () => {
  let net: BlobNet
  let relay: BlobRelay
  const conns: RpcConnection[] = []
  const temps = async (): Promise<string[]> => await readdir(join(relay.dir, 'plugins', 'blobs', 'tmp'))

  beforeAll(async () => {
    net = await BlobNet.create()
    // Far longer than the test: only the close may release what the begins made.
    relay = await net.add({ uploadIdleMs: 600_000 })
  }, 30_000)
  afterAll(async () => {
    for (const c of conns) c.destroy()
    await net?.close()
  }, 30_000)

  it('leaves no upload and no temp file behind: each is released as its begin completes, not after uploadIdleMs', async () => {
    for (let turns = 0; turns < 12; turns++) {
      const conn = RpcConnection.open(net.testnet.createNode().connect(relay.keyPair.publicKey))
      conns.push(conn)
      await conn.call(BlobMethods.info, new Uint8Array(32))
      // Begins in flight, then the connection goes: at some delay the close lands while a begin is mid-way.
      const begins = Array.from({ length: 4 }, async () => await conn.call(BlobMethods.begin, { size: 1000, owner: NO_OWNER }))
      for (let i = 0; i < turns; i++) await nextTurn()
      conn.destroy()
      await Promise.allSettled(begins)
    }
    await expect.poll(temps, { timeout: 10_000 }).toEqual([])
    expect(relay.relay.book.used(BlobLimitKinds.uploads)).toBe(0)
    expect(relay.relay.book.used(BlobLimitKinds.uploadBytes)).toBe(0)
  }, 60_000)
})
