import HyperDHT from 'hyperdht'
import { WebSocket } from 'ws'
import RelayedDHT from '@hyperswarm/dht-relay'
import Stream from '@hyperswarm/dht-relay/ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { CoreMethods, RpcConnection } from '@lume/rpc'
import { createRelay, type Relay } from '../src/index.js'

/** What a browser does: a DHT client over the relay's WebSocket, on a throwaway transport key. */
async function viaWebSocket (url: string, relayKey: Uint8Array): Promise<{ conn: RpcConnection, close: () => Promise<void> }> {
  const ws = new WebSocket(url)
  ws.on('error', () => {})
  const stream = new Stream(true, ws) as unknown as { on: (e: string, f: () => void) => void }
  stream.on('error', () => {}) // a refused or dropped WebSocket is reported through the calls that fail
  const dht = new RelayedDHT(stream, { keyPair: HyperDHT.keyPair() })
  // dht-relay rejects ready() when the socket fails before opening; unobserved, that is an unhandled rejection.
  dht.ready().catch(() => {})
  const conn = RpcConnection.open(dht.connect(relayKey))
  return { conn, close: async () => { conn.destroy(); await dht.destroy().catch(() => {}); ws.terminate() } }
}

describe('dht-relay gateway (custodial, optional)', () => {
  let testnet: Testnet
  let relay: Relay
  beforeAll(async () => {
    testnet = await createTestnet()
    relay = await createRelay({ keyPair: HyperDHT.keyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', dhtRelayGateway: { port: 0 } })
  })
  afterAll(async () => {
    await relay?.close()
    await testnet?.close()
  })

  it('lets a browser-style client call the relay through the DHT over WebSocket', async () => {
    expect(relay.gatewayUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    const client = await viaWebSocket(relay.gatewayUrl!, relay.publicKey)
    try {
      expect(Math.abs(await client.conn.call(CoreMethods.ping, null) - Date.now())).toBeLessThan(60_000)
      expect((await client.conn.call(CoreMethods.info, null)).publicKey).toBe(relay.publicKeyHex)
    } finally {
      await client.close()
    }
  })

  it('survives relayed connections that fail (unknown key, abrupt close)', async () => {
    const nobody = await viaWebSocket(relay.gatewayUrl!, new Uint8Array(32).fill(3))
    await expect(nobody.conn.call(CoreMethods.ping, null, { timeoutMs: 5000 })).rejects.toMatchObject({ code: expect.any(String) })
    await nobody.close()
    const abrupt = await viaWebSocket(relay.gatewayUrl!, relay.publicKey)
    await abrupt.conn.call(CoreMethods.ping, null)
    abrupt.conn.destroy(new Error('gone'))
    await abrupt.close()
    // The relay itself is untouched, and the endpoint still serves (restarted if it had to be).
    const direct = RpcConnection.open(testnet.createNode().connect(relay.publicKey))
    expect(await direct.call(CoreMethods.ping, null)).toBeGreaterThan(0)
    direct.destroy()
    await expect.poll(async () => {
      const again = await viaWebSocket(relay.gatewayUrl!, relay.publicKey)
      try { return await again.conn.call(CoreMethods.ping, null, { timeoutMs: 3000 }) > 0 } catch { return false } finally { await again.close() }
    }, { timeout: 15_000, interval: 500 }).toBe(true)
  }, 30_000)

  it('restarts the gateway when its process dies, on the same URL; the relay never goes down', async () => {
    const url = relay.gatewayUrl!
    const pid = relay.dhtRelayGateway!.pid!
    process.kill(pid, 'SIGKILL')
    await expect.poll(() => relay.dhtRelayGateway!.restartCount, { timeout: 5000 }).toBeGreaterThan(0)
    await expect.poll(() => relay.dhtRelayGateway!.pid !== pid && relay.gatewayUrl === url, { timeout: 10_000 }).toBe(true)
    await expect.poll(async () => {
      const client = await viaWebSocket(url, relay.publicKey)
      try { return await client.conn.call(CoreMethods.ping, null, { timeoutMs: 3000 }) > 0 } catch { return false } finally { await client.close() }
    }, { timeout: 15_000, interval: 500 }).toBe(true)
  }, 40_000)
})
