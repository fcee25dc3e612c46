import HyperDHT from 'hyperdht'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { RpcConnection } from '@lume/rpc'
import { CoreMethods, verifyBroadcast } from '@lume/rpc/core'
import { ErrorCode, PLUGIN_API_VERSION, silentLogger, decode, encode, jsonCodec, stringCodec, toHex, type JsonValue, type Plugin, type PluginAPI } from '@lume/types'
import { createRelay, type Relay } from '../src/index.js'

const greet = { name: 'hello.greet', request: stringCodec, response: stringCodec }

function helloPlugin (seen: { api?: PluginAPI, stopped?: boolean }): Plugin {
  return {
    name: 'hello',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      seen.api = api
      api.registerMethod({ name: 'greet', request: stringCodec, response: stringCodec, handler: (who: string) => `${String(api.config.greeting ?? 'hello')} ${who}` })
    },
    stop () { seen.stopped = true }
  }
}

describe('relay', () => {
  let testnet: Testnet
  const relays: Relay[] = []
  const seen: { api?: PluginAPI, stopped?: boolean } = {}
  let client: HyperDHT

  const connect = async (relay: Relay): Promise<RpcConnection> => {
    const socket = client.connect(relay.publicKey)
    return RpcConnection.open(socket)
  }

  beforeAll(async () => {
    testnet = await createTestnet()
    const failing: Plugin = { name: 'broken', apiVersion: PLUGIN_API_VERSION, start () { throw new TypeError('plugin bug') } }
    const wrongVersion: Plugin = { name: 'future', apiVersion: 99, start () {} }
    for (let i = 0; i < 3; i++) {
      relays.push(await createRelay({
        keyPair: HyperDHT.keyPair(),
        bootstrap: testnet.bootstrap,
        host: '127.0.0.1',
        plugins: i === 0 ? [failing, helloPlugin(seen), wrongVersion] : [helloPlugin({})],
        pluginConfig: { hello: { greeting: `hi from ${i}` } },
        logger: silentLogger // the failing plugins would go to stderr (default-logger.test.ts checks that)
      }))
    }
    client = testnet.createNode()
  })
  afterAll(async () => {
    await Promise.all(relays.map(async (r) => await r.close()))
    await testnet?.close()
  })

  it('sets 4 MiB UDP buffers on its DHT sockets (as far as the kernel allows)', async () => {
    // The kernel caps the size at rmem_max/wmem_max and reports twice what it grants.
    const { readFile } = await import('node:fs/promises')
    const cap = async (name: string): Promise<number> => Number(await readFile(`/proc/sys/net/core/${name}`, 'utf8').catch(() => '0'))
    const socket = relays[0]!.dht.io.serverSocket!
    expect(socket.getRecvBufferSize()).toBeGreaterThanOrEqual(Math.min(4 * 1024 * 1024, await cap('rmem_max')))
    expect(socket.getSendBufferSize()).toBeGreaterThanOrEqual(Math.min(4 * 1024 * 1024, await cap('wmem_max')))
    expect(socket.getRecvBufferSize()).toBeGreaterThan(212_992 * 2)
  })

  it('answers core.ping and core.info by public key', async () => {
    const conn = await connect(relays[0]!)
    expect(Math.abs(await conn.call(CoreMethods.ping, null) - Date.now())).toBeLessThan(60_000)
    const info = await conn.call(CoreMethods.info, null)
    expect(info.publicKey).toBe(relays[0]!.publicKeyHex)
    expect(info.plugins).toEqual(['hello'])
    expect(info.methods).toEqual(expect.arrayContaining(['core.info', 'core.ping', 'rpc.broadcast', 'hello.greet']))
  })

  it("serves a plugin's methods under its name, with its own config", async () => {
    const conn = await connect(relays[0]!)
    expect(await conn.call(greet, 'you')).toBe('hi from 0 you')
  })

  it('reports a plugin that fails to start, by name, and keeps going', () => {
    expect(relays[0]!.pluginNames).toEqual(['hello'])
  })

  it('serves methods a plugin registers after connections opened', async () => {
    const conn = await connect(relays[0]!)
    await conn.ping()
    seen.api!.registerMethod({ name: 'later', request: jsonCodec, response: jsonCodec, handler: (v: JsonValue) => ({ echoed: v }) })
    expect(await conn.call({ name: 'hello.later', request: jsonCodec, response: jsonCodec }, 1)).toEqual({ echoed: 1 })
  })

  it('refuses a method name that is taken', () => {
    expect(() => seen.api!.registerMethod({ name: 'greet', request: stringCodec, response: stringCodec, handler: (s: string) => s }))
      .toThrow(expect.objectContaining({ code: ErrorCode.ALREADY_REGISTERED }))
  })

  it('runs a protocol registered late on connections already open, and on new ones', async () => {
    const opened: string[] = []
    const closed: string[] = []
    const conn = await connect(relays[0]!)
    await conn.ping()
    seen.api!.registerProtocol({
      name: 'test/proto/v1',
      onConnection: (peer) => {
        opened.push(toHex(peer.remotePublicKey))
        return () => closed.push(toHex(peer.remotePublicKey))
      }
    })
    const clientKey = toHex(client.defaultKeyPair.publicKey)
    expect(opened).toContain(clientKey)
    const before = opened.length
    const fresh = await connect(relays[0]!)
    await fresh.ping()
    expect(opened.length).toBe(before + 1)
    fresh.destroy()
    await expect.poll(() => closed.length, { timeout: 5000 }).toBeGreaterThan(0)
    expect(() => seen.api!.registerProtocol({ name: 'test/proto/v1', onConnection: () => {} }))
      .toThrow(expect.objectContaining({ code: ErrorCode.ALREADY_REGISTERED }))
  })

  it('rpc.broadcast returns 3 independently verifiable answers', async () => {
    const conn = await connect(relays[0]!)
    const body = encode(stringCodec, 'all')
    const request = { relays: relays.map((r) => r.publicKey), method: 'hello.greet', body, timeoutMs: 5000 }
    const entries = await conn.call(CoreMethods.broadcast, request)
    const verified = verifyBroadcast(request, entries)
    expect(verified.map((v) => v.ok)).toEqual([true, true, true])
    expect(verified.map((v) => v.ok ? decode(stringCodec, v.answer.body) : v.reason)).toEqual(['hi from 0 all', 'hi from 1 all', 'hi from 2 all'])

    // A forwarding relay that altered an answer is caught.
    const forged = entries.map((e, i) => i === 1 && e.ok ? { ...e, body: (e.body.slice().fill(65)) } : e)
    expect(verifyBroadcast(request, forged).map((v) => v.ok)).toEqual([true, false, true])
    // As is one that answers for a relay nobody asked about, or twice for one.
    expect(verifyBroadcast({ ...request, relays: request.relays.slice(0, 2) }, entries).map((v) => v.ok)).toEqual([true, true, false])
    expect(verifyBroadcast(request, [entries[0]!, entries[0]!]).map((v) => v.ok)).toEqual([true, false])
  })

  it('broadcast to an unreachable relay reports it, without hanging', async () => {
    const conn = await connect(relays[0]!)
    const nobody = new Uint8Array(32).fill(9)
    const request = { relays: [relays[1]!.publicKey, nobody], method: 'core.ping', body: new Uint8Array(0), timeoutMs: 2000 }
    const verified = verifyBroadcast(request, await conn.call(CoreMethods.broadcast, request, { timeoutMs: 15_000 }))
    expect(verified.map((v) => v.ok)).toEqual([true, false])
  })

  it('drops a peer that sends garbage and keeps serving everyone else', async () => {
    const calm = await connect(relays[0]!)
    const socket = client.connect(relays[0]!.publicKey)
    socket.on('error', () => {})
    await new Promise((resolve) => socket.once('open', resolve))
    const closed = new Promise((resolve) => socket.once('close', resolve))
    socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37]))
    await closed
    expect(await calm.call(greet, 'still')).toBe('hi from 0 still')
    const fresh = await connect(relays[0]!)
    expect(await fresh.call(CoreMethods.ping, null)).toBeGreaterThan(0)
  })

  it('stops plugins on close and refuses new work', async () => {
    const extra = await createRelay({ keyPair: HyperDHT.keyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', plugins: [helloPlugin(seen)], announce: false })
    const shutdown: string[] = []
    extra.events.on('relay:shutdown', ({ reason }) => shutdown.push(reason))
    await Promise.all([extra.close({ reason: 'test' }), extra.close({ reason: 'again' })])
    expect(seen.stopped).toBe(true)
    expect(shutdown).toEqual(['test'])
    await expect(extra.connect(relays[0]!.publicKey)).rejects.toMatchObject({ code: ErrorCode.CLOSED })
  })
})
