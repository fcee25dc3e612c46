import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { ErrorCode, PLUGIN_API_VERSION, type Plugin, type PluginAPI } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { createRelay } from '../src/index.js'

const plugin = (name: string, start: (api: PluginAPI) => void | Promise<void>, dependsOn?: string[]): Plugin => ({
  name, apiVersion: PLUGIN_API_VERSION, start, ...(dependsOn === undefined ? {} : { dependsOn })
})

describe('plugin host services', () => {
  let testnet: Testnet
  beforeAll(async () => { testnet = await createTestnet() })
  afterAll(async () => { await testnet?.close() })

  it('a plugin that dependsOn another starts after it (whatever the configured order) and uses what it provides', async () => {
    const order: string[] = []
    let seen: unknown
    const relay = await createRelay({
      keyPair: generateKeyPair(),
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      requirePlugins: true,
      plugins: [
        plugin('user', (api) => { order.push('user'); seen = api.use<{ hello: string }>('base') }, ['base']),
        plugin('base', (api) => { order.push('base'); api.provide({ hello: 'world' }) })
      ]
    })
    try {
      expect(order).toEqual(['base', 'user'])
      expect(seen).toEqual({ hello: 'world' })
    } finally {
      await relay.close()
    }
  }, 30_000)

  it('a plugin that uses another (optionally) starts after it when both are configured', async () => {
    let seen: unknown
    const relay = await createRelay({
      keyPair: generateKeyPair(),
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      requirePlugins: true,
      plugins: [
        { ...plugin('user', (api) => { seen = api.use('base') }), uses: ['base'] },
        plugin('base', (api) => { api.provide('the flood') })
      ]
    })
    try {
      expect(seen).toBe('the flood')
    } finally {
      await relay.close()
    }
  }, 30_000)

  it('a missing dependency fails start-up with PLUGIN_FAILED naming it; use() of an absent plugin is undefined', async () => {
    let absent: unknown = 'unset'
    await expect(createRelay({
      keyPair: generateKeyPair(),
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      requirePlugins: true,
      plugins: [plugin('probe', (api) => { absent = api.use('nothing') }), plugin('user', () => {}, ['flood'])]
    })).rejects.toMatchObject({ code: ErrorCode.PLUGIN_FAILED })
    expect(absent).toBeUndefined()
  }, 30_000)

  it('putRecord puts a mutable value under the relay key, signed by the relay (the plugin has no secret key)', async () => {
    const keyPair = generateKeyPair()
    let dataDir: string | null = 'unset'
    const relay = await createRelay({
      keyPair,
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      requirePlugins: true,
      dataDir: '/relay-dir',
      plugins: [plugin('rec', async (api) => { dataDir = api.dataDir; await api.putRecord(new TextEncoder().encode('where I am'), 7) })]
    })
    try {
      expect(dataDir).toBe('/relay-dir/plugins/rec')
      const found = await testnet.createNode().mutableGet(keyPair.publicKey, { latest: true })
      expect(new TextDecoder().decode(found?.value)).toBe('where I am')
      expect(found?.seq).toBe(7)
    } finally {
      await relay.close()
    }
  }, 30_000)
})
