import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DhtCache } from '@lume/dht-cache'
import { Flood } from '@lume/dht-flood'
import { DhtSource, PeerDiscovery } from '@lume/peer-discovery'
import { MemoryStore, registryKey } from '@lume/registry'
import { LmdbStore } from '@lume/registry/lmdb'
import { createRelay, WebSocketEndpoint, WebSocketGateway, type Relay } from '@lume/relay'
import { RpcConnection } from '@lume/rpc'
import { RelayPool } from '@lume/rpc-client'
import { createProcessTestnet, createTestnet, type Testnet } from '@lume/testnet'
import { silentLogger } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { expectIdempotentClose } from '../../../scripts/test-helpers/closable.ts'

// One lifecycle everywhere: each kind of resource closes once, however often
// and however concurrently close() is called, and settles once released.
describe('close() on every kind of resource: twice at once, then again after', () => {
  let testnet: Testnet
  let dir: string
  let relay: Relay

  beforeAll(async () => {
    testnet = await createTestnet({ peers: 1 })
    dir = await mkdtemp(join(tmpdir(), 'lume-lifecycle-'))
    relay = await createRelay({ keyPair: generateKeyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, logger: silentLogger })
  }, 30_000)
  afterAll(async () => {
    await relay?.close()
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  }, 30_000)

  it('an RPC connection', async () => {
    const conn = RpcConnection.open(testnet.createNode().connect(relay.publicKey))
    await conn.ping()
    await expectIdempotentClose(conn, () => conn.closed)
  })

  it('a relay pool', async () => {
    const pool = new RelayPool({ dialer: testnet.createNode(), relays: [relay.publicKey] })
    await pool.refresh()
    await expectIdempotentClose(pool)
  })

  it('a relay', async () => {
    const other = await createRelay({ keyPair: generateKeyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, logger: silentLogger })
    await expectIdempotentClose(other, () => other.dht.destroyed)
  }, 30_000)

  it('a flood and a cache on it', async () => {
    const flood = new Flood({ keyPair: generateKeyPair() })
    const cache = new DhtCache({ flood })
    await expectIdempotentClose(cache)
    await expectIdempotentClose(flood)
  })

  it('stores (memory, LMDB)', async () => {
    const lmdb = await LmdbStore.open(join(dir, 'lmdb'))
    for (const store of [new MemoryStore(), lmdb]) {
      await expectIdempotentClose(store)
      await expect(store.get(registryKey(generateKeyPair().publicKey))).rejects.toMatchObject({ code: 'CLOSED' })
    }
  })

  it('a discovery with its sources', async () => {
    const discovery = new PeerDiscovery()
    discovery.register('dht', new DhtSource(testnet.createNode()))
    await expectIdempotentClose(discovery)
  })

  it('the WebSocket endpoint and the dht-relay gateway', async () => {
    const endpoint = await WebSocketEndpoint.listen({ port: 0, host: '127.0.0.1' }, generateKeyPair(), (stream) => stream.destroy(), silentLogger)
    await expectIdempotentClose(endpoint)
    const gateway = new WebSocketGateway({ port: 0, host: '127.0.0.1' }, testnet.bootstrap, '127.0.0.1', silentLogger)
    await gateway.start()
    await expectIdempotentClose(gateway, () => gateway.pid === undefined || !isAlive(gateway.pid))
  }, 30_000)

  it('testnets, in this process and as processes, and their peers', async () => {
    const local = await createTestnet({ peers: 1 })
    await expectIdempotentClose(local.peers[0]!)
    await expectIdempotentClose(local)
    const processes = await createProcessTestnet({ peers: 1 })
    const pid = processes.peers[0]!.pid
    await expectIdempotentClose(processes, () => !isAlive(pid))
  }, 60_000)
})

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
