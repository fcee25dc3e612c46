import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { RpcConnection } from '@lume/rpc'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import { MemoryStore, RegistryClient, RegistryMethods, registryPlugin, serializeEntry, signEntry, type RegistryStore } from '../src/index.js'
import { LmdbStore } from '../src/lmdb/index.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array): string => new TextDecoder().decode(b)

interface Node { relay: Relay, keyPair: KeyPair, flood: Flood }

describe('registry across relays', () => {
  let testnet: Testnet
  let dir: string
  const nodes: Node[] = []
  const clients: RpcConnection[] = []
  const stores: RegistryStore[] = []

  async function startNode (keyPair: KeyPair, store: RegistryStore): Promise<Node> {
    const flood = new Flood({ keyPair })
    const relay = await createRelay({
      keyPair,
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      // A long pull timeout: a get must never wait for it when every neighbour has answered.
      plugins: [floodPlugin(flood), registryPlugin({ store, flood, pullTimeoutMs: 120_000 })]
    })
    return { relay, keyPair, flood }
  }
  const clientOf = (node: Node): RegistryClient => {
    const conn = RpcConnection.open(testnet.createNode().connect(node.relay.publicKey))
    clients.push(conn)
    return new RegistryClient(conn)
  }

  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-registry-relays-'))
    stores.push(await LmdbStore.open(join(dir, 'a')))
    nodes.push(await startNode(generateKeyPair(), stores[0]!))
    nodes.push(await startNode(generateKeyPair(), new MemoryStore()))
    nodes.push(await startNode(generateKeyPair(), new MemoryStore()))
    // A line: A — B — C. C hears of A's writes only through B.
    await nodes[0]!.relay.connect(nodes[1]!.relay.publicKey)
    await nodes[1]!.relay.connect(nodes[2]!.relay.publicKey)
    await Promise.all([nodes[0]!.flood.whenNeighbours(1), nodes[1]!.flood.whenNeighbours(2), nodes[2]!.flood.whenNeighbours(1)])
  }, 30_000)
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await Promise.all(nodes.map(async (n) => await n.relay.close()))
    for (const s of stores) await s.close()
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  }, 30_000)

  it('a set on relay A is readable on B and C, and a subscriber on C receives it', async () => {
    const alice = generateKeyPair()
    const onC = clientOf(nodes[2]!)
    const updates = onC.subscribe(alice.publicKey)
    const first = updates.next()
    await new Promise((resolve) => setTimeout(resolve, 200)) // the subscription is open before the write
    await clientOf(nodes[0]!).set(alice, text('hello from A'))
    const received = await first
    expect(received.done).toBe(false)
    expect(str(received.value!.data)).toBe('hello from A')
    await expect.poll(async () => str((await clientOf(nodes[1]!).get(alice.publicKey))?.data ?? new Uint8Array()), { timeout: 5000 }).toBe('hello from A')
    expect(str((await onC.get(alice.publicKey))!.data)).toBe('hello from A')
    await updates.return(undefined)
  })

  it('announces entries as far as the flood reaches (its own hop limit, 10 by default: 100k relays are 9 hops across)', async () => {
    const carol = generateKeyPair()
    const heard = new Promise<number>((resolve) => {
      const off = nodes[1]!.flood.on('message', ({ ttl, origin }) => {
        if (Buffer.from(origin).equals(Buffer.from(nodes[0]!.keyPair.publicKey))) { off(); resolve(ttl) }
      })
    })
    await clientOf(nodes[0]!).set(carol, text('how far'))
    // B, one hop from A, receives the hop limit A sent it with.
    expect(await heard).toBe(10)
  })

  it('keeps every subscriber current: later writes reach C, in order, newest last', async () => {
    const bob = generateKeyPair()
    const onA = clientOf(nodes[0]!)
    await onA.set(bob, text('v0'))
    const seen: number[] = []
    const sub = clientOf(nodes[2]!).subscribe(bob.publicKey)
    const reading = (async () => { for await (const e of sub) { seen.push(e.revision); if (e.revision === 3) break } })()
    for (const v of ['v1', 'v2', 'v3']) { await onA.set(bob, text(v)); await new Promise((resolve) => setTimeout(resolve, 50)) }
    await reading
    expect(seen.at(-1)).toBe(3)
    expect([...seen].sort((x, y) => x - y)).toEqual(seen)
  })

  it('a subscriber that does not read is not buffered for: it gets the newest entry when it reads again', async () => {
    const hank = generateKeyPair()
    const onA = clientOf(nodes[0]!)
    await onA.set(hank, text('0'))
    const sub = clientOf(nodes[0]!).subscribe(hank.publicKey)
    expect((await sub.next()).value?.revision).toBe(0)
    for (let i = 1; i <= 30; i++) await onA.set(hank, text(String(i)))
    const seen: number[] = []
    for await (const e of sub) { seen.push(e.revision); if (e.revision === 30) break }
    // At most the one entry the stream had pulled ahead, then the newest: not thirty.
    expect(seen.length).toBeLessThanOrEqual(2)
    expect(seen.at(-1)).toBe(30)
  })

  it('answers a repeated write with same, and a stale one with the newer entry', async () => {
    const carol = generateKeyPair()
    const onB = clientOf(nodes[1]!)
    await onB.set(carol, text('first'))
    const conn = clients.at(-1)!
    expect((await conn.call(RegistryMethods.set, serializeEntry(signEntry(carol, 0, text('first'))))).status).toBe('same')
    const second = await onB.set(carol, text('second'))
    expect(second.revision).toBe(1)
    const stale = await conn.call(RegistryMethods.set, serializeEntry(signEntry(carol, 0, text('old'))))
    expect(stale.status).toBe('stale')
    expect(str(stale.entry.subarray(43, stale.entry.length - 64))).toBe('second')
  })

  it('rejects bad entries with typed errors and leaves the store unchanged', async () => {
    const dave = generateKeyPair()
    const onA = clientOf(nodes[0]!)
    await onA.set(dave, text('good'))
    const conn = clients.at(-1)!
    const good = serializeEntry(signEntry(dave, 5, text('x')))
    const badSig = Uint8Array.from(good); badSig[badSig.length - 1]! ^= 1
    const badKeyType = Uint8Array.from(good); badKeyType[1] = 0x01
    const tooBig = serializeEntry(signEntry(dave, 6, new Uint8Array(64)))
    const bigger = Uint8Array.from([...tooBig.subarray(0, 42), 65, ...new Uint8Array(65), ...tooBig.subarray(43 + 64)])
    for (const [bytes, code] of [[badSig, 'BAD_SIGNATURE'], [badKeyType, 'BAD_FRAME'], [good.subarray(0, 60), 'BAD_FRAME'], [bigger, 'TOO_LARGE']] as const) {
      await expect(conn.call(RegistryMethods.set, bytes)).rejects.toMatchObject({ code })
    }
    expect(str((await onA.get(dave.publicKey))!.data)).toBe('good')
  })

  it('a get for a key no neighbour has is answered once they all said so, not at the pull timeout', async () => {
    // B asks A and C; both answer "none" (issue 16: a fixed timeout was added to every such answer).
    expect(await clientOf(nodes[1]!).get(generateKeyPair().publicKey)).toBeNull()
    // The same for a client's set, which reads the current revision first.
    const frank = generateKeyPair()
    expect((await clientOf(nodes[1]!).set(frank, text('first'))).revision).toBe(0)
  })

  it('a relay that joins later pulls entries it is missing from its neighbours', async () => {
    const erin = generateKeyPair()
    await clientOf(nodes[0]!).set(erin, text('before D'))
    const late = await startNode(generateKeyPair(), new MemoryStore())
    nodes.push(late)
    await late.relay.connect(nodes[2]!.relay.publicKey)
    await expect.poll(async () => str((await clientOf(late).get(erin.publicKey))?.data ?? new Uint8Array()), { timeout: 5000 }).toBe('before D')
  })

  it('a relay restarted on LMDB still has every entry it acknowledged', async () => {
    const grace = generateKeyPair()
    const acknowledged = await clientOf(nodes[0]!).set(grace, text('durable'))
    const keyPair = nodes[0]!.keyPair
    await nodes[0]!.relay.close()
    await stores[0]!.close() // the application owns its store
    stores[0] = await LmdbStore.open(join(dir, 'a'))
    nodes[0] = await startNode(keyPair, stores[0])
    const entry = await clientOf(nodes[0]!).get(grace.publicKey)
    expect(entry?.revision).toBe(acknowledged.revision)
    expect(str(entry!.data)).toBe('durable')
  })
})
