import HyperDHT from 'hyperdht'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { MethodRegistry, RpcConnection } from '@lume/rpc'
import { requestHash, verifyAnswer } from '@lume/rpc/signed'
import { encode, PLUGIN_API_VERSION, stringCodec, toHex, type Plugin } from '@lume/types'
import { CacheMethods, DhtCache } from '../src/index.js'

const slow = { name: 'calc.slow', request: stringCodec, response: stringCodec }

/** A plugin with one cacheable method that counts how often it really runs. */
function calcPlugin (runs: { count: number }): Plugin {
  return {
    name: 'calc',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      api.registerMethod({ name: 'slow', request: stringCodec, response: stringCodec, cacheTtlMs: 60_000, handler: (q: string) => { runs.count++; return `result of ${q}` } })
    }
  }
}

interface Node { relay: Relay, cache: DhtCache, flood: Flood, runs: { count: number } }

describe('cached answers across relays', () => {
  let testnet: Testnet
  const nodes: Node[] = []
  let client: HyperDHT

  beforeAll(async () => {
    testnet = await createTestnet()
    for (let i = 0; i < 3; i++) {
      const keyPair = HyperDHT.keyPair()
      const flood = new Flood({ keyPair })
      const cache = new DhtCache({ flood, announceIntervalMs: 100 })
      const runs = { count: 0 }
      const relay = await createRelay({ keyPair, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [floodPlugin(flood), cache.plugin, calcPlugin(runs)] })
      nodes.push({ relay, cache, flood, runs })
    }
    await nodes[0]!.relay.connect(nodes[1]!.relay.publicKey)
    await nodes[1]!.relay.connect(nodes[2]!.relay.publicKey)
    // The flood carries nothing until each side has verified the other is a relay (dial-back).
    await vi.waitFor(() => { expect(nodes.map((n) => n.flood.neighbours.length)).toEqual([1, 2, 1]) }, { timeout: 10_000 })
    client = testnet.createNode()
  }, 30_000)
  afterAll(async () => {
    await Promise.all(nodes.map(async (n) => await n.relay.close()))
    await testnet?.close()
  }, 30_000)

  const connect = (relay: Relay): RpcConnection => RpcConnection.open(client.connect(relay.publicKey))

  it('relay A computes; C learns A holds it; C serves it with A’s signature intact', async () => {
    const [a, , c] = nodes as [Node, Node, Node]
    const first = await connect(a.relay).callSigned(slow, 'pi')
    expect(first.value).toBe('result of pi')
    expect(a.runs.count).toBe(1)
    // Asked again, A answers from its cache: same signature, no recomputation.
    const again = await connect(a.relay).callSigned(slow, 'pi')
    expect(a.runs.count).toBe(1)
    expect(toHex(again.answer.signature)).toBe(toHex(first.answer.signature))

    const hash = requestHash(slow.name, encode(stringCodec, 'pi'))
    // C is two hops from A: the announcement travelled over the flood.
    await expect.poll(() => c.cache.holders(hash).map(toHex), { timeout: 5000 }).toContain(a.relay.publicKeyHex)
    const fetched = await c.cache.fetch(hash)
    expect(fetched).not.toBeNull()
    expect(toHex(fetched!.relayPublicKey)).toBe(a.relay.publicKeyHex)

    const fromC = await connect(c.relay).callSigned(slow, 'pi')
    expect(fromC.value).toBe('result of pi')
    expect(c.runs.count).toBe(0)
    // The answer C served names A as its signer and verifies against A's key.
    expect(toHex(fromC.answer.relayPublicKey)).toBe(a.relay.publicKeyHex)
    expect(verifyAnswer(fromC.answer, hash)).toBe(true)
    expect(c.cache.online().map(toHex)).toEqual(expect.arrayContaining([a.relay.publicKeyHex]))
  })

  it('rejects a tampered cached answer from a lying holder and stores nothing', async () => {
    const b = nodes[1]!
    // A genuine signed answer from a relay outside this mesh (nobody here announces it).
    const origin = HyperDHT.keyPair()
    const originMethods = new MethodRegistry()
    originMethods.register({ ...slow, handler: (q: string) => `result of ${q}` })
    const originServer = testnet.createNode().createServer({}, (socket) => { RpcConnection.open(socket, { methods: originMethods, keyPair: origin }) })
    await originServer.listen(origin)
    const genuine = await RpcConnection.open(client.connect(origin.publicKey)).callSigned(slow, 'f')
    const hash = genuine.answer.requestHash

    // A holder that lies about the body, keeping the original signature.
    let lying = true
    const liarKey = HyperDHT.keyPair()
    const liarMethods = new MethodRegistry()
    liarMethods.register({ ...CacheMethods.get, handler: () => lying ? { ...genuine.answer, body: encode(stringCodec, 'result of f is 3') } : genuine.answer })
    const liarServer = testnet.createNode().createServer({}, (socket) => { RpcConnection.open(socket, { methods: liarMethods, keyPair: liarKey }) })
    await liarServer.listen(liarKey)
    b.cache.directory.record(liarKey.publicKey, [hash], 60_000)

    expect(await b.cache.fetch(hash)).toBeNull()
    expect(b.cache.cache.get(hash)).toBeNull()
    // The same holder, now honest: the answer is kept, and it still names its original signer.
    lying = false
    const fetched = await b.cache.fetch(hash)
    expect(fetched).not.toBeNull()
    expect(toHex(fetched!.relayPublicKey)).toBe(toHex(origin.publicKey))
    expect(b.cache.cache.get(hash)).not.toBeNull()
  })
})
