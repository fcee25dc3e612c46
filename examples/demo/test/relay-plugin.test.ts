import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import relayCachePlugin from '@lume/dht-cache/relay-plugin'
import relayFloodPlugin from '@lume/dht-flood/relay-plugin'
import relayRegistryPlugin from '@lume/registry/relay-plugin'
import { createRelay, type Relay } from '@lume/relay'
import { RpcConnection } from '@lume/rpc'
import { createTestnet, type Testnet } from '@lume/testnet'
import { ErrorCode, jsonCodec, stringCodec, toHex } from '@lume/types'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import demoPlugin, { configSchema } from '../src/relay-plugin.js'

const control = (name: string): { name: string, request: typeof jsonCodec, response: typeof jsonCodec } => ({ name: `demo.${name}`, request: jsonCodec, response: jsonCodec })
const CONTROLS: Array<[string, Parameters<typeof jsonCodec.encode>[1]]> = [
  ['connect', { publicKey: '00'.repeat(32) }], ['lie', { on: true }], ['gossip', { text: 'x' }], ['fetchCached', { hash: '00'.repeat(32) }], ['stats', null]
]

// The demo plugin's control methods drive a relay (make it lie, dial out, gossip): a stranger must not.
describe('the demo plugin', () => {
  let testnet: Testnet
  let relay: Relay
  const operator: KeyPair = generateKeyPair()
  const asOperator = { keyPair: { publicKey: Buffer.from(operator.publicKey), secretKey: Buffer.from(operator.secretKey) } }

  beforeAll(async () => {
    testnet = await createTestnet()
    relay = await createRelay({
      keyPair: generateKeyPair(),
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      requirePlugins: true,
      plugins: [relayFloodPlugin(), relayCachePlugin(), relayRegistryPlugin(), demoPlugin()],
      pluginConfig: { registry: { store: 'memory' }, demo: configSchema.parse({ operator: toHex(operator.publicKey) }) }
    })
  }, 30_000)
  afterAll(async () => {
    await relay?.close()
    await testnet?.close()
  }, 30_000)

  it('answers demo.fortune to anyone', async () => {
    const conn = RpcConnection.open(testnet.createNode().connect(relay.publicKey))
    try {
      expect(await conn.call({ name: 'demo.fortune', request: stringCodec, response: stringCodec }, 'q')).toBe('"q": the answer is 7')
    } finally {
      conn.destroy()
    }
  })

  it('refuses every control method to a stranger (FORBIDDEN), and changes nothing', async () => {
    const stranger = RpcConnection.open(testnet.createNode().connect(relay.publicKey))
    const op = RpcConnection.open(testnet.createNode().connect(relay.publicKey, asOperator))
    try {
      for (const [name, args] of CONTROLS) await expect(stranger.call(control(name), args)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN })
      expect(await op.call({ name: 'demo.fortune', request: stringCodec, response: stringCodec }, 'q')).not.toContain('666')
    } finally {
      stranger.destroy()
      op.destroy()
    }
  })

  it('checks the operator\'s arguments (INVALID_ARGUMENT) and serves the operator', async () => {
    const op = RpcConnection.open(testnet.createNode().connect(relay.publicKey, asOperator))
    try {
      await expect(op.call(control('lie'), { on: 'yes' })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT })
      await expect(op.call(control('gossip'), { text: 'x'.repeat(201) })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT })
      expect(await op.call(control('stats'), null)).toMatchObject({ registryKeys: 0, gossipHeard: 0 })
    } finally {
      op.destroy()
    }
  })
})
