import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRelay, type Relay } from '@lume/relay'
import { RpcConnection } from '@lume/rpc'
import { createTestnet, type Testnet } from '@lume/testnet'
import { ErrorCode, toHex } from '@lume/types'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import relayRegistryPlugin, { configSchema } from '../src/relay-plugin.js'
import { RegistryClient, registryKey } from '../src/index.js'

describe('the registry as lume-relay loads it (default export, config section)', () => {
  let testnet: Testnet
  let dir: string
  let relay: Relay
  const operator: KeyPair = generateKeyPair()

  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-registry-plugin-'))
    relay = await createRelay({
      keyPair: generateKeyPair(),
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      requirePlugins: true,
      dataDir: dir,
      plugins: [relayRegistryPlugin()],
      pluginConfig: { registry: configSchema.parse({ operators: [toHex(operator.publicKey)] }) }
    })
  }, 30_000)
  afterAll(async () => {
    await relay?.close()
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  }, 30_000)

  it('opens LMDB in its own directory under the relay\'s, and serves set/get', async () => {
    const conn = RpcConnection.open(testnet.createNode().connect(relay.publicKey))
    try {
      const writer = generateKeyPair()
      await new RegistryClient(conn).set(writer, new TextEncoder().encode('x'))
      expect((await new RegistryClient(conn).get(registryKey(writer.publicKey)))?.revision).toBe(0)
      expect((await stat(join(dir, 'plugins', 'registry', 'lmdb'))).isDirectory()).toBe(true)
    } finally {
      conn.destroy()
    }
  })

  it('pins only for the operators the config names', async () => {
    const key = registryKey(generateKeyPair().publicKey)
    const stranger = RpcConnection.open(testnet.createNode().connect(relay.publicKey))
    const op = RpcConnection.open(testnet.createNode().connect(relay.publicKey, { keyPair: { publicKey: Buffer.from(operator.publicKey), secretKey: Buffer.from(operator.secretKey) } }))
    try {
      await expect(new RegistryClient(stranger).pin(key)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN })
      await new RegistryClient(op).pin(key)
    } finally {
      stranger.destroy()
      op.destroy()
    }
  })

  it('refuses an unknown key in its section', () => {
    expect(configSchema.safeParse({ stor: 'lmdb' }).success).toBe(false)
  })
})
