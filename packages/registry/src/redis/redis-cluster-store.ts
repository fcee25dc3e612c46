import { Cluster } from 'ioredis'
import { ErrorCode, LumeError } from '@lume/types'
import { readStoredEntry, serializeEntry, type RegistryEntry } from '../lib/entry.js'
import { DEFAULT_MAX_PINS } from '../lib/memory-store.js'
import type { PutResult, PutStatus, RegistryStore } from '../lib/store.js'
import { Watchers } from '../lib/watchers.js'
import { COMPARE_LUA, PIN_LUA } from './lua.js'
import type { RedisStoreOptions } from './redis-store.js'

/**
 * Keys are spread over this many shards, each one hash tag (`{sXX}`, the
 * key's last byte): an entry, its shard's key count and its shard's update
 * channel share a slot, so the compare-and-set, the count and the publish
 * are one atomic script on one master.
 */
const SHARDS = 256

// Compare-and-set on the entry's shard. KEYS: entry, shard count. ARGV: the
// entry, 'create' or 'update' (update: a missing key is answered 'missing',
// not created), the shard channel. Returns { status, stored entry }, status
// 'created' when the key is new.
const PUT_SCRIPT = `${COMPARE_LUA}
local current = redis.call('GET', KEYS[1])
local new = ARGV[1]
local status = 'stored'
if current then
  local verdict = compare(new, current)
  if verdict then return {verdict, current} end
else
  if ARGV[2] == 'update' then return {'missing', ''} end
  redis.call('INCR', KEYS[2])
  status = 'created'
end
redis.call('SET', KEYS[1], new)
redis.call('SPUBLISH', ARGV[3], new)
return {status, new}
`

