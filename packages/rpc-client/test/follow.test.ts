import HyperDHT from 'hyperdht'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { MemoryStore, parseEntry, registryKey, RegistryClient, RegistryMethods, registryPlugin } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { generateKeyPair } from '@lume/crypto'
import { RelayPool, type Dialer } from '../src/index.js'

describe('keeping a subscription when its relay goes away', () => {
  let testnet: Testnet
  const relays: Relay[] = []

  beforeAll(async () => {
    testnet = await createTestnet()
    for (let i = 0; i < 3; i++) {
      const keyPair = HyperDHT.keyPair()
      const flood = new Flood({ keyPair })
      relays.push(await createRelay({ keyPair, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [floodPlugin(flood), registryPlugin({ store: new MemoryStore(), flood })] }))
    }
    // A triangle: any relay can go and the other two still hear each other.
    await relays[0]!.connect(relays[1]!.publicKey)
    await relays[1]!.connect(relays[2]!.publicKey)
    await relays[2]!.connect(relays[0]!.publicKey)
  }, 30_000)
  afterAll(async () => {
    await Promise.all(relays.map(async (r) => await r.close()))
    await testnet?.close()
  }, 30_000)

  it('resumes a registry subscription on another relay, from the last revision seen', async () => {
    const alice = generateKeyPair()
    const pk = registryKey(alice.publicKey)
    const pool = new RelayPool({ dialer: testnet.createNode(), relays: [relays[0]!.publicKey, relays[1]!.publicKey], backoff: { initialMs: 5000, maxMs: 5000 } })
    await pool.refresh()
    const writer = new RegistryClient(RpcConnection.open(testnet.createNode().connect(relays[2]!.publicKey)))
    await writer.set(alice, new TextEncoder().encode('r0'))
    await new Promise((resolve) => setTimeout(resolve, 300))

    const seen: number[] = []
    const follow = pool.follow(RegistryMethods.subscribe, (last) => ({ pk, since: last === null ? -1 : parseEntry(last).revision }))
    const first = await follow.next()
    seen.push(parseEntry(first.value!).revision)

    // Both relays the pool knew go away (so certainly the one the subscription ran on);
    // the app learns of relay 2 (from discovery, say).
    await relays[0]!.close()
    await relays[1]!.close()
    pool.add(relays[2]!.publicKey)
    await writer.set(alice, new TextEncoder().encode('r1'))
    const next = await follow.next()
    seen.push(parseEntry(next.value!).revision)
    // Resumed from the last revision seen: r1 arrives, r0 is not sent again.
    expect(seen).toEqual([0, 1])
    await follow.return(undefined)
    await pool.close()
  }, 30_000)

  it('dials through the next dialer when one is gone', async () => {
    const gone: Dialer = { connect: () => { throw new Error('this endpoint is gone') } }
    const pool = new RelayPool({ dialer: [gone, testnet.createNode()], relays: [relays[2]!.publicKey] })
    expect(await pool.call(CoreMethods.ping, null)).toBeGreaterThan(0)
    await pool.close()
  })
})
