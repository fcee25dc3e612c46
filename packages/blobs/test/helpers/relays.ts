import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRelay, type Relay, type RelayInit } from '@lume/relay'
import type { RpcConnection } from '@lume/rpc'
import type { MethodSpec } from '@lume/types'
import { RelayPool } from '@lume/rpc-client'
import { createTestnet, type Testnet } from '@lume/testnet'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import floodPlugin from '@lume/dht-flood/relay-plugin'
import cachePlugin from '@lume/dht-cache/relay-plugin'
import registryPlugin from '@lume/registry/relay-plugin'
import blobsRelayPlugin from '../../src/relay-plugin.js'
import { BlobClient, type BlobClientInit } from '../../src/index.js'

/** One relay of a blob test: its key, data directory and the relay itself (restartable). */
export interface BlobRelay {
  keyPair: KeyPair
  dir: string
  relay: Relay
  config: Record<string, unknown>
}

/** A testnet with relays running flood, cache, registry (in memory) and blobs (each in its own temp directory), closed in one call. */
export class BlobNet {
  readonly relays: BlobRelay[] = []
  private readonly pools: RelayPool[] = []
  private constructor (readonly testnet: Testnet) {}

  static async create (): Promise<BlobNet> {
    return new BlobNet(await createTestnet())
  }

  /** Start a relay with `plugin.blobs` set to `config`. */
  async add (config: Record<string, unknown> = {}, limits?: RelayInit['limits']): Promise<BlobRelay> {
    const entry: BlobRelay = { keyPair: generateKeyPair(), dir: await mkdtemp(join(tmpdir(), 'lume-blobs-')), relay: null as unknown as Relay, config }
    entry.relay = await this.start(entry, limits)
    this.relays.push(entry)
    return entry
  }

  /** Stop a relay and start it again on the same key and directory. */
  async restart (entry: BlobRelay): Promise<void> {
    await entry.relay.close()
    entry.relay = await this.start(entry)
  }

  /** A client using the given relays (a fresh DHT node and key). */
  client (relays: BlobRelay[], init: Partial<BlobClientInit> = {}): BlobClient {
    const pool = new RelayPool({ dialer: this.testnet.createNode(), relays: relays.map((r) => r.keyPair.publicKey), callTimeoutMs: 30_000 })
    this.pools.push(pool)
    return new BlobClient({ pool, relays: relays.map((r) => r.keyPair.publicKey), ...init })
  }

  /** A connection to one relay (a fresh DHT node and key), closed with the net. */
  async connect (relay: BlobRelay): Promise<RpcConnection> {
    const pool = new RelayPool({ dialer: this.testnet.createNode(), relays: [] })
    this.pools.push(pool)
    return await pool.connect(relay.keyPair.publicKey)
  }

  /** Call a method on one relay directly. */
  async call<Req, Res> (relay: BlobRelay, spec: MethodSpec<Req, Res>, value: Req): Promise<Res> {
    return await (await this.connect(relay)).call(spec, value)
  }

  async close (): Promise<void> {
    await Promise.allSettled(this.pools.map(async (p) => await p.close()))
    await Promise.allSettled(this.relays.map(async (r) => await r.relay.close()))
    await this.testnet.close()
    await Promise.all(this.relays.map(async (r) => await rm(r.dir, { recursive: true, force: true })))
  }

  private async start (entry: BlobRelay, limits?: RelayInit['limits']): Promise<Relay> {
    return await createRelay({
      keyPair: entry.keyPair,
      bootstrap: this.testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      requirePlugins: true,
      dataDir: entry.dir,
      websocket: { port: 0, host: '127.0.0.1' },
      plugins: [floodPlugin(), cachePlugin(), registryPlugin(), blobsRelayPlugin()],
      pluginConfig: { blobs: entry.config, cache: { announceIntervalMs: 200 }, registry: { store: 'memory' } },
      ...(limits === undefined ? {} : { limits })
    })
  }
}

/** Deterministic test bytes (a counter through xorshift), `n` long. */
export function testBytes (n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n)
  let x = seed >>> 0 || 1
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    out[i] = x & 0xff
  }
  return out
}