// Reserve room for one new key under maxKeys (pinned keys always get it).
// KEYS: the reserved count, the pin set. ARGV: the entry key, maxKeys.
const RESERVE_SCRIPT = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 and tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[2]) then return 0 end
redis.call('INCR', KEYS[1])
return 1
`

type PutCommand = (...args: Array<string | Buffer>) => Promise<[Buffer, Buffer]>
type NumberCommand = (...args: string[]) => Promise<number>

/** Options for {@link RedisClusterStore.connect}: those of the single-instance store. */
export type RedisClusterStoreOptions = RedisStoreOptions

/**
 * Registry entries in a Redis Cluster, for relays that share a registry and
 * outgrow one Redis. Each key's compare-and-set stays in one slot (a hash
 * tag per shard), and stored entries are published with sharded pub/sub
 * (`SPUBLISH`, Redis ≥ 7) on their shard's channel; every store subscribes
 * to all shard channels, so every relay hears every write.
 *
 * `maxKeys` is global: a new key first reserves room in a counter of its own
 * slot, then is created; a reservation whose key turned out to exist is
 * given back. A process that dies between the two leaves at most its
 * in-flight reservations counted (the store then fills that much sooner).
 */
export class RedisClusterStore implements RegistryStore {
  private readonly watchers = new Watchers()
  private closed = false
  private closing: Promise<void> | null = null

  private constructor (
    private readonly cluster: Cluster,
    private readonly prefix: string,
    private readonly options: RedisClusterStoreOptions
  ) {}

  /** Connect to the cluster through any of its masters (`host:port`). */
  static async connect (nodes: readonly string[], options: RedisClusterStoreOptions = {}): Promise<RedisClusterStore> {
    const prefix = options.prefix ?? 'lume:registry:'
    if (/[{}]/.test(prefix)) throw new LumeError(ErrorCode.INVALID_ARGUMENT, 'a Redis Cluster key prefix cannot contain { or } (they choose the slot)')
    if (nodes.length === 0) throw new LumeError(ErrorCode.INVALID_ARGUMENT, 'a Redis Cluster needs at least one node')
    const startup = nodes.map((node) => {
      const at = node.lastIndexOf(':')
      return { host: node.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(node.slice(at + 1)) }
    })
    const cluster = new Cluster(startup, { lazyConnect: true, shardedSubscribers: true, redisOptions: { maxRetriesPerRequest: 2 } })
    try {
      await cluster.connect()
    } catch (err) {
      cluster.disconnect()
      throw new LumeError(ErrorCode.CONNECTION_FAILED, `cannot reach the Redis Cluster at ${nodes.join(', ')}`, { cause: err })
    }
    cluster.defineCommand('lumeClusterPut', { numberOfKeys: 2, lua: PUT_SCRIPT })
    cluster.defineCommand('lumeClusterReserve', { numberOfKeys: 2, lua: RESERVE_SCRIPT })
    cluster.defineCommand('lumeClusterPin', { numberOfKeys: 1, lua: PIN_LUA })
    const store = new RedisClusterStore(cluster, prefix, options)
    try {
      await store.listen()
    } catch (err) {
      cluster.disconnect()
      throw new LumeError(ErrorCode.CONNECTION_FAILED, 'cannot subscribe to the Redis Cluster\'s shard channels', { cause: err })
    }
    return store
  }

  async get (pk: Uint8Array): Promise<RegistryEntry | null> {
    this.assertOpen()
    const bytes = await this.cluster.getBuffer(this.key(pk))
    return bytes === null ? null : readStoredEntry(bytes)
  }

  async put (entry: RegistryEntry): Promise<PutResult> {
    this.assertOpen()
    const bytes = Buffer.from(serializeEntry(entry))
    const max = this.options.maxKeys
    // 'create' never answers 'missing'.
    if (max === undefined) return await this.cas(entry, bytes, 'create') as PutResult
    // With a cap, an update is one script; only a new key pays for the reservation.
    const first = await this.cas(entry, bytes, 'update')
    if (first !== 'missing') return first
    const key = this.key(entry.pk)
    const reserved = await (this.command<NumberCommand>('lumeClusterReserve')).call(this.cluster, this.meta('reserved'), this.meta('pins'), key, String(max))
    if (reserved !== 1) {
      // Full, or only for now: writers racing to create this same key hold reservations for it.
      const again = await this.cas(entry, bytes, 'update')
      if (again !== 'missing') return again
      throw new LumeError(ErrorCode.STORE_FULL, `registry store holds its limit of ${max} keys`)
    }
    let created = false
    try {
      return await this.cas(entry, bytes, 'create', () => { created = true }) as PutResult
    } finally {
      // Someone else created the key meanwhile (or the write failed): give the room back.
      if (!created) await this.cluster.decr(this.meta('reserved')).catch(() => {})
    }
  }

  async count (): Promise<number> {
    this.assertOpen()
    const counts = await Promise.all(Array.from({ length: SHARDS }, async (_, shard) => await this.cluster.get(this.shardKey(shard, 'count'))))
    return counts.reduce((sum, n) => sum + Number(n ?? 0), 0)
  }

  async pin (pk: Uint8Array): Promise<void> {
    this.assertOpen()
    const max = this.options.maxPins ?? DEFAULT_MAX_PINS
    const pinned = await (this.command<NumberCommand>('lumeClusterPin')).call(this.cluster, this.meta('pins'), this.key(pk), String(max))
    if (pinned !== 1) throw new LumeError(ErrorCode.STORE_FULL, `registry store holds its limit of ${max} pins`)
  }

  async isPinned (pk: Uint8Array): Promise<boolean> {
    this.assertOpen()
    return (await this.cluster.sismember(this.meta('pins'), this.key(pk))) === 1
  }

  watch (listener: (entry: RegistryEntry) => void): () => void {
    return this.watchers.add(listener)
  }

  /** Close; commands already sent are answered first (QUIT runs after them). */
  close (): Promise<void> {
    // Memoised: a second call settles with the first, once the cluster connection is closed.
    this.closing ??= (async () => {
      this.closed = true
      this.watchers.clear()
      await this.cluster.quit().catch(() => this.cluster.disconnect())
    })()
    return this.closing
  }

  private async cas (entry: RegistryEntry, bytes: Buffer, mode: 'create' | 'update', onCreated?: () => void): Promise<PutResult | 'missing'> {
    const shard = this.shard(entry.pk)
    const [status, current] = await (this.command<PutCommand>('lumeClusterPutBuffer')).call(this.cluster,
      this.key(entry.pk), this.shardKey(shard, 'count'), bytes, mode, this.shardKey(shard, 'updates'))
    const text = status.toString() as PutStatus | 'created' | 'missing'
    if (text === 'missing') return 'missing'
    if (text === 'created') onCreated?.()
    if (text === 'created' || text === 'stored') return { status: 'stored', current: entry }
    return { status: text, current: readStoredEntry(current) }
  }

  private async listen (): Promise<void> {
    this.cluster.on('smessageBuffer', (_channel: Buffer, message: Buffer) => {
      try {
        this.watchers.notify(readStoredEntry(new Uint8Array(message)))
      } catch {}
    })
    // One SSUBSCRIBE per shard: a sharded subscription names channels of one slot.
    await Promise.all(Array.from({ length: SHARDS }, async (_, shard) => await this.cluster.ssubscribe(this.shardKey(shard, 'updates'))))
  }

  private command<T> (name: string): T {
    return (this.cluster as unknown as Record<string, T>)[name]!
  }

  private shard (pk: Uint8Array): number {
    return pk[pk.length - 1]! % SHARDS
  }

  private shardKey (shard: number, name: string): string {
    return `${this.prefix}{s${shard.toString(16).padStart(2, '0')}}:${name}`
  }

  private meta (name: string): string {
    return `${this.prefix}{meta}:${name}`
  }

  private key (pk: Uint8Array): string {
    return this.shardKey(this.shard(pk), Buffer.from(pk).toString('hex'))
  }

  private assertOpen (): void {
    if (this.closed) throw LumeError.closed('Redis Cluster registry store')
  }
}
