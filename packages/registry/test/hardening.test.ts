import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { RpcConnection } from '@lume/rpc'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { PLUGIN_API_VERSION, type Plugin } from '@lume/types'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import { MemoryStore, RegistryClient, RegistryMethods, registryKey, registryPlugin, serializeEntry, signEntry, type RegistryEntry, type RegistryPluginOptions } from '../src/index.js'
import { LmdbStore } from '../src/lmdb/index.js'
import { decodeFloodMessage, encodeFloodMessage } from '../src/lib/flood-messages.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array): string => new TextDecoder().decode(b)

describe('registry plugin hardening', () => {
  let testnet: Testnet
  let dir: string
  const relays: Relay[] = []
  const conns: RpcConnection[] = []
  const operator = generateKeyPair()

  async function startRelay (options: RegistryPluginOptions, flood?: Flood): Promise<Relay> {
    const keyPair = generateKeyPair()
    const f = flood ?? new Flood({ keyPair })
    const relay = await createRelay({
      keyPair,
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      plugins: [floodPlugin(f), registryPlugin({ flood: f, ...options })]
    })
    relays.push(relay)
    return relay
  }
  const connect = (relay: Relay, keyPair?: KeyPair, limits?: { callTimeoutMs: number }): RpcConnection => {
    const conn = RpcConnection.open(testnet.createNode().connect(relay.publicKey, keyPair === undefined ? {} : { keyPair: { publicKey: Buffer.from(keyPair.publicKey), secretKey: Buffer.from(keyPair.secretKey) } }), limits === undefined ? {} : { limits })
    conns.push(conn)
    return conn
  }

  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-registry-hardening-'))
  }, 30_000)
  afterAll(async () => {
    for (const c of conns) c.destroy()
    await Promise.all(relays.map(async (r) => await r.close()))
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  }, 30_000)

  // Item 5: pin is operator-only, and pins have their own cap.
  it('answers registry.pin FORBIDDEN for anyone but an operator; pin-then-write stays within maxKeys + maxPins', async () => {
    const store = new MemoryStore({ maxKeys: 2, maxPins: 1 })
    const relay = await startRelay({ store, operators: [operator.publicKey] })
    const stranger = connect(relay)
    const victim = generateKeyPair()
    await expect(stranger.call(RegistryMethods.pin, registryKey(victim.publicKey))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(await store.isPinned(registryKey(victim.publicKey))).toBe(false)

    const admin = connect(relay, operator)
    await admin.call(RegistryMethods.pin, registryKey(victim.publicKey))
    expect(await store.isPinned(registryKey(victim.publicKey))).toBe(true)
    await expect(admin.call(RegistryMethods.pin, registryKey(generateKeyPair().publicKey))).rejects.toMatchObject({ code: 'STORE_FULL' })

    // Fill the store, then try to grow it past its caps.
    const writer = new RegistryClient(stranger)
    await writer.set(generateKeyPair(), text('a'))
    await writer.set(generateKeyPair(), text('b'))
    await expect(writer.set(generateKeyPair(), text('c'))).rejects.toMatchObject({ code: 'STORE_FULL' })
    await writer.set(victim, text('pinned'))
    expect(await store.count()).toBe(3)
  })

  // Item 10: the application's store outlives the relay.
  it('never closes a store the application gave it', async () => {
    const store = await LmdbStore.open(join(dir, 'owned'))
    const relay = await startRelay({ store })
    const alice = generateKeyPair()
    await new RegistryClient(connect(relay)).set(alice, text('kept'))
    await relay.close()
    expect(str((await store.get(registryKey(alice.publicKey)))!.data)).toBe('kept')
    await store.close()
  })

  // Item 7: entries offered directly are taken only for keys this relay asked for.
  it('drops direct entries nobody asked for, and takes the answer to its own want', async () => {
    const store = new MemoryStore()
    const target = await startRelay({ store, pullTimeoutMs: 5000 })
    const rogueKeys = generateKeyPair()
    const rogueFlood = new Flood({ keyPair: rogueKeys })
    const rogue = await createRelay({ keyPair: rogueKeys, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [floodPlugin(rogueFlood)] })
    relays.push(rogue)
    await rogue.connect(target.publicKey)
    await expect.poll(() => rogueFlood.neighbours.length, { timeout: 5000 }).toBe(1)

    const unasked = signEntry(generateKeyPair(), 1, text('unasked have'))
    const directAnnounce = signEntry(generateKeyPair(), 1, text('direct entry'))
    const marker = signEntry(generateKeyPair(), 1, text('broadcast'))
    rogueFlood.send(target.publicKey, encodeFloodMessage({ type: 'have', entry: serializeEntry(unasked) }))
    rogueFlood.send(target.publicKey, encodeFloodMessage({ type: 'entry', entry: serializeEntry(directAnnounce) }))
    rogueFlood.broadcast(encodeFloodMessage({ type: 'entry', entry: serializeEntry(marker) }))
    // Messages arrive in order: once the broadcast one is stored, the direct ones were handled.
    await expect.poll(async () => await store.get(marker.pk), { timeout: 5000 }).not.toBeNull()
    expect(await store.get(unasked.pk)).toBeNull()
    expect(await store.get(directAnnounce.pk)).toBeNull()

    // Now the target asks (a get for a key it lacks): the rogue's answer to that want is taken.
    const wanted = signEntry(generateKeyPair(), 4, text('wanted'))
    const wantsSeen: Uint8Array[] = []
    const stop = rogueFlood.on('direct', ({ payload, from }) => {
      const message = decodeFloodMessage(payload)
      if (message?.type !== 'want') return
      wantsSeen.push(message.pk)
      rogueFlood.send(from, encodeFloodMessage({ type: 'have', entry: serializeEntry(wanted) }))
      // A second answer to the same want is not taken.
      rogueFlood.send(from, encodeFloodMessage({ type: 'have', entry: serializeEntry(signEntry(generateKeyPair(), 1, text('piggyback'))) }))
    })
    const got = await new RegistryClient(connect(target)).get(wanted.pk)
    stop()
    expect(got?.revision).toBe(4)
    expect(wantsSeen).toHaveLength(1)
    expect(await store.count()).toBe(2) // the marker and the wanted entry
  })

  // Issue 16: the winner of an equal-revision conflict reaches subscribers.
  it('delivers the winner of an equal-revision conflict to subscribers', async () => {
    const relay = await startRelay({ store: new MemoryStore() })
    const conn = connect(relay)
    const alice = generateKeyPair()
    const a = signEntry(alice, 5, text('one'))
    const b = signEntry(alice, 5, text('two'))
    const [loser, winner] = Buffer.compare(Buffer.from(a.signature), Buffer.from(b.signature)) > 0 ? [b, a] : [a, b]
    const sub = new RegistryClient(conn).subscribe(alice.publicKey)
    const first = sub.next()
    await conn.call(RegistryMethods.set, serializeEntry(loser))
    expect(str((await first).value!.data)).toBe(str(loser.data))
    expect((await conn.call(RegistryMethods.set, serializeEntry(winner))).status).toBe('stored')
    expect(str((await sub.next()).value!.data)).toBe(str(winner.data))
    await sub.return(undefined)
  })

  // Item 11: an idle subscription stays open, whatever the pull timeout.
  it('keeps an idle subscription open past several call timeouts, then delivers', async () => {
    const relay = await startRelay({ store: new MemoryStore() })
    const reader = new RegistryClient(connect(relay, undefined, { callTimeoutMs: 200 }))
    const alice = generateKeyPair()
    const sub = reader.subscribe(alice.publicKey)
    const next = sub.next()
    let ended: unknown = null
    next.catch((err: unknown) => { ended = err })
    // Quiet for five call timeouts (a wait, not a measurement: a slower machine only makes it longer).
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(ended).toBeNull()
    await new RegistryClient(connect(relay)).set(alice, text('after a long quiet'))
    const received = await next
    expect(str((received.value as RegistryEntry).data)).toBe('after a long quiet')
    await sub.return(undefined)
  })

  it('says loudly when a subscription is lost with its connection, naming the key and the last revision', async () => {
    const relay = await startRelay({ store: new MemoryStore() })
    const conn = connect(relay)
    const alice = generateKeyPair()
    await new RegistryClient(connect(relay)).set(alice, text('v0'))
    const sub = new RegistryClient(conn).subscribe(alice.publicKey)
    expect((await sub.next()).value?.revision).toBe(0)
    const lost = sub.next()
    conn.destroy()
    await expect(lost).rejects.toThrow(/registry subscription to .* lost after revision 0/)
  })

  it('resumes a subscription the relay keeps ending, from the last revision, and gives up loudly when no news comes', async () => {
    const alice = generateKeyPair()
    const entries = [0, 1, 2].map((r) => serializeEntry(signEntry(alice, r, text(`r${r}`))))
    const sinces: number[] = []
    // A relay whose subscribe streams end after one entry: the next one each time, then the last one again and again.
    const ending: Plugin = {
      name: 'registry',
      apiVersion: PLUGIN_API_VERSION,
      start (api) {
        api.registerMethod({
          ...RegistryMethods.subscribe,
          name: 'subscribe',
          stream: true,
          handler: (request) => {
            const entry = entries[Math.min(sinces.length, 2)]!
            sinces.push(request.since)
            return [entry]
          }
        })
      }
    }
    const relay = await createRelay({ keyPair: generateKeyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [ending] })
    relays.push(relay)
    const resumedAfter: number[] = []
    const seen: number[] = []
    const reading = (async () => {
      for await (const e of new RegistryClient(connect(relay)).subscribe(alice.publicKey, { maxResumes: 2, onResume: (_err, revision) => resumedAfter.push(revision) })) seen.push(e.revision)
    })()
    await expect(reading).rejects.toThrow(/lost after revision 2: the relay ended the subscription/)
    expect(seen).toEqual([0, 1, 2])
    expect(sinces).toEqual([-1, -1, 0, 1, 1])
    expect(resumedAfter).toEqual([0, 1, 2, 2])
  })
})
