import HyperDHT from 'hyperdht'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { RpcConnection } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { emptyCodec, ErrorCode, PLUGIN_API_VERSION, silentLogger, uintCodec, type CallContext, type PeerConnection, type Plugin } from '@lume/types'
import { createRelay, type Relay, type RelayInit } from '../src/index.js'
import { RelayVerifier } from '../src/lib/relay-verifier.js'

const subscribe = { name: 'subs.subscribe', request: emptyCodec, response: uintCodec }
const leak = { name: 'subs.leak', request: emptyCodec, response: emptyCodec }

/** A plugin whose subscriptions are charged to the caller: a stream that waits until cancelled. */
function subsPlugin (peers: PeerConnection[] = []): Plugin {
  return {
    name: 'subs',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      api.defineBudget('subs.open', { perPeer: 2, perAddress: 3, global: 100 })
      api.registerMethod<null, number>({
        name: 'subscribe',
        request: emptyCodec,
        response: uintCodec,
        stream: true,
        handler: (_req: null, ctx: CallContext) => {
          const release = ctx.budget.hold('subs.open')
          return (async function * () {
            try {
              yield 1
              await new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }))
            } finally { release() }
          })()
        }
      })
      // A careless method: holds a unit and never gives it back. The connection's close must.
      api.registerMethod({ name: 'leak', request: emptyCodec, response: emptyCodec, handler: (_req: null, ctx: CallContext) => { ctx.budget.hold('subs.open'); return null } })
      api.registerProtocol({ name: 'test/peers', onConnection: (peer) => { peers.push(peer) } })
    }
  }
}

