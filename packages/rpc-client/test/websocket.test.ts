import HyperDHT from 'hyperdht'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { ErrorCode, PLUGIN_API_VERSION, stringCodec, type Plugin } from '@lume/types'
import { RelayPool, webSocketDialer, type WebSocketConstructor } from '../src/index.js'

const answer = { name: 'oracle.answer', request: stringCodec, response: stringCodec }
const NodeWebSocket = WebSocket as unknown as WebSocketConstructor

function oracle (honest: boolean): Plugin {
  return {
    name: 'oracle',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      api.registerMethod({ name: 'answer', request: stringCodec, response: stringCodec, handler: (q: string) => honest ? `${q}: 42` : `${q}: 41` })
    }
  }
}

describe('RelayPool over WebSocket (Noise, no DHT on the client)', () => {
  let testnet: Testnet
  const relays: Relay[] = []
  const pools: RelayPool[] = []
  const endpoints = (): Record<string, string> => Object.fromEntries(relays.map((r) => [r.publicKeyHex, r.websocketUrl ?? '']))

  beforeAll(async () => {
    testnet = await createTestnet()
    for (const honest of [true, true, false]) {
      relays.push(await createRelay({ keyPair: HyperDHT.keyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [oracle(honest)], websocket: { port: 0, host: '127.0.0.1' } }))
    }
  })
  afterAll(async () => {
    for (const pool of pools) await pool.close()
    for (const relay of relays) await relay.close()
    await testnet?.close()
  })

  it('runs a quorum query with the same code as over HyperDHT; the liar is outvoted', async () => {
    const pool = new RelayPool({ dialer: webSocketDialer({ endpoints: endpoints(), WebSocket: NodeWebSocket }), relays: relays.map((r) => r.publicKey) })
    pools.push(pool)
    const result = await pool.query(answer, 'q', { quorum: 2, of: 3 })
    expect(result.value).toBe('q: 42')
    expect(result.agreeing.map((a) => Buffer.from(a.relayPublicKey).toString('hex')).sort()).toEqual([relays[0]!.publicKeyHex, relays[1]!.publicKeyHex].sort())
  })

  it('an endpoint that cannot prove the key it was dialed by fails with HANDSHAKE_FAILED, not as an outage', async () => {
    // Relay 0's key, but relay 1's endpoint: a man in the middle answering with its own key.
    const dialer = webSocketDialer({ endpoints: { [relays[0]!.publicKeyHex]: relays[1]!.websocketUrl ?? '' }, WebSocket: NodeWebSocket })
    const pool = new RelayPool({ dialer, relays: [relays[0]!.publicKey] })
    pools.push(pool)
    await expect(pool.connect(relays[0]!.publicKey)).rejects.toMatchObject({ code: ErrorCode.HANDSHAKE_FAILED })
  })

  it('says which relay has no endpoint, and rejects URLs that are not ws:// or wss://', async () => {
    const pool = new RelayPool({ dialer: webSocketDialer({ WebSocket: NodeWebSocket }), relays: [] })
    pools.push(pool)
    await expect(pool.connect(relays[0]!.publicKey)).rejects.toMatchObject({ code: ErrorCode.CONNECTION_FAILED })
    expect(() => webSocketDialer({ endpoints: { [relays[0]!.publicKeyHex]: 'http://example.invalid' } })).toThrow(/ws:\/\/ or wss:\/\//)
  })
})
