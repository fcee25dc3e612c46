import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay, type RelayInit } from '@lume/relay'
import { RpcConnection } from '@lume/rpc'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { generateKeyPair } from '@lume/crypto'
import { MemoryStore, RegistryClient, RegistryLimitKinds, RegistryMethods, registryKey, registryPlugin, serializeEntry, signEntry, type RegistryPluginOptions } from '../src/index.js'
import { decodeFloodMessage } from '../src/lib/flood-messages.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

/** What the relay's budget book holds for a kind, relay-wide. */
const held = (relay: Relay, kind: string): number => relay.book.used(kind)

describe('registry work is charged to the caller through the relay budgets', () => {
  let testnet: Testnet
  const relays: Relay[] = []
  const conns: RpcConnection[] = []
  const start = async (options: RegistryPluginOptions, limits?: RelayInit['limits']): Promise<Relay> => {
    const relay = await createRelay({
      keyPair: generateKeyPair(),
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      plugins: [registryPlugin({ store: new MemoryStore(), ...options })],
      ...(limits === undefined ? {} : { limits })
    })
    relays.push(relay)
    return relay
  }
  const connect = (relay: Relay): RpcConnection => {
    const conn = RpcConnection.open(testnet.createNode().connect(relay.publicKey)) // a fresh key each time: keys are free
    conns.push(conn)
    return conn
  }

  beforeAll(async () => { testnet = await createTestnet() }, 30_000)
  afterAll(async () => {
    for (const c of conns) c.destroy()
    await Promise.all(relays.map(async (r) => await r.close()))
    await testnet?.close()
  }, 30_000)

  // Item 4: subscription slots are bounded and come back however a subscription ends.
  it('caps open subscriptions per peer and per address, and releases each slot on cancel and on close', async () => {
    const relay = await start({}, { budgets: { [RegistryLimitKinds.subscriptions]: { perPeer: 4, perAddress: 6, global: 100 } } })
    const kind = RegistryLimitKinds.subscriptions
    const open = (conn: RpcConnection, signal?: AbortSignal): Promise<unknown> => {
      const pending = new RegistryClient(conn).subscribe(generateKeyPair().publicKey, signal === undefined ? {} : { signal }).next()
      pending.catch(() => {})
      return pending
    }

    const conn = connect(relay)
    const aborts = Array.from({ length: 4 }, () => new AbortController())
    for (const a of aborts) void open(conn, a.signal)
    await expect.poll(() => held(relay, kind), { timeout: 5000 }).toBe(4)
    await expect(open(conn)).rejects.toMatchObject({ code: 'RATE_LIMITED' }) // over its own limit
    // Cancelled while their pulls wait: the slots come back.
    aborts[0]!.abort()
    aborts[1]!.abort()
    await expect.poll(() => held(relay, kind), { timeout: 5000 }).toBe(2)

    // Other keys from the same address share its limit of 6.
    const other = connect(relay)
    for (let i = 0; i < 4; i++) void open(other)
    await expect.poll(() => held(relay, kind), { timeout: 5000 }).toBe(6)
    await expect(open(connect(relay))).rejects.toMatchObject({ code: 'RATE_LIMITED' })

    // Closing the connections gives everything back.
    conn.destroy()
    other.destroy()
    await expect.poll(() => held(relay, kind), { timeout: 5000 }).toBe(0)

    // Many subscriptions over many connections, each cancelled or closed: nothing left behind.
    for (let round = 0; round < 10; round++) {
      const c = connect(relay)
      const a = new AbortController()
      void open(c, a.signal)
      void open(c)
      await expect.poll(() => held(relay, kind), { timeout: 5000 }).toBe(2)
      a.abort()
      c.destroy()
      await expect.poll(() => held(relay, kind), { timeout: 5000 }).toBe(0)
    }
    const last = connect(relay)
    for (let i = 0; i < 4; i++) void open(last)
    await expect.poll(() => held(relay, kind), { timeout: 5000 }).toBe(4)
    last.destroy()
  })

  // Item 7: minting keys does not buy more writes.
  it('limits writes per address as well as per key', async () => {
    const relay = await start({ writeRate: { perPeer: { perSecond: 0.01, burst: 5 }, perAddress: { perSecond: 0.01, burst: 8 } } })
    const write = async (conn: RpcConnection): Promise<string> => {
      const entry = signEntry(generateKeyPair(), 0, text('x'))
      return await conn.call(RegistryMethods.set, serializeEntry(entry)).then(() => 'ok', (e: { code: string }) => e.code)
    }
    const one = connect(relay)
    const fromOne = await Promise.all(Array.from({ length: 8 }, async () => await write(one)))
    expect(fromOne.filter((r) => r === 'ok')).toHaveLength(5)
    // 20 fresh keys, one address: 3 more writes in all, not 5 each.
    const fresh = await Promise.all(Array.from({ length: 20 }, async () => await write(connect(relay))))
    expect(fresh.filter((r) => r === 'ok')).toHaveLength(3)
    expect(new Set([...fromOne, ...fresh].filter((r) => r !== 'ok'))).toEqual(new Set(['RATE_LIMITED']))
  })

  // Item 7: asking the neighbours costs the caller, and what the relay waits on is bounded.
  it('charges gets that ask the neighbours to the caller, and waits on at most maxWants keys', async () => {
    const keyPair = generateKeyPair()
    const flood = new Flood({ keyPair })
    const relay = await createRelay({
      keyPair,
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      plugins: [floodPlugin(flood), registryPlugin({ store: new MemoryStore(), flood, maxWants: 2, pullTimeoutMs: 300, pullRate: { perPeer: { perSecond: 0.01, burst: 3 }, perAddress: { perSecond: 0.01, burst: 100 } } })]
    })
    relays.push(relay)
    // A neighbour that hears every want and never answers.
    const silentKeys = generateKeyPair()
    const silentFlood = new Flood({ keyPair: silentKeys })
    const silent = await createRelay({ keyPair: silentKeys, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [floodPlugin(silentFlood)] })
    relays.push(silent)
    let wants = 0
    silentFlood.on('direct', ({ payload }) => { if (decodeFloodMessage(payload)?.type === 'want') wants++ })
    await silent.connect(relay.publicKey)
    await expect.poll(() => flood.neighbours.length, { timeout: 5000 }).toBe(1)

    const conn = connect(relay)
    const results = await Promise.all(Array.from({ length: 5 }, async () => await conn.call(RegistryMethods.get, registryKey(generateKeyPair().publicKey)).then((r) => r === null ? 'none' : 'entry', (e: { code: string }) => e.code)))
    expect(results.filter((r) => r === 'RATE_LIMITED')).toHaveLength(2)
    expect(results.filter((r) => r === 'none')).toHaveLength(3)
    await expect.poll(() => wants, { timeout: 5000 }).toBe(2) // the third found the want set full and asked no one
  })
})
