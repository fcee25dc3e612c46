import { once } from 'node:events'
import HyperDHT from 'hyperdht'
import { WebSocket } from 'ws'
import RelayedDHT from '@hyperswarm/dht-relay'
import Stream from '@hyperswarm/dht-relay/ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { RpcConnection } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
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

describe('dht-relay gateway under abuse', () => {
  let testnet: Testnet
  let relay: Relay
  beforeAll(async () => {
    testnet = await createTestnet()
    relay = await createRelay({ keyPair: HyperDHT.keyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', dhtRelayGateway: { port: 0, maxPerAddress: 4, idleTimeoutMs: 1500 } })
  })
  afterAll(async () => {
    await relay?.close()
    await testnet?.close()
  })

  it('a client listening twice on one key pair is dropped; the gateway keeps serving everyone else', async () => {
    const pid = relay.dhtRelayGateway!.pid
    const bystander = await viaWebSocket(relay.gatewayUrl!, relay.publicKey)
    expect(await bystander.conn.call(CoreMethods.ping, null)).toBeGreaterThan(0)
    // The attacker: dht-relay 0.4.3 leaves KEYPAIR_ALREADY_USED unhandled, which used to end the gateway.
    const ws = new WebSocket(relay.gatewayUrl!)
    ws.on('error', () => {})
    const wsClosed = once(ws, 'close')
    const stream = new Stream(true, ws) as unknown as { on: (e: string, f: () => void) => void }
    stream.on('error', () => {})
    const attacker = new RelayedDHT(stream, { keyPair: HyperDHT.keyPair() })
    await attacker.ready()
    const keyPair = HyperDHT.keyPair()
    const first = attacker.createServer()
    const second = attacker.createServer()
    void first.listen(keyPair).catch(() => {})
    void second.listen(keyPair).catch(() => {})
    await expect.poll(() => relay.dhtRelayGateway!.clientErrorCount, { timeout: 10_000 }).toBeGreaterThan(0)
    await wsClosed
    expect(relay.dhtRelayGateway!.pid).toBe(pid)
    expect(relay.dhtRelayGateway!.restartCount).toBe(0)
    expect(await bystander.conn.call(CoreMethods.ping, null)).toBeGreaterThan(0)
    await bystander.close()
    await attacker.destroy().catch(() => {})
  }, 30_000)

  it('caps sockets per address and closes idle ones', async () => {
    const sockets = Array.from({ length: 6 }, () => { const ws = new WebSocket(relay.gatewayUrl!); ws.on('error', () => {}); return ws })
    const codes = await Promise.all(sockets.map(async (ws) => { const [code] = await once(ws, 'close') as [number]; return code }))
    // Four were let in and closed for being idle (1000); the rest were refused for their address (1008).
    expect(codes.filter((c) => c === 1008).length).toBeGreaterThanOrEqual(2)
    expect(codes.filter((c) => c === 1000).length).toBeLessThanOrEqual(4)
  }, 30_000)

  it('garbage, oversized frames and 1,000 idle sockets: the gateway keeps serving an honest page', async () => {
    const pid = relay.dhtRelayGateway!.pid
    const garbage = new WebSocket(relay.gatewayUrl!, { localAddress: '127.0.2.1' })
    garbage.on('error', () => {})
    await once(garbage, 'open')
    const garbageClosed = once(garbage, 'close')
    garbage.send(Buffer.alloc(2000, 0xff))
    garbage.send(Buffer.alloc(4 * 1024 * 1024 + 1))
    await garbageClosed
    // 250 addresses x 4 sockets that never say anything: within each address's cap, over the gateway's.
    const idle: WebSocket[] = []
    for (let a = 0; a < 250; a++) {
      for (let i = 0; i < 4; i++) {
        const ws = new WebSocket(relay.gatewayUrl!, { localAddress: `127.2.${a}.1` })
        ws.on('error', () => {})
        idle.push(ws)
      }
    }
    await Promise.all(idle.map(async (ws) => await Promise.race([once(ws, 'open'), once(ws, 'close')])))
    const honest = await viaWebSocket(relay.gatewayUrl!, relay.publicKey)
    try {
      expect(await honest.conn.call(CoreMethods.ping, null)).toBeGreaterThan(0)
    } finally {
      await honest.close()
      for (const ws of idle) ws.terminate()
    }
    expect(relay.dhtRelayGateway!.pid).toBe(pid)
    expect(relay.dhtRelayGateway!.restartCount).toBe(0)
  }, 60_000)
})
