import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RelayPool, webSocketDialer, type WebSocketConstructor } from '@lume/rpc-client'
import { equalBytes, toHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { BlobClient } from '../src/index.js'
import { BlobNet, testBytes, type BlobRelay } from './helpers/relays.js'

const NodeWebSocket = WebSocket as unknown as WebSocketConstructor

describe('the client over the WebSocket transport (as a browser reaches relays)', () => {
  let net: BlobNet
  const relays: BlobRelay[] = []
  let pool: RelayPool

  beforeAll(async () => {
    net = await BlobNet.create()
    relays.push(await net.add(), await net.add())
    const endpoints = Object.fromEntries(relays.map((r) => [toHex(r.keyPair.publicKey), r.relay.websocketUrl ?? '']))
    pool = new RelayPool({ dialer: webSocketDialer({ endpoints, WebSocket: NodeWebSocket }), relays: relays.map((r) => r.keyPair.publicKey) })
  }, 30_000)
  afterAll(async () => {
    await pool?.close()
    await net?.close()
  }, 30_000)

  it('uploads to two relays and reads an encrypted blob back from both, verified', async () => {
    const client = new BlobClient({ pool, relays: relays.map((r) => r.keyPair.publicKey), rangeBytes: 256 * 1024 })
    const content = testBytes(3_000_000, 17)
    const put = await client.put(content, { keyPair: generateKeyPair(), encrypt: true })
    const used = new Set<string>()
    expect(equalBytes(await client.bytes(put.link), content)).toBe(true)
    for (const relay of relays) {
      expect(equalBytes(await new BlobClient({ pool, relays: [relay.keyPair.publicKey] }).bytes(put.link, { start: 2_000_000, onProgress: () => used.add(toHex(relay.keyPair.publicKey)) }), content.subarray(2_000_000))).toBe(true)
    }
    expect(used.size).toBe(2)
  })
})
