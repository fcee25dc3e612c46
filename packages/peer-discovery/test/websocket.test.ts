import HyperDHT from 'hyperdht'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { CoreMethods } from '@lume/rpc/core'
import { RelayPool, webSocketDialer, type WebSocketConstructor } from '@lume/rpc-client'
import { createInvite, openInvite, PeerDiscovery, StaticSource, webSocketEndpoints } from '../src/index.js'

describe('from a relay key to an authenticated WebSocket connection', () => {
  let testnet: Testnet
  let relay: Relay
  const keyPair = HyperDHT.keyPair()
  beforeAll(async () => {
    testnet = await createTestnet()
    relay = await createRelay({ keyPair, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, websocket: { port: 0, host: '127.0.0.1' } })
  })
  afterAll(async () => {
    await relay?.close()
    await testnet?.close()
  })

  it('invite link → verified record → its ws:// endpoint → Noise proves the key → RPC', async () => {
    const link = createInvite({ publicKey: keyPair.publicKey, secretKey: keyPair.secretKey }, ['dht', relay.websocketUrl ?? '', '127.0.0.1:1'])
    const discovery = new PeerDiscovery()
    discovery.register('invite', new StaticSource(openInvite(link).records))
    const { record } = await discovery.discover(keyPair.publicKey, { timeoutMs: 5000 })
    expect(webSocketEndpoints(record)).toEqual([relay.websocketUrl])
    const dialer = webSocketDialer({ WebSocket: WebSocket as unknown as WebSocketConstructor })
    dialer.set(record.publicKey, webSocketEndpoints(record)[0] ?? '')
    const pool = new RelayPool({ dialer })
    try {
      const conn = await pool.connect(record.publicKey)
      expect((await conn.call(CoreMethods.info, null)).publicKey).toBe(relay.publicKeyHex)
    } finally {
      await pool.close()
      await discovery.close()
    }
  })
})