describe('relay budgets (issue 12)', () => {
  let testnet: Testnet
  const relays: Relay[] = []
  const start = async (init: Partial<RelayInit> = {}): Promise<Relay> => {
    const relay = await createRelay({ keyPair: HyperDHT.keyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, logger: silentLogger, ...init })
    relays.push(relay)
    return relay
  }
  const open = async (relay: Relay, node: HyperDHT = testnet.createNode()): Promise<RpcConnection> => {
    const conn = RpcConnection.open(node.connect(relay.publicKey))
    await conn.ping()
    return conn
  }
  const sub = async (conn: RpcConnection): Promise<unknown> => {
    const iterator = conn.callStream(subscribe, null)[Symbol.asyncIterator]()
    return await iterator.next().then((r) => r.value, (e: { code: string }) => e.code)
  }

  beforeAll(async () => { testnet = await createTestnet() })
  afterAll(async () => {
    await Promise.all(relays.map(async (r) => await r.close()))
    await testnet?.close()
  })

  it('caps a key, releases its budget when its connections close, and lets it subscribe again', async () => {
    const relay = await start({ plugins: [subsPlugin()] })
    const node = testnet.createNode()
    const first = await open(relay, node)
    expect(await sub(first)).toBe(1)
    expect(await sub(first)).toBe(1)
    expect(await sub(first)).toBe(ErrorCode.RATE_LIMITED)
    expect(relay.book.used('subs.open')).toBe(2)
    first.destroy()
    await expect.poll(() => relay.book.used('subs.open')).toBe(0)
    const again = await open(relay, node)
    expect(await sub(again)).toBe(1)
    // What a careless handler held is given back with the connection too.
    await again.call(leak, null)
    expect(relay.book.used('subs.open')).toBe(2)
    again.destroy()
    await expect.poll(() => relay.book.used('subs.open')).toBe(0)
    expect(relay.book.used('rpc.streams')).toBe(0)
  })

  it('caps one address across several keys, and the operator overrides a plugin default', async () => {
    const relay = await start({ plugins: [subsPlugin()], limits: { budgets: { 'subs.open': { perPeer: 1 } } } })
    const keys = [await open(relay), await open(relay), await open(relay), await open(relay)]
    expect(await sub(keys[0]!)).toBe(1)
    expect(await sub(keys[0]!)).toBe(ErrorCode.RATE_LIMITED) // the override: 1 per peer
    expect(await sub(keys[1]!)).toBe(1)
    expect(await sub(keys[2]!)).toBe(1)
    expect(await sub(keys[3]!)).toBe(ErrorCode.RATE_LIMITED) // 3 per address, whatever the key
    for (const conn of keys) conn.destroy()
  })

  it('answers BUSY at the global cap while other work is still served', async () => {
    const relay = await start({ plugins: [subsPlugin()], limits: { budgets: { 'subs.open': { perAddress: 10, global: 2 } } } })
    const conns = [await open(relay), await open(relay), await open(relay)]
    expect(await sub(conns[0]!)).toBe(1)
    expect(await sub(conns[1]!)).toBe(1)
    expect(await sub(conns[2]!)).toBe(ErrorCode.BUSY)
    expect(await conns[2]!.call(CoreMethods.ping, null)).toBeGreaterThan(0)
    for (const conn of conns) conn.destroy()
  })

  it('caps connections per address and for the whole relay, and releases them on close', async () => {
    const relay = await start({ limits: { budgets: { 'relay.connections': { perAddress: 2, global: 10 } } } })
    const conns = [await open(relay), await open(relay)]
    // A third key from the same address is refused: its connection is closed.
    const refused = RpcConnection.open(testnet.createNode().connect(relay.publicKey))
    await expect(refused.ping()).rejects.toMatchObject({ code: ErrorCode.CONNECTION_FAILED })
    expect(relay.book.used('relay.connections')).toBe(2)
    conns.pop()!.destroy()
    await expect.poll(() => relay.book.used('relay.connections')).toBe(1)
    conns.push(await open(relay))
    for (const conn of conns) conn.destroy()
    await expect.poll(() => relay.book.used('relay.connections')).toBe(0)
    expect(relay.book.addressCount).toBe(0)
  })

  it('charges connections from a trusted shared address (a WebSocket gateway) one by one', async () => {
    const relay = await start({ limits: { trustedHosts: ['127.0.0.1'], budgets: { 'relay.connections': { perAddress: 1 } } } })
    const conns = [await open(relay), await open(relay), await open(relay)]
    expect(relay.book.used('relay.connections')).toBe(3)
    for (const conn of conns) conn.destroy()
    await expect.poll(() => relay.book.addressCount).toBe(0)
  })

  it('answers BUSY to new calls while the heap is over its limit', async () => {
    const relay = await start({ limits: { maxHeapFraction: 1e-9 } })
    const conn = await open(relay).catch((e: { code: string }) => e)
    const client = RpcConnection.open(testnet.createNode().connect(relay.publicKey))
    await expect(client.call(CoreMethods.ping, null)).rejects.toMatchObject({ code: ErrorCode.BUSY })
    client.destroy()
    if (conn instanceof RpcConnection) conn.destroy()
  })

  it('tells relays from clients: inbound client false, dialed true, dial-back to a relay true, listed true', async () => {
    const seenByA: PeerConnection[] = []
    const seenByB: PeerConnection[] = []
    const a = await start({ plugins: [subsPlugin(seenByA)] })
    const b = await start({ plugins: [subsPlugin(seenByB)] })
    const clientNode = testnet.createNode()
    const client = await open(a, clientNode)
    const inbound = seenByA.find((p) => !p.initiator)!
    expect(await inbound.isRelay()).toBe(false)

    await a.connect(b.publicKey)
    const dialed = seenByA.find((p) => p.initiator && Buffer.from(p.remotePublicKey).equals(Buffer.from(b.publicKey)))!
    expect(await dialed.isRelay()).toBe(true)
    const fromA = (): PeerConnection | undefined => seenByB.find((p) => !p.initiator && Buffer.from(p.remotePublicKey).equals(Buffer.from(a.publicKey)))
    await expect.poll(fromA).toBeDefined()
    const dialedBy = fromA()!
    expect(await dialedBy.isRelay()).toBe(true)
    // B's dial-back to A is closed once answered: A keeps the client's connection and its own to B.
    await expect.poll(() => a.connectionCount).toBe(2)

    const seenByC: PeerConnection[] = []
    const c = await start({ plugins: [subsPlugin(seenByC)], relays: [clientNode.defaultKeyPair.publicKey] })
    const listed = await open(c, clientNode)
    await expect.poll(() => seenByC.length).toBe(1)
    expect(await seenByC[0]!.isRelay()).toBe(true)
    client.destroy()
    listed.destroy()
  }, 30_000)

  it('charges dial-backs to the asking address: past its rate a peer is "not a relay" without a dial', async () => {
    const seen: PeerConnection[] = []
    const a = await start({ plugins: [subsPlugin(seen)], limits: { rates: { 'relay.dial-backs': { perAddress: { perSecond: 0, burst: 1 } } } } })
    const b = await start()
    const client = await open(a)
    await expect.poll(() => seen.length).toBe(1)
    expect(await seen[0]!.isRelay()).toBe(false) // dialed back: nobody serves the client's key
    await b.connect(a.publicKey)
    await expect.poll(() => seen.length).toBe(2)
    // b is a relay, but its address has spent its dial-back: not verified now (and not remembered as "no").
    expect(await seen[1]!.isRelay()).toBe(false)
    client.destroy()
  }, 30_000)

  it('bounds dial-backs: at most maxConcurrent at once and a rate, each ending in false for a key nobody serves', async () => {
    const node = testnet.createNode()
    const verifier = new RelayVerifier({ dht: node, keyPair: node.defaultKeyPair, maxConcurrent: 1, rate: { perSecond: 0, burst: 2 }, timeoutMs: 2000 })
    const [first, second] = [verifier.verify(HyperDHT.keyPair().publicKey), verifier.verify(HyperDHT.keyPair().publicKey)]
    expect(await second).toBe(false) // refused at once: one dial-back is already running
    expect(await first).toBe(false) // nobody serves that key: false, not a hang
    const relay = await start()
    expect(await verifier.verify(relay.publicKey)).toBe(true) // the second and last token
    expect(await verifier.verify(relay.publicKey)).toBe(true) // cached, no dial
    expect(await verifier.verify(HyperDHT.keyPair().publicKey)).toBe(false) // out of tokens
    verifier.close()
  }, 30_000)
})
