import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { ErrorCode, PLUGIN_API_VERSION, silentLogger, type Plugin, type PluginAPI } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { createRelay } from '../src/index.js'

const plugin = (name: string, start: (api: PluginAPI) => void | Promise<void>): Plugin => ({ name, apiVersion: PLUGIN_API_VERSION, start })
const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('relay metrics (in process, real relays on a private DHT)', () => {
  let testnet: Testnet
  beforeAll(async () => { testnet = await createTestnet() })
  afterAll(async () => { await testnet?.close() })

  it('the metrics host service: prefixed names, checked names, a read that throws keeps the last value, failed plugins are down', async () => {
    const errors: unknown[] = []
    let fail = false
    const relay = await createRelay({
      keyPair: generateKeyPair(),
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      logger: silentLogger,
      plugins: [
        plugin('my-plugin', (api) => {
          api.metrics.gauge('level', 'A level', { read: () => { if (fail) throw new Error('store closed'); return 5 } })
          for (const attempt of [
            () => api.metrics.counter('level', 'again'),
            () => api.metrics.counter('Bad-Name', 'bad'),
            () => api.metrics.counter('tagged', 'read and labels', { labelNames: ['x'], read: () => 1 })
          ]) {
            try { attempt() } catch (err) { errors.push(err) }
          }
        }),
        plugin('broken', () => { throw new Error('cannot start') })
      ]
    })
    try {
      expect(errors).toHaveLength(3)
      expect(errors[0]).toMatchObject({ code: ErrorCode.ALREADY_REGISTERED })
      expect(errors[1]).toBeInstanceOf(TypeError)
      expect(errors[2]).toBeInstanceOf(TypeError)
      let text = await relay.metrics.registry.metrics()
      expect(value(text, 'lume_my_plugin_level')).toBe(5)
      fail = true
      text = await relay.metrics.registry.metrics()
      expect(value(text, 'lume_my_plugin_level')).toBe(5)
      expect(value(text, 'lume_plugin_up{plugin="my-plugin"}')).toBe(1)
      expect(value(text, 'lume_plugin_up{plugin="broken"}')).toBe(0)
    } finally {
      await relay.close()
    }
    // A stopped relay's plugins are down.
    expect(value(await relay.metrics.registry.metrics(), 'lume_plugin_up{plugin="my-plugin"}')).toBe(0)
  }, 30_000)

  it('a relay this relay dialed is a neighbour, in the list and the gauge', async () => {
    const a = await createRelay({ keyPair: generateKeyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false })
    const b = await createRelay({ keyPair: generateKeyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false })
    try {
      expect(a.neighbours()).toEqual([])
      await a.connect(b.publicKey)
      expect(a.neighbours()).toEqual([{ publicKey: b.publicKeyHex, host: expect.any(String), outbound: true }])
      expect(value(await a.metrics.registry.metrics(), 'lume_neighbour_relays')).toBe(1)
      expect(a.dhtState).toEqual({ bootstrapped: true, reachable: expect.any(Boolean), listening: true })
    } finally {
      await a.close()
      await b.close()
    }
    expect(a.dhtState.listening).toBe(false)
  }, 30_000)
})
