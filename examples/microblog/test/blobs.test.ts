import HyperDHT from 'hyperdht'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { RegistryMethods, MemoryStore, registryPlugin } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { generateKeyPair, sign } from '@lume/types'
import { hash as blake3 } from '@lume/bao-stream'
import { BLOB_CONTEXT, BlobMethods, blobPlugin } from '../src/index.js'

describe('the blob plugin bounds what strangers can make a relay hold', () => {
  let testnet: Testnet
  let relay: Relay
  let conn: RpcConnection

  beforeAll(async () => {
    testnet = await createTestnet()
    relay = await createRelay({ keyPair: HyperDHT.keyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [registryPlugin({ store: new MemoryStore() }), blobPlugin({ maxBytesPerOwner: 64 * 1024, maxTotalBytes: 100 * 1024 })] })
    conn = RpcConnection.open(testnet.createNode().connect(relay.publicKey))
  }, 30_000)
  afterAll(async () => {
    conn?.destroy()
    await relay?.close()
    await testnet?.close()
  }, 30_000)

  const upload = (fill: number): { owner: Uint8Array, content: Uint8Array, signature: Uint8Array } => {
    const owner = generateKeyPair()
    const content = new Uint8Array(40_000).fill(fill)
    return { owner: owner.publicKey, content, signature: sign(BLOB_CONTEXT, blake3(content), owner.secretKey) }
  }

  it('fresh keys, each within its own quota, cannot together fill the relay: past maxTotalBytes it is BUSY', async () => {
    await conn.call(BlobMethods.put, upload(1))
    await conn.call(BlobMethods.put, upload(2))
    // A third stranger's key would take the relay past its total: refused, the relay as a whole is full.
    await expect(conn.call(BlobMethods.put, upload(3))).rejects.toMatchObject({ code: 'BUSY' })
    // What it holds is still served, and the registry still works.
    expect(await conn.call(RegistryMethods.get, new Uint8Array(33).fill(1))).toBeNull()
  }, 30_000)
})
